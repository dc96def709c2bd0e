import CivicLedger
@_spi(Fuzzing) import WasmKit

/// Ends a contract run: the failure for the receipt, and whether it ends the whole transaction (gas and call
/// depth) rather than only the nested call that hit it.
struct WasmAbort: Error {
    /// The receipt's failure.
    var failure: ContractFailure

    init(_ failure: ContractFailure) { self.failure = failure }

    /// Out of gas and too deep end the transaction: a caller cannot catch them and carry on.
    var endsTransaction: Bool { failure.code == "contract.out_of_gas" || failure.code == "contract.call_depth" }

    /// The failure an error out of WasmKit stands for: ours as they are, out of fuel as `contract.out_of_gas`,
    /// other traps as `contract.trap` with the trap's words.
    static func from(_ error: any Error) -> WasmAbort {
        if let abort = error as? WasmAbort { return abort }
        // Out of fuel may also arrive wrapped (a start function trapping during instantiation).
        if String(describing: error).contains("out of fuel") { return WasmAbort(.outOfGas) }
        if let trap = error as? Trap {
            var words = trap.description.split(separator: "\n").first.map(String.init) ?? "trap"
            if words.hasPrefix("Trap: ") { words.removeFirst("Trap: ".count) }
            if words == "out of fuel" { return WasmAbort(.outOfGas) }
            return WasmAbort(.trap(words))
        }
        return WasmAbort(.trap(String(describing: error)))
    }
}

extension ContractFailure {
    /// The transaction used all its gas.
    static let outOfGas = ContractFailure(code: "contract.out_of_gas", message: "The call ran out of gas.")
    /// A nested call past ``Limits/contractCallDepthMax``.
    static let callDepth = ContractFailure(code: "contract.call_depth",
                                           message: "Contracts may nest at most \(CivicLedger.Limits.contractCallDepthMax) calls.")
    /// `civic_abi_version` is missing, of the wrong type, or does not return 1.
    static let unsupportedABI = ContractFailure(code: "contract.unsupported_abi",
                                                message: "The module does not implement contract ABI version 1.")
    /// A pointer range outside the contract's memory.
    static let memoryAccess = ContractFailure(code: "contract.memory_access",
                                              message: "The contract passed a memory range outside its memory.")
    /// Memory past the limit.
    static func memoryLimit(_ message: String) -> ContractFailure {
        ContractFailure(code: "contract.memory_limit", message: message)
    }
    /// A trap, with WasmKit's words.
    static func trap(_ words: String) -> ContractFailure {
        ContractFailure(code: "contract.trap", message: "The contract trapped: \(words).")
    }
    /// A buffer past ``Limits/contractHostValueBytesMax``.
    static let valueTooLarge = ContractFailure(
        code: "contract.value_too_large",
        message: "A value passed to the host is larger than \(CivicLedger.Limits.contractHostValueBytesMax) bytes.")
}

/// The deployment rules of Docs/0012 that can be checked on a parsed module, before and after instantiation.
enum WasmModuleCheck {
    /// Checks the size and parses (and validates the structure of) `code`.
    /// - Throws: `contract.code_too_large`, `contract.invalid_module`.
    static func parse(_ code: [UInt8]) throws(ContractFailure) -> Module {
        try checkSize(code)
        return try parseStructure(code)
    }

    /// - Throws: `contract.code_too_large`.
    static func checkSize(_ code: [UInt8]) throws(ContractFailure) {
        guard code.count <= CivicLedger.Limits.contractCodeBytesMax else {
            throw ContractFailure(code: "contract.code_too_large",
                                  message: "Contract code is limited to \(CivicLedger.Limits.contractCodeBytesMax) bytes; this is \(code.count).")
        }
    }

    /// Parses `code` and validates its structure, whatever its size (the pool parses deployed code rewritten by
    /// ``WasmInstance/exportingGlobals(_:of:)``).
    /// - Throws: `contract.invalid_module`.
    static func parseStructure(_ code: [UInt8]) throws(ContractFailure) -> Module {
        do { return try parseWasm(bytes: code, features: []) } catch {
            throw ContractFailure(code: "contract.invalid_module", message: "The module is not valid WebAssembly: \(error).")
        }
    }

    /// Checks imports against ``WasmHost/functionTypes``, the required exports' presence, and lists methods.
    /// - Throws: `contract.invalid_import`, `contract.missing_export`.
    static func check(_ module: Module) throws(ContractFailure) -> WasmModuleInfo {
        for entry in module.imports {
            guard entry.module == "civic", case .function(let typeIndex) = entry.descriptor,
                  let expected = WasmHost.functionTypes[entry.name], module.functionType(at: typeIndex) == expected else {
                throw ContractFailure(code: "contract.invalid_import",
                                      message: "The module imports '\(entry.module).\(entry.name)', which the chain does not offer with that type.")
            }
        }
        var memories = 0
        var functions: [String] = []
        for export in module.exports {
            guard !export.name.hasPrefix("civic.") else {
                throw ContractFailure(code: "contract.invalid_module",
                                      message: "Export names starting with 'civic.' are reserved for the runtime; '\(export.name)' is one.")
            }
            switch export.descriptor {
            case .memory: if export.name == "memory" { memories += 1 }
            case .function: functions.append(export.name)
            default: break
            }
        }
        guard memories == 1, functions.contains("civic_abi_version") else {
            throw ContractFailure(code: "contract.missing_export",
                                  message: "A contract must export its memory as 'memory' and the function 'civic_abi_version'.")
        }
        return WasmModuleInfo(methods: functions.filter(isMethodName).sorted(),
                              hasInit: functions.contains("civic_init"), hasMigrate: functions.contains("civic_migrate"))
    }

    /// Whether `name` can be a method: 1–64 bytes of `[a-z0-9_]`, not starting with `civic_`.
    static func isMethodName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return (1...64).contains(bytes.count) && !name.hasPrefix("civic_")
            && bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }
}
