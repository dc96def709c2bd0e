import CivicCodec
import CivicCrypto
import CivicLedger

/// Deploy, upgrade and freeze: the contract lifecycle, governed by the `contract_deploy` policy.
extension GovernanceContract {
    /// Names no deployed contract may take: the native contracts' namespaces and the registry's own.
    public static let reservedContractNames: Set<String> = [
        "identity", "kv", "evidence", "accountability", "governance", "code", "contract", "block",
    ]

    /// Whether `name` can name a deployed contract: 1–64 bytes of `a-z`, `0-9`, `_`, starting with a
    /// letter (as `civic contract new` accepts), and not reserved.
    public static func isValidContractName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        let allowed = bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
        return allowed && !reservedContractNames.contains(name)
    }

    /// Applies a lifecycle change: writes `contract/<name>` and runs the module's hook in the
    /// contract's namespace, all in the deciding transaction.
    /// - Throws: `governance.invalid_change` (bad name), `governance.contract_exists`,
    ///   `governance.unknown_contract`, `governance.unknown_code` (not uploaded), the module's
    ///   `contract.*` refusal, or the hook's failure.
    static func changeContract(
        _ change: GovernanceChange, proposalID: UInt64, wasm: WasmRuntime, context: inout CallContext
    ) throws(ContractFailure) {
        let read = { [overlay = context.state.overlay] (key: [UInt8]) in overlay.value(forKey: key) }
        switch change {
        case .deployContract(let name, let codeHash, let initArguments):
            guard isValidContractName(name) else {
                throw .invalidChange("'\(name)' cannot name a contract: use 1-64 of a-z, 0-9, '_', starting with a letter, and not \(reservedContractNames.sorted().joined(separator: ", "))")
            }
            guard DeployedContract.load(name, read: read) == nil else {
                throw ContractFailure(code: "governance.contract_exists",
                                      message: "A contract named '\(name)' is deployed already; upgrade it instead.")
            }
            let code = try uploadedCode(codeHash, read: read)
            let module = try wasm.inspect(code: code)
            let entry = DeployedContract(name: name, version: 1, codeHash: codeHash, frozen: false,
                                         deployedAt: context.block.height, upgradedAt: context.block.height,
                                         proposalID: proposalID)
            try install(entry, hook: module.hasInit ? (.initialize, initArguments) : nil,
                        code: code, wasm: wasm, context: &context)
        case .upgradeContract(let name, let codeHash):
            var entry = try deployed(name, read: read)
            guard entry.codeHash != codeHash else {
                throw .invalidChange("contract '\(name)' already runs code \(codeHash.hex)")
            }
            let code = try uploadedCode(codeHash, read: read)
            let module = try wasm.inspect(code: code)
            let previous = entry.version
            entry.version += 1
            entry.codeHash = codeHash
            entry.upgradedAt = context.block.height
            entry.proposalID = proposalID
            let input = withUnsafeBytes(of: previous.littleEndian) { Array($0) }
            try install(entry, hook: module.hasMigrate ? (.migrate, input) : nil,
                        code: code, wasm: wasm, context: &context)
        case .setContractFrozen(let name, let frozen):
            var entry = try deployed(name, read: read)
            guard entry.frozen != frozen else {
                throw .invalidChange("contract '\(name)' is \(frozen ? "frozen" : "not frozen") already")
            }
            entry.frozen = frozen
            entry.proposalID = proposalID
            context.state.overlay.set(DeployedContract.stateKey(name), entry.canonicalBytes)
        default:
            preconditionFailure("not a contract lifecycle change")
        }
    }

    /// Writes `record` and runs `hook` in the contract's own namespace; the hook's writes and events
    /// join the deciding transaction's.
    private static func install(
        _ record: DeployedContract, hook: (WasmEntry, [UInt8])?, code: [UInt8], wasm: WasmRuntime,
        context: inout CallContext
    ) throws(ContractFailure) {
        context.state.overlay.set(DeployedContract.stateKey(record.name), record.canonicalBytes)
        guard let (hook, input) = hook else { return }
        var inner = context.nested(contract: record.name)
        let outcome = wasm.run(hook, codeHash: record.codeHash, loadCode: { code }, input: input, context: &inner,
                               gasLimit: CivicLedger.Limits.transactionGasMax)
        if case .failure(let failure) = outcome.result { throw failure }
        context.adopt(inner)
    }

    private static func deployed(_ name: String, read: ([UInt8]) -> [UInt8]?) throws(ContractFailure) -> DeployedContract {
        guard let record = DeployedContract.load(name, read: read) else {
            throw ContractFailure(code: "governance.unknown_contract", message: "No contract named '\(name)' is deployed.")
        }
        return record
    }

    private static func uploadedCode(_ hash: Hash256, read: ([UInt8]) -> [UInt8]?) throws(ContractFailure) -> [UInt8] {
        guard let code = CodeContract.code(hash, read: read) else {
            throw ContractFailure(code: "governance.unknown_code",
                                  message: "No module with hash \(hash.hex) was uploaded; upload it with `civic contract deploy` (or the `code` contract) first.")
        }
        return code
    }
}

