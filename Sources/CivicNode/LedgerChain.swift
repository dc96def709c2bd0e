import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// The committed chain as one node holds it: the store, the state tree of the latest block and
/// that block's certified header. It builds blocks (execute, compute roots) and commits them in
/// one atomic, durable step. Not thread-safe: the node's block producer is its only owner.
final class LedgerChain {
    let genesis: Genesis
    let suite: CryptoSuite
    let store: any LedgerStore
    let executor: TransactionExecutor
    /// Committed state values, cached; shared with admission's dry runs.
    let committedState: CommittedState

    /// The latest committed header.
    var head: BlockHeader
    /// Its hash.
    var headHash: Hash256
    /// Its commit certificate (`nil` for the genesis block, which the genesis file vouches for).
    var headCertificate: CommitCertificate?
    /// The state after the latest block.
    var stateTree: StateTree
    /// The chain parameters in force for the next block: governance's, read from the committed
    /// state (the parent's state, so every validator applies the same), or genesis's before any.
    private(set) var parameters: ChainParameters
    /// Governance's validator-set entries, oldest first (entry 0 holds the genesis validators);
    /// empty on a chain without governance state.
    private(set) var validatorSetEntries: [ValidatorSetEntry]

    private init(genesis: Genesis, store: any LedgerStore, executor: TransactionExecutor, head: BlockHeader,
                 certificate: CommitCertificate?, stateTree: StateTree, validatorSetEntries: [ValidatorSetEntry]) {
        self.genesis = genesis
        self.suite = genesis.suite
        self.store = store
        self.executor = executor
        self.committedState = CommittedState(store: store)
        self.head = head
        self.headHash = head.hash(suite: genesis.suite)
        self.headCertificate = certificate
        self.stateTree = stateTree
        self.parameters = genesis.parameters
        self.validatorSetEntries = validatorSetEntries
        refreshGovernance()
    }

    /// Reads what governance decides for the next blocks from the committed state: the parameters
    /// in force and any validator-set entries appended since the last read.
    func refreshGovernance() {
        let reader = committedState.reader(tree: stateTree)
        parameters = GovernanceContract.chainParameters(read: { reader.value(forKey: $0) }) ?? genesis.parameters
        validatorSetEntries += GovernanceContract.validatorSetEntries(
            from: UInt64(validatorSetEntries.count), read: { reader.value(forKey: $0) })
    }

    /// The validator set that certifies block `height`: the newest governance entry applying from
    /// `height` or earlier, or the genesis validators. Exact for every height up to the head + 2,
    /// since a change executed in block E applies from E + 2.
    func validators(at height: Height) -> ValidatorSet {
        LedgerChain.validators(at: height, entries: validatorSetEntries, genesis: genesis)
    }

    /// The set in force at `height` according to `entries` (oldest first), or the genesis validators.
    static func validators(at height: Height, entries: [ValidatorSetEntry], genesis: Genesis) -> ValidatorSet {
        entries.last(where: { $0.appliesFrom <= height })?.validators ?? genesis.validators
    }

    /// Opens the chain in `store`: writes the genesis block into an empty store, or checks that
    /// stored data belongs to `genesis` and is intact (head hash, certificate, chain links of
    /// recent blocks, and the state rebuilt from stored values matching the head's state root).
    /// - Throws: ``NodeError`` with a message for the operator; nothing is served from damaged data.
    static func open(genesis: Genesis, store: any LedgerStore, executor: TransactionExecutor = ChainContracts.executor())
        throws(NodeError) -> LedgerChain {
        if let problem = genesis.validationProblem() { throw .configuration("the genesis file is invalid: \(problem)") }
        let latest: Height?
        latest = try read { () throws(StoreError) in try store.latestHeight() }
        guard let latest else { return try createGenesis(genesis, store: store, executor: executor) }
        let stored = try read { () throws(StoreError) in try store.metadata(LedgerChain.genesisMetadataKey) }
        guard let stored, let storedGenesis = try? Genesis(canonicalBytes: stored) else {
            throw .corrupted("the stored genesis document is missing or unreadable")
        }
        guard storedGenesis == genesis else {
            throw .genesisMismatch(stored: "\(storedGenesis.chainID) (\(storedGenesis.hash.hex.prefix(16)))",
                                   given: "\(genesis.chainID) (\(genesis.hash.hex.prefix(16)))")
        }
        let entries = try read { () throws(StoreError) in
            try GovernanceContract.validatorSetEntries(read: { key throws(StoreError) in try store.stateValue(forKey: key) })
        }
        let (head, certificate) = try loadVerifiedHead(at: latest, genesis: genesis, store: store) { height in
            validators(at: height, entries: entries, genesis: genesis)
        }
        let tree = try rebuildState(suite: genesis.suite, store: store)
        guard tree.root == head.stateRoot else {
            throw .corrupted("the state rebuilt from storage has root \(tree.root.hex), but block \(latest) says \(head.stateRoot.hex)")
        }
        return LedgerChain(genesis: genesis, store: store, executor: executor, head: head, certificate: certificate,
                           stateTree: tree, validatorSetEntries: entries)
    }

    /// The metadata entry holding the canonical genesis document.
    static let genesisMetadataKey = "genesis"

    private static func createGenesis(_ genesis: Genesis, store: any LedgerStore, executor: TransactionExecutor)
        throws(NodeError) -> LedgerChain {
        let writes = GenesisState.writes(for: genesis).map { StateWrite(key: $0.key, value: $0.value) }
        let tree = StateTree(suite: genesis.suite).applying(writes)
        let header = BlockHeader(
            chainID: genesis.chainID, height: .genesis, time: genesis.time, previousHash: genesis.hash, proposer: 0,
            transactionCount: 0, transactionsRoot: MerkleTree.root(leaves: [], suite: genesis.suite),
            receiptsRoot: MerkleTree.root(leaves: [], suite: genesis.suite), stateRoot: tree.root,
            validatorsHash: genesis.validators.hash(suite: genesis.suite))
        let block = Block(header: header, transactions: [])
        let batch = CommitBatch(height: .genesis, blockHash: header.hash(suite: genesis.suite),
                                blockBytes: block.canonicalBytes, certificateBytes: [], transactionHashes: [],
                                receiptBytes: [], stateWrites: writes.map { StoreStateWrite(key: $0.key, value: $0.value) },
                                metadata: [genesisMetadataKey: genesis.canonicalBytes])
        try read { () throws(StoreError) in try store.commit(batch) }
        return LedgerChain(genesis: genesis, store: store, executor: executor, head: header, certificate: nil,
                           stateTree: tree, validatorSetEntries: [])
    }

    /// Runs a store call, turning its error into a ``NodeError``.
    static func read<T>(_ body: () throws(StoreError) -> T) throws(NodeError) -> T {
        do { return try body() } catch {
            if case .corrupted(let file, let detail) = error { throw .corrupted("\(file): \(detail)") }
            throw .storage(error.description)
        }
    }
}
