import CivicApps
import CivicCodec
import CivicConsensus
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicNetwork
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

/// A CivicLedger node: admits and gossips transactions, takes part in BFT consensus (or follows it),
/// validates, executes and commits blocks, catches up from peers, and answers queries with proofs.
///
/// Concurrency: admission runs on the caller's thread (signature checks in parallel across
/// requests); the mempool, the waiters and the published snapshot sit behind one mutex; the
/// consensus loop (``run()``) is the only owner of the ``LedgerChain``, the consensus core and the
/// signer, and performs the core's actions in order.
public final class Node: Service, Sendable {
    /// How the node is set up.
    public struct Configuration: Sendable {
        /// The chain's genesis document.
        public var genesis: Genesis
        /// This node's key: its validator key if genesis lists it, otherwise the node follows the
        /// chain without voting. It also signs the node's reports of equivocation.
        public var validatorKey: PrivateKey
        /// Most transactions waiting in the mempool.
        public var mempoolCapacity: Int
        /// Where wall-clock time comes from.
        public var clock: any NodeClock
        /// Where the signer's last votes and the consensus valid value are kept (files
        /// `signer-state` and `valid-value`); `nil` keeps them in memory (tests only: a restart
        /// could then sign twice).
        public var consensusDirectory: String?
        /// The other nodes; `nil` for a network of one.
        public var peers: (any PeerLink)?
        /// The length of a consensus tick.
        public var tickMilliseconds: Int
        /// Whether a proposal carries its transactions' bodies (the classic way) instead of only
        /// their hashes, relying on gossip for the bodies.
        public var proposalsCarryTransactions: Bool
        /// Certificates the node depends on, watched for expiry (logs, metrics, `/v1/chain`).
        public var certificates: [MonitoredCertificate] = []
        /// Told whom the chain trusts (organizations' CAs, revocations, peer members): once at
        /// start and after each block that changes it. The transport reloads its trust from it.
        public var onTrustChange: (@Sendable (ChainTrust) -> Void)?

        /// Creates a configuration.
        public init(genesis: Genesis, validatorKey: PrivateKey, mempoolCapacity: Int = Limits.mempoolTransactionsMax,
                    clock: any NodeClock = SystemClock(), consensusDirectory: String? = nil,
                    peers: (any PeerLink)? = nil, tickMilliseconds: Int = 10, proposalsCarryTransactions: Bool = false) {
            self.genesis = genesis
            self.validatorKey = validatorKey
            self.mempoolCapacity = mempoolCapacity
            self.clock = clock
            self.consensusDirectory = consensusDirectory
            self.peers = peers
            self.tickMilliseconds = tickMilliseconds
            self.proposalsCarryTransactions = proposalsCarryTransactions
        }

        /// The consensus timeouts in ticks of ``tickMilliseconds``: 1 s to propose, 0.5 s after
        /// prevotes and precommits, growing by half of that per round; own votes re-sent every 0.5 s.
        var consensus: ConsensusConfig {
            var config = ConsensusConfig(chainID: genesis.chainID)
            let ticks = { (milliseconds: Int) in UInt64(max(1, milliseconds / max(1, tickMilliseconds))) }
            config.timeoutTicksPropose = ticks(1_000)
            config.timeoutTicksProposeDelta = ticks(500)
            config.timeoutTicksPrevote = ticks(500)
            config.timeoutTicksPrevoteDelta = ticks(250)
            config.timeoutTicksPrecommit = ticks(500)
            config.timeoutTicksPrecommitDelta = ticks(250)
            config.rebroadcastTicks = ticks(500)
            return config
        }
    }

    struct Shared {
        var mempool: Mempool
        var waiters: [Hash256: [(id: UInt64, continuation: CheckedContinuation<CommitOutcome, Never>)]] = [:]
        var nextWaiterID: UInt64 = 0
        var snapshot: ChainSnapshot
        var stopped = false
        /// Locally admitted transactions not yet gossiped.
        var outbox: [[UInt8]] = []
        /// Whether an `.admitted` event is queued and not yet handled.
        var admissionSignalled = false
        /// Blocks published since start (admission compares it across its replay check).
        var commits: UInt64 = 0
        /// The certificates watched for expiry (the configured ones, as replaced since).
        var certificates: [MonitoredCertificate] = []
    }

    /// The chain's genesis document.
    public let genesis: Genesis
    /// Read-only queries over committed blocks.
    public let reader: LedgerReader
    let configuration: Configuration
    let shared: Mutex<Shared>
    let engine: Engine
    let events: AsyncStream<Engine.Event>
    let eventSink: AsyncStream<Engine.Event>.Continuation
    let logger: Logger
    let metrics: NodeMetrics
    /// When this node started, by its clock.
    public let startedAt: Timestamp
    /// Wakes ``waitForCommit(above:timeout:)`` after each published block.
    let commitSignal = CommitSignal()

    /// Opens (or creates) the ledger in `store`, verifies it, and restores the signer's state.
    public init(configuration: Configuration, store: any LedgerStore, logger: Logger) throws(NodeError) {
        Limits.checkRelations()
        let chain = try LedgerChain.open(genesis: configuration.genesis, store: store,
                                         executor: ChainContracts.executor(certificates: X509CertificateChecker()))
        self.genesis = configuration.genesis
        self.configuration = configuration
        self.reader = LedgerReader(genesis: configuration.genesis, store: store)
        self.logger = logger
        self.metrics = NodeMetrics(refusals: RefusalLog(clock: configuration.clock))
        self.startedAt = configuration.clock.now()
        let snapshot = ChainSnapshot(head: chain.head, headHash: chain.headHash, certificate: chain.headCertificate,
                                     stateTree: chain.stateTree, parameters: chain.parameters,
                                     validators: chain.validators(at: chain.head.height.next))
        self.shared = Mutex(Shared(mempool: Mempool(capacity: configuration.mempoolCapacity), snapshot: snapshot,
                                   certificates: configuration.certificates))
        self.engine = try Engine(configuration: configuration, chain: chain)
        (events, eventSink) = AsyncStream.makeStream(of: Engine.Event.self)
        metrics.height.record(Int64(chain.head.height.rawValue))
        restoreValidValueTransactions()
        refreshTrust()
        logger.info("ledger opened", metadata: [
            "chain": "\(genesis.chainID)", "suite": "\(genesis.suite)", "height": "\(chain.head.height)",
            "state_root": "\(chain.head.stateRoot.hex)",
            "role": "\(engine.validatorIndex.map { "validator #\($0)" } ?? "follower")",
        ])
    }

    /// The latest committed block and state, as published after each commit.
    public var snapshot: ChainSnapshot { shared.withLock { $0.snapshot } }

    /// How many admitted transactions wait to be committed.
    public var pendingCount: Int { shared.withLock { $0.mempool.count } }

    /// This node's index in the validator set of the next block, or `nil` if it only follows the chain.
    public var validatorIndex: UInt32? { snapshot.validators.index(of: configuration.validatorKey.publicKey) }

    /// The watched certificates and how close each is to expiry now.
    public var certificateStatus: [(certificate: MonitoredCertificate, warning: ExpiryWarning?)] {
        let now = configuration.clock.now()
        return shared.withLock { $0.certificates }.map { ($0, $0.warning(at: now)) }
    }

    /// Watches `certificate` from now on instead of the one with its name (after a rotation), and
    /// checks it at once: its expiry gauge and warning band follow the new certificate.
    public func replaceCertificate(_ certificate: MonitoredCertificate) {
        shared.withLock { shared in
            shared.certificates.removeAll { $0.name == certificate.name }
            shared.certificates.append(certificate)
        }
        eventSink.yield(.certificatesChanged)
    }

    /// This node's key (its validator key when genesis or governance lists it).
    public var publicKey: PublicKey { configuration.validatorKey.publicKey }

    /// The newest refusals this node made and their counts by code since start.
    public var refusals: RefusalLog { metrics.refusals }

    /// The peers connected now, by key.
    public var connectedPeers: [PublicKey] { configuration.peers?.connectedPeers ?? [] }

    /// The node's wall clock (block times, expiries and the console's sessions all read it).
    public var clock: any NodeClock { configuration.clock }
}
