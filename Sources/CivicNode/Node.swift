import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// What became of a submitted transaction.
public enum CommitOutcome: Sendable, Equatable {
    /// It was committed in block `height` at position `index` with this receipt.
    case committed(height: Height, index: UInt32, receipt: Receipt)
    /// It left the mempool without being committed (for example it expired while waiting).
    case dropped(SubmissionError)
    /// The wait ended before the transaction was committed; it may still be committed later.
    case timedOut
}

/// A CivicLedger node with a single validator: admits transactions, builds, certifies and commits
/// blocks, and answers queries with proofs.
///
/// Concurrency: admission runs on the caller's thread (signature checks in parallel across
/// requests); the mempool, the waiters and the published snapshot sit behind one mutex; the
/// block producer (``run()``) is the only owner of the ``LedgerChain``.
public final class Node: Service, Sendable {
    /// How the node is set up.
    public struct Configuration: Sendable {
        /// The chain's genesis document.
        public var genesis: Genesis
        /// This node's validator key (must be the genesis validator).
        public var validatorKey: PrivateKey
        /// Most transactions waiting in the mempool.
        public var mempoolCapacity: Int
        /// Where wall-clock time comes from.
        public var clock: any NodeClock

        /// Creates a configuration.
        public init(genesis: Genesis, validatorKey: PrivateKey, mempoolCapacity: Int = Limits.mempoolTransactionsMax,
                    clock: any NodeClock = SystemClock()) {
            self.genesis = genesis
            self.validatorKey = validatorKey
            self.mempoolCapacity = mempoolCapacity
            self.clock = clock
        }
    }

    struct Shared {
        var mempool: Mempool
        var waiters: [Hash256: [(id: UInt64, continuation: CheckedContinuation<CommitOutcome, Never>)]] = [:]
        var nextWaiterID: UInt64 = 0
        var snapshot: ChainSnapshot
        var stopped = false
    }

    /// The chain's genesis document.
    public let genesis: Genesis
    /// Read-only queries over committed blocks.
    public let reader: LedgerReader
    let configuration: Configuration
    let shared: Mutex<Shared>
    let producer: BlockProducer
    let wakeUp: AsyncStream<Void>.Continuation
    let wakeUps: AsyncStream<Void>
    let logger: Logger
    let metrics: NodeMetrics

    /// Opens (or creates) the chain in `store` and prepares the node; call ``run()`` to produce blocks.
    /// - Throws: ``NodeError`` if the data is damaged, belongs to another chain, or the key is not the validator.
    public init(configuration: Configuration, store: any LedgerStore, logger: Logger) throws(NodeError) {
        Limits.checkRelations()
        let validator = try LocalValidator(key: configuration.validatorKey, genesis: configuration.genesis)
        let chain = try LedgerChain.open(genesis: configuration.genesis, store: store)
        self.genesis = configuration.genesis
        self.configuration = configuration
        self.reader = LedgerReader(genesis: configuration.genesis, store: store)
        self.logger = logger
        self.metrics = NodeMetrics()
        let snapshot = ChainSnapshot(head: chain.head, headHash: chain.headHash, certificate: chain.headCertificate,
                                     stateTree: chain.stateTree)
        self.shared = Mutex(Shared(mempool: Mempool(capacity: configuration.mempoolCapacity), snapshot: snapshot))
        self.producer = BlockProducer(chain: chain, validator: validator)
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        metrics.height.record(Int64(chain.head.height.rawValue))
        logger.info("ledger opened", metadata: [
            "chain": "\(genesis.chainID)", "suite": "\(genesis.suite)", "height": "\(chain.head.height)",
            "state_root": "\(chain.head.stateRoot.hex)",
        ])
    }

    /// The latest committed block as readers see it.
    public var snapshot: ChainSnapshot { shared.withLock { $0.snapshot } }

    /// How many transactions wait to be committed.
    public var pendingCount: Int { shared.withLock { $0.mempool.knownCount } }
}
