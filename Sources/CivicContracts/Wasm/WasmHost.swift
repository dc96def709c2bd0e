import CivicCrypto
import CivicLedger
import WasmKit

/// The host functions of module `civic` (Docs/0012, "Host functions") and their gas (Docs/0012, "Gas").
enum WasmHost {
    /// Every host call.
    static let callGas: UInt64 = 50
    /// `state_get`, `state_next`.
    static let stateReadGas: UInt64 = 500
    /// `state_set`, `state_delete`, plus ``stateWriteByteGas`` per byte of key and value.
    static let stateWriteGas: UInt64 = 2_000
    /// Per byte of key and value written.
    static let stateWriteByteGas: UInt64 = 10
    /// `emit_event`.
    static let eventGas: UInt64 = 1_000
    /// `hash`, plus 1 per byte.
    static let hashGas: UInt64 = 100
    /// `verify_signature` with the `intl` suite.
    static let verifyGasIntl: UInt64 = 50_000
    /// `verify_signature` with the `sm` suite.
    static let verifyGasSM: UInt64 = 150_000
    /// `call`.
    static let nestedCallGas: UInt64 = 5_000
    /// Longest `fail` message, in bytes.
    static let failMessageBytesMax = 1024

    /// The exact type of each host function; a module importing another name or type is refused.
    static let functionTypes: [String: FunctionType] = Dictionary(
        uniqueKeysWithValues: WasmHostFunction.allCases.map { ($0.rawValue, $0.type) })
}

/// The functions of import module `civic`, by their import names (Docs/0012, "Host functions").
enum WasmHostFunction: String, CaseIterable {
    case inputLength = "input_length", inputRead = "input_read", resultLength = "result_length"
    case resultRead = "result_read", returnData = "return_data", fail
    case stateGet = "state_get", stateSet = "state_set", stateDelete = "state_delete", stateNext = "state_next"
    case callerKey = "caller_key", callerAddress = "caller_address", callerRole = "caller_role"
    case callerOrganization = "caller_organization", callingContract = "calling_contract"
    case blockHeight = "block_height", blockTime = "block_time"
    case emitEvent = "emit_event", hash, verifySignature = "verify_signature", call

    /// The function's exact type: only i32 parameters, and an i32 or i64 result or none.
    var type: FunctionType {
        switch self {
        case .inputLength, .resultLength, .callerKey, .callerRole, .callerOrganization, .callingContract: Self.type(0, .i32)
        case .inputRead, .resultRead, .callerAddress: Self.type(1)
        case .returnData, .stateDelete: Self.type(2)
        case .stateGet, .stateNext: Self.type(2, .i32)
        case .hash: Self.type(3)
        case .fail, .stateSet, .emitEvent: Self.type(4)
        case .verifySignature, .call: Self.type(6, .i32)
        case .blockHeight, .blockTime: Self.type(0, .i64)
        }
    }

    private static func type(_ parameters: Int, _ result: ValueType? = nil) -> FunctionType {
        FunctionType(parameters: Array(repeating: .i32, count: parameters), results: result.map { [$0] } ?? [])
    }
}

extension WasmFrame {
    /// Runs host function `function` with its arguments (all i32), after the per-call gas.
    func host(_ function: WasmHostFunction, _ arguments: [Value]) throws(WasmAbort) -> [Value] {
        try charge(WasmHost.callGas)
        let a = arguments.map { value -> UInt32 in
            if case .i32(let raw) = value { return raw }
            return 0
        }
        switch function {
        case .inputLength: return [.i32(UInt32(input.count))]
        case .inputRead: try write(input, at: a[0])
        case .resultLength: return [.i32(UInt32(resultBuffer.count))]
        case .resultRead: try write(resultBuffer, at: a[0])
        case .returnData: returnData = try read(a[0], a[1])
        case .fail: throw WasmAbort(try failure(code: read(a[0], a[1]), message: read(a[2], a[3])))
        case .stateGet:
            let key = try read(a[0], a[1])
            try charge(WasmHost.stateReadGas)
            return produce(try requireContext().state.get(key))
        case .stateSet:
            let key = try read(a[0], a[1])
            let value = try read(a[2], a[3])
            try charge(WasmHost.stateWriteGas + WasmHost.stateWriteByteGas * UInt64(key.count + value.count))
            try checkKey(key)
            try withContext { context throws(ContractFailure) in try context.state.put(key, value) }
        case .stateDelete:
            let key = try read(a[0], a[1])
            try charge(WasmHost.stateWriteGas + WasmHost.stateWriteByteGas * UInt64(key.count))
            try checkKey(key)
            try withContext { context throws(ContractFailure) in context.state.delete(key) }
        case .stateNext:
            let key = try read(a[0], a[1])
            try charge(WasmHost.stateReadGas)
            let state = try requireContext().state
            let next = state.overlay.nextKey(after: state.fullKey(key), prefix: state.prefix)
            return produce(next.map { Array($0.dropFirst(state.prefix.count)) })
        case .callerKey: return produce(try requireContext().caller.rawRepresentation)
        case .callerAddress: try write(try requireContext().callerAddress.bytes, at: a[0])
        case .callerRole: return [.i32(UInt32(try requireContext().callerIdentity.role.rawValue - 1))]
        case .callerOrganization: return produce(Array(try requireContext().callerIdentity.organization.utf8))
        case .callingContract: return produce(callingContract.map { Array($0.utf8) })
        case .blockHeight: return [.i64(try requireContext().block.height.rawValue)]
        case .blockTime: return [.i64(try requireContext().block.time.milliseconds)]
        case .emitEvent:
            let eventName = try read(a[0], a[1])
            let attributes = try read(a[2], a[3])
            try charge(WasmHost.eventGas)
            try emit(eventName, attributes)
        case .hash:
            let bytes = try read(a[0], a[1])
            try charge(WasmHost.hashGas + UInt64(bytes.count))
            try write(try requireContext().block.suite.hash(bytes).bytes, at: a[2])
        case .verifySignature:
            return [.i32(try verify(key: read(a[0], a[1]), message: read(a[2], a[3]), signature: read(a[4], a[5])) ? 1 : 0)]
        case .call:
            let callee = String(decoding: try read(a[0], a[1]), as: UTF8.self)
            let method = String(decoding: try read(a[2], a[3]), as: UTF8.self)
            let arguments = try read(a[4], a[5])
            try charge(WasmHost.nestedCallGas)
            return [.i32(UInt32(bitPattern: try call(callee, method, arguments)))]
        }
        return []
    }

    /// A state key of a contract is 1–256 bytes (within its namespace; the full key's limit applies too).
    private func checkKey(_ key: [UInt8]) throws(WasmAbort) {
        guard (1...CivicLedger.Limits.stateKeyBytesMax).contains(key.count) else {
            throw WasmAbort(ContractFailure(code: "state.key_too_large",
                                            message: "A contract's state key must be 1 to \(CivicLedger.Limits.stateKeyBytesMax) bytes."))
        }
    }

    /// The failure of `fail`: the contract's code, prefixed with its name unless it already is.
    private func failure(code: [UInt8], message: [UInt8]) throws(WasmAbort) -> ContractFailure {
        let valid = (1...64).contains(code.count) && code.allSatisfy {
            (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2E
        }
        guard valid, message.count <= WasmHost.failMessageBytesMax else {
            throw WasmAbort(.trap("fail was called with an invalid code or a message over 1 KiB"))
        }
        let text = String(decoding: code, as: UTF8.self)
        let full = text.hasPrefix(contract + ".") ? text : "\(contract).\(text)"
        return ContractFailure(code: full, message: String(decoding: message, as: UTF8.self))
    }

    /// Decodes `attrs` (repeated `u32 klen, key, u32 vlen, value`, UTF-8) and records the event.
    private func emit(_ name: [UInt8], _ attributes: [UInt8]) throws(WasmAbort) {
        let invalid = WasmAbort(ContractFailure(code: "contract.invalid_event",
                                                message: "An event's name or attributes are not well formed."))
        guard (1...CivicLedger.Limits.nameBytesMax).contains(name.count), let eventName = String(validating: name, as: UTF8.self) else {
            throw invalid
        }
        var parsed: [EventAttribute] = []
        var index = 0
        func field() -> String? {
            guard attributes.count - index >= 4 else { return nil }
            let length = (0..<4).reduce(0) { $0 | Int(attributes[index + $1]) << (8 * $1) }
            index += 4
            guard attributes.count - index >= length else { return nil }
            defer { index += length }
            return String(validating: attributes[index..<(index + length)], as: UTF8.self)
        }
        while index < attributes.count {
            guard let key = field(), let value = field() else { throw invalid }
            parsed.append(EventAttribute(key, value))
        }
        try withContext { context throws(ContractFailure) in try context.emit(eventName, parsed) }
    }

    /// Whether `signature` is the chain suite's signature of `message` by the raw key; malformed inputs are 0.
    private func verify(key: [UInt8], message: [UInt8], signature: [UInt8]) throws(WasmAbort) -> Bool {
        let suite = try requireContext().block.suite
        try charge(suite == .sm ? WasmHost.verifyGasSM : WasmHost.verifyGasIntl)
        guard let publicKey = try? PublicKey(suite: suite, rawRepresentation: key),
              let parsed = try? Signature(rawRepresentation: signature) else { return false }
        return publicKey.isValidSignature(parsed, for: message)
    }
}
