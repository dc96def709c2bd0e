import CivicCrypto
import CivicLedger
import WasmKit

/// One contract invocation inside a run: the instance it runs in, its context, input, result buffer and return
/// data. A nested call gets its own frame and instance; the transaction's remaining fuel moves to the callee's
/// store for the call and back after it, so gas is shared by the whole transaction.
///
/// A reference type because the host functions reach it through its instance; it lives on the thread of its run
/// only.
final class WasmFrame {
    let runtime: WasmRuntime
    /// The instance the call runs in, checked out of the runtime's pool for the call.
    let instance: WasmInstance
    /// The contract's name, also its namespace.
    let contract: String
    /// The contract that called this one, `nil` for the transaction's own call.
    let callingContract: String?
    /// 0 for the transaction's call, +1 per nested call.
    let depth: Int
    /// The call's arguments.
    let input: [UInt8]
    /// State, caller and events; `nil` only while deployment checks `civic_abi_version`.
    var context: CallContext?
    /// The result buffer of Docs/0012, replaced by each host function that produces data.
    var resultBuffer: [UInt8] = []
    /// What `return_data` set last.
    var returnData: [UInt8] = []

    /// The instance's store, whose fuel is the transaction's remaining gas while this frame runs.
    var store: Store { instance.store }
    /// The instance's exported memory.
    var memory: Memory? { instance.memory }

    init(runtime: WasmRuntime, instance: WasmInstance, contract: String, callingContract: String?, depth: Int, input: [UInt8],
         context: CallContext?) {
        self.runtime = runtime
        self.instance = instance
        self.contract = contract
        self.callingContract = callingContract
        self.depth = depth
        self.input = input
        self.context = context
    }

    /// Runs `entry` in the frame's instance; returns the return data.
    /// - Throws: the failure; `context` then holds writes that the caller must discard.
    func run(_ entry: WasmEntry) throws(WasmAbort) -> [UInt8] {
        let unknown = ContractFailure.unknownMethod(contract, entry.exportName)
        if case .method(let name) = entry, !WasmModuleCheck.isMethodName(name) { throw WasmAbort(unknown) }
        guard let function = instance.instance.exports[function: entry.exportName],
              function.type == FunctionType(parameters: [], results: []) else {
            throw WasmAbort(unknown)
        }
        instance.frame = self
        defer { instance.frame = nil }
        do { try function.invoke([]) } catch { throw WasmAbort.from(error) }
        return returnData
    }

    /// Charges host gas from the store's fuel before the host work.
    /// - Throws: `contract.out_of_gas`, leaving no fuel.
    func charge(_ amount: UInt64) throws(WasmAbort) {
        let remaining = store.fuel?.remaining ?? 0
        guard remaining >= amount else {
            store.fuel = Fuel(remaining: 0)
            throw WasmAbort(.outOfGas)
        }
        store.fuel = Fuel(remaining: remaining - amount)
    }

    /// The context, which every host function but the ABI version check needs.
    func requireContext() throws(WasmAbort) -> CallContext {
        guard let context else { throw WasmAbort(.trap("host functions are not available to civic_abi_version")) }
        return context
    }

    /// Runs `body` on the context in place (no copy of its pending writes).
    /// - Throws: the body's failure; a trap without a context.
    func withContext<T>(_ body: (inout CallContext) throws(ContractFailure) -> T) throws(WasmAbort) -> T {
        guard context != nil else { throw WasmAbort(.trap("host functions are not available to civic_abi_version")) }
        do { return try body(&context!) } catch { throw WasmAbort(error) }
    }

    /// Copies `length` bytes at `pointer` out of memory, charging a unit per byte.
    /// - Throws: `contract.value_too_large`, `contract.out_of_gas`, `contract.memory_access`.
    func read(_ pointer: UInt32, _ length: UInt32) throws(WasmAbort) -> [UInt8] {
        guard length <= CivicLedger.Limits.contractHostValueBytesMax else { throw WasmAbort(.valueTooLarge) }
        try charge(UInt64(length))
        guard let memory, UInt64(pointer) + UInt64(length) <= UInt64(memory.byteCount) else {
            throw WasmAbort(.memoryAccess)
        }
        return memory.withUnsafeBufferPointer(offset: UInt(pointer), count: Int(length)) { Array($0) }
    }

    /// Copies `bytes` into memory at `pointer`, charging a unit per byte.
    /// - Throws: `contract.out_of_gas`, `contract.memory_access`.
    func write(_ bytes: [UInt8], at pointer: UInt32) throws(WasmAbort) {
        try charge(UInt64(bytes.count))
        guard let memory, UInt64(pointer) + UInt64(bytes.count) <= UInt64(memory.byteCount) else {
            throw WasmAbort(.memoryAccess)
        }
        memory.withUnsafeMutableBufferPointer(offset: UInt(pointer), count: bytes.count) { buffer in
            buffer.copyBytes(from: bytes)
        }
    }

    /// Puts `bytes` in the result buffer and answers its length, or -1 for absent.
    func produce(_ bytes: [UInt8]?) -> [Value] {
        guard let bytes else {
            resultBuffer = []
            return [.i32(UInt32(bitPattern: -1))]
        }
        resultBuffer = bytes
        return [.i32(UInt32(bytes.count))]
    }

    /// The nested call of `call`: 0 with the callee's return data in the result buffer, or 1 with
    /// `code\nmessage` and the callee's writes and events discarded.
    /// - Throws: failures that end the transaction (gas, depth).
    func call(_ name: String, _ method: String, _ arguments: [UInt8]) throws(WasmAbort) -> Int32 {
        let context = try requireContext()
        guard depth < CivicLedger.Limits.contractCallDepthMax else { throw WasmAbort(.callDepth) }
        let read = { (key: [UInt8]) in context.state.overlay.value(forKey: key) }
        let callee: WasmFrame
        do {
            guard !runtime.nativeContractNames.contains(name) else {
                throw WasmAbort(ContractFailure(code: "contract.call_refused",
                                                message: "A contract cannot call the native contract '\(name)'."))
            }
            guard let record = DeployedContract.load(name, read: read) else {
                throw WasmAbort(.unknownContract(name))
            }
            guard !record.frozen else {
                throw WasmAbort(ContractFailure(code: "contract.frozen", message: "The contract '\(name)' is frozen."))
            }
            let calleeInstance = try runtime.checkOut(hash: record.codeHash,
                                                      loadCode: { CodeContract.code(record.codeHash, read: read) })
            calleeInstance.store.fuel = store.fuel
            defer {
                store.fuel = calleeInstance.store.fuel
                runtime.checkIn(calleeInstance, hash: record.codeHash)
            }
            callee = WasmFrame(runtime: runtime, instance: calleeInstance, contract: name, callingContract: contract,
                               depth: depth + 1, input: arguments, context: context.nested(contract: name))
            resultBuffer = try callee.run(.method(method))
        } catch {
            let abort = WasmAbort.from(error)
            if abort.endsTransaction { throw abort }
            resultBuffer = Array("\(abort.failure.code)\n\(abort.failure.message)".utf8)
            return 1
        }
        if let done = callee.context { try withContext { context throws(ContractFailure) in context.adopt(done) } }
        return 0
    }
}
