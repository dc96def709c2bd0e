import CivicCodec
import CivicCrypto
import CivicLedger

/// Applies transactions to state, deterministically: the same transactions on the same state
/// give the same receipts and writes on every node. Pure: reads state through a ``StateReader``
/// and returns writes; storage is the caller's business.
public struct TransactionExecutor: Sendable {
    private let contracts: [String: any SystemContract]
    /// The runtime of deployed WebAssembly contracts (Docs/0012); the lifecycle code (deploy, upgrade) uses it to
    /// validate code (``WasmRuntime/inspect(code:)``) and to run `civic_init` / `civic_migrate`
    /// (``WasmRuntime/run(_:code:input:context:gasLimit:)``).
    public let wasm: WasmRuntime

    /// The contracts every node carries, with an identity contract that cannot check certificates
    /// (``NoCertificateChecker``): for tests and tools that never enroll.
    public static let nativeContracts: [any SystemContract] = nativeContracts(certificates: NoCertificateChecker())

    /// The contracts every node carries, with `certificates` checking the certificates of `identity.enroll`.
    public static func nativeContracts(certificates: any CertificateChecker) -> [any SystemContract] {
        [
            IdentityContract(certificates: certificates), KeyValueContract(), EvidenceContract(),
            AccountabilityContract(), GovernanceContract(), CodeContract(),
        ]
    }

    /// Creates the executor of a node: the native contracts, with `certificates` checking enrollments. Every node
    /// of a chain must pass an equivalent checker, or their blocks would execute differently.
    public init(certificates: any CertificateChecker) {
        self.init(contracts: Self.nativeContracts(certificates: certificates))
    }

    /// Creates an executor over `contracts` (names must be unique).
    public init(contracts: [any SystemContract] = TransactionExecutor.nativeContracts) {
        var byName: [String: any SystemContract] = [:]
        for contract in contracts {
            precondition(byName[contract.name] == nil, "two contracts are named '\(contract.name)'")
            byName[contract.name] = contract
        }
        self.contracts = byName
        wasm = WasmRuntime(nativeContractNames: Set(byName.keys))
    }

    /// The names of the contracts, sorted.
    public var contractNames: [String] { contracts.keys.sorted() }

    /// Executes one transaction on top of `state` with the full ``Limits/transactionGasMax``; on success its writes
    /// are merged into `state`, on failure `state` is unchanged and the receipt carries the failure. The receipt
    /// records the gas used.
    public func execute(_ transaction: Transaction, hash: Hash256, block: BlockContext,
                        state: inout StateOverlay) -> Receipt {
        execute(transaction, hash: hash, block: block, state: &state, gas: .transaction).receipt
    }

    /// ``execute(_:hash:block:state:)`` that also answers the gas the transaction used (the receipt's
    /// ``Receipt/gasUsed``): 0 for native contracts, fuel plus host costs for WebAssembly contracts (also when they
    /// fail), at most ``Limits/transactionGasMax``.
    public func executeMeasured(_ transaction: Transaction, hash: Hash256, block: BlockContext,
                                state: inout StateOverlay) -> (receipt: Receipt, gasUsed: UInt64) {
        let receipt = execute(transaction, hash: hash, block: block, state: &state)
        return (receipt, receipt.gasUsed)
    }

    /// Executes one transaction whose WebAssembly call may use `gas`. `ranShort` tells whether the call ran out of a
    /// limit below the transaction's (the receipt then carries `gas.shortfall`): told apart by this flag, not by the
    /// receipt's code, which a contract's own `fail` could imitate.
    func execute(_ transaction: Transaction, hash: Hash256, block: BlockContext, state: inout StateOverlay,
                 gas: GasAllowance) -> (receipt: Receipt, ranShort: Bool) {
        let call = run(transaction, hash: hash, block: block, state: state, gas: gas)
        switch call.result {
        case .success(let (writes, events, data)):
            state.apply(writes)
            return (Receipt(transactionHash: hash, status: .success, events: events, returnData: data,
                            gasUsed: call.gasUsed), false)
        case .failure(let failure):
            return (Receipt(transactionHash: hash, status: .failure(code: failure.code, message: failure.message),
                            gasUsed: call.gasUsed), call.ranShort)
        }
    }

    /// Runs `transaction` against `state` without keeping anything: admission's dry run (Docs/0002). A
    /// WebAssembly call gets ``Limits/admissionGasMax`` gas, not the transaction's: a call that runs out of it has
    /// not failed, only cost more than admission will spend on it, so it passes and its block decides.
    /// - Throws: the ``ContractFailure`` execution would record.
    public func check(_ transaction: Transaction, hash: Hash256, block: BlockContext,
                      state: any StateReader) throws(ContractFailure) {
        let gas = GasAllowance(limit: Limits.admissionGasMax, shortfall: .admissionGasSpent)
        let call = run(transaction, hash: hash, block: block, state: state, gas: gas)
        if case .failure(let failure) = call.result, !call.ranShort {
            throw failure
        }
    }

    /// Runs one call over a fresh overlay on top of `state`; returns its writes, events and data, its gas, and
    /// whether it ran out of a limit below the transaction's (its failure is then `gas.shortfall`).
    private func run(_ transaction: Transaction, hash: Hash256, block: BlockContext, state: any StateReader,
                     gas: GasAllowance)
        -> (result: Result<([[UInt8]: [UInt8]?], [Event], [UInt8]), ContractFailure>, gasUsed: UInt64, ranShort: Bool) {
        var gasUsed: UInt64 = 0
        var ranShort = false
        let result = run(transaction, hash: hash, block: block, state: state, gas: gas, gasUsed: &gasUsed,
                         ranShort: &ranShort)
        assert(gasUsed <= gas.limit, "a call uses at most its gas limit")
        return (result, gasUsed, ranShort)
    }

    /// A native contract, or the record of a deployed one.
    private enum Target {
        case native(any SystemContract)
        case deployed(DeployedContract)
    }

    /// The contract `name` names: native, or deployed and not frozen.
    private func target(_ name: String, state: any StateReader) -> Result<Target, ContractFailure> {
        if let contract = contracts[name] { return .success(.native(contract)) }
        guard let record = DeployedContract.load(name, read: { state.value(forKey: $0) }) else {
            return .failure(.unknownContract(name))
        }
        guard !record.frozen else {
            return .failure(ContractFailure(code: "contract.frozen", message: "The contract '\(name)' is frozen."))
        }
        return .success(.deployed(record))
    }

    private func run(_ transaction: Transaction, hash: Hash256, block: BlockContext, state: any StateReader,
                     gas: GasAllowance, gasUsed: inout UInt64, ranShort: inout Bool)
        -> Result<([[UInt8]: [UInt8]?], [Event], [UInt8]), ContractFailure> {
        let call = transaction.body.call
        guard block.time < transaction.body.expiresAt else {
            return .failure(ContractFailure(code: "transaction.expired", message: "The transaction expired before the block that included it."))
        }
        // The lifetime cap is a rule of the chain, not only of admission: it bounds how long a node
        // must remember committed hashes to refuse replays, whichever proposer built the block.
        guard transaction.body.expiresAt.milliseconds - block.time.milliseconds <= Limits.transactionLifetimeMillisecondsMax else {
            return .failure(ContractFailure(code: "transaction.expiry_too_far",
                                            message: "The transaction's expiry is more than \(Limits.transactionLifetimeMillisecondsMax / 1000) seconds after the block time."))
        }
        let target: Target
        switch self.target(call.contract, state: state) {
        case .success(let found): target = found
        case .failure(let failure): return .failure(failure)
        }
        let caller = transaction.body.signer
        let address = Address(publicKey: caller)
        let open: Bool
        if case .native(let contract) = target { open = contract.methodsOpenToUnregistered.contains(call.method) } else { open = false }
        let registered = state.value(forKey: Identity.stateKey(address)).flatMap { try? Identity(canonicalBytes: $0) }
        guard registered != nil || open else {
            return .failure(ContractFailure(code: "identity.unknown_caller",
                                            message: "The signer \(address) is not a registered identity on this chain; ask an admin to register the key, or enroll an identity certificate."))
        }
        if let registered {
            guard registered.active else {
                return .failure(ContractFailure(code: "identity.inactive", message: "The signer \(address) has been deactivated."))
            }
            // A method open to unregistered keys (enrollment) presents a new certificate; it checks that one itself.
            if !open, let refusal = registered.certificateRefusal(at: block.time, read: { state.value(forKey: $0) }) {
                return .failure(refusal)
            }
        }
        let identity = registered
            ?? Identity(publicKey: caller, name: "", organization: "", role: .observer, active: false, registeredAt: block.height)
        var context = CallContext(block: block, transactionHash: hash, caller: caller, callerIdentity: identity,
                                  isCallerRegistered: registered != nil,
                                  state: ContractState(contract: call.contract, overlay: StateOverlay(base: state)))
        do throws(ContractFailure) {
            let data: [UInt8]
            switch target {
            case .native(let contract):
                data = try contract.execute(method: call.method, arguments: call.arguments, context: &context)
            case .deployed(let record):
                // No gas left at all (the block's is spent): the call cannot start, so it does not.
                guard gas.limit > 0 else {
                    ranShort = true
                    throw gas.shortfall
                }
                let outcome = wasm.run(.method(call.method), codeHash: record.codeHash,
                                       loadCode: { CodeContract.code(record.codeHash, read: { state.value(forKey: $0) }) },
                                       input: call.arguments, context: &context, gasLimit: gas.limit)
                gasUsed = outcome.gasUsed
                switch outcome.result {
                case .success(let returned): data = returned
                case .failure(let failure) where failure.code == ContractFailure.outOfGas.code && gas.isShort:
                    ranShort = true
                    throw gas.shortfall
                case .failure(let failure): throw failure
                }
            }
            guard data.count <= Limits.receiptDataBytesMax else {
                return .failure(ContractFailure(code: "contract.return_too_large", message: "The call returned more than \(Limits.receiptDataBytesMax) bytes."))
            }
            return .success((context.state.overlay.pendingWrites, context.events, data))
        } catch {
            return .failure(error)
        }
    }
}

/// The state a chain starts with: the genesis identities in the identity registry, and the
/// validators that ``AccountabilityContract`` checks reports against, and the registries of
/// ``GovernanceContract``.
public enum GenesisState {
    /// The writes that create genesis state, sorted by key.
    public static func writes(for genesis: Genesis) -> [(key: [UInt8], value: [UInt8]?)] {
        let identities = genesis.identities.map { entry in
            let identity = Identity(publicKey: entry.publicKey, name: entry.name, organization: entry.organization,
                                    role: entry.role, active: true, registeredAt: .genesis)
            return (key: Identity.stateKey(identity.address), value: Optional(identity.canonicalBytes))
        }
        return (identities + AccountabilityContract.genesisWrites(genesis.validators)
                + GovernanceContract.genesisWrites(genesis))
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }
}
