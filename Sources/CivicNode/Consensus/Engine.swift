import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger
import CivicNetwork

/// The durable record of one guarded value (the signer's last votes, or the consensus valid value):
/// an atomically replaced file, or memory for tests.
enum ConsensusRecord: SignerStateStore, Sendable {
    case memory(InMemorySignerStateStore)
    case file(FileSignerStateStore)

    func load() throws(SignerError) -> [UInt8]? {
        switch self {
        case .memory(let store): try store.load()
        case .file(let store): try store.load()
        }
    }

    mutating func save(_ record: [UInt8]) throws(SignerError) {
        switch self {
        case .memory(var store):
            try store.save(record)
            self = .memory(store)
        case .file(var store):
            try store.save(record)
            self = .file(store)
        }
    }
}

/// Everything the consensus loop owns: the ledger chain, the consensus core, the guarded signer and
/// the blocks validated at the current height. Only the loop (``Node/run()``), or a test driving the
/// node synchronously, touches it; never both.
final class Engine: @unchecked Sendable {
    /// What wakes the loop.
    enum Event: Sendable {
        /// A consensus tick passed.
        case tick
        /// A peer sent a frame.
        case frame(InboundFrame)
        /// Transactions were admitted locally.
        case admitted
        /// A watched certificate was replaced.
        case certificatesChanged
    }

    /// A block that passed validation at the current height, ready to commit.
    struct Validated {
        var pending: PendingBlock
        /// The transactions' canonical bytes, in block order.
        var encoded: [[UInt8]]
    }

    /// A proposal waiting for transaction bodies that gossip has not brought yet.
    struct Parked {
        var peer: PublicKey
        var signed: SignedProposal
        var outline: BlockOutline
        /// The bodies it waits for.
        var missing: Set<Hash256>
    }

    let chain: LedgerChain
    let consensusConfig: ConsensusConfig
    let nodeKey: PrivateKey
    /// The validator set of the height being decided (the head's next).
    private(set) var validators: ValidatorSet
    /// This node's index in ``validators``, or `nil` while it only follows the chain.
    private(set) var validatorIndex: UInt32?
    /// Validator public keys by index (for `send(_:to:)`).
    var validatorKeys: [PublicKey] { validators.validators.map(\.publicKey) }

    var signer: VoteSigner<ConsensusRecord>?
    /// The signer's durable record, kept for a signer made when this node joins the set.
    private var signerRecord: ConsensusRecord
    var validValueRecord: ConsensusRecord
    var core: ConsensusCore?
    /// Counts the cores created, so that a Ready of a replaced core is not acknowledged to its successor.
    var coreGeneration: UInt64 = 0
    /// Whether the core's clock runs: only while there is something to decide, so that an idle chain
    /// neither makes empty blocks nor climbs rounds.
    var awake = false
    /// The highest height at which a peer's proposal or vote was seen (peers are deciding it).
    var peerActiveHeight: Height?
    /// The core asked this validator for a block.
    var blockRequest: (height: Height, round: Round)?
    var validated: [Hash256: Validated] = [:]
    var parked: [Parked] = []
    /// Ticks since start.
    var ticks: UInt64 = 0
    /// When the last block was committed (ticks), to space proposals by the block interval.
    var lastCommitTick: UInt64 = 0
    /// The committed heights peers reported.
    var peerHeights: [PublicKey: Height] = [:]
    /// When blocks were last served to each peer (ticks), to rate-limit answers.
    var servedAt: [PublicKey: UInt64] = [:]
    /// The outstanding sync request: whom, and when (ticks).
    var syncRequest: (peer: PublicKey, tick: UInt64)?
    /// The expiry band each watched certificate was last seen in (logged once per band).
    var certificateWarnings: [String: ExpiryWarning?] = [:]
    /// The trust last published to ``Node/Configuration/onTrustChange``.
    var trust: ChainTrust?
    /// Equivocations already reported by this node.
    var reported: Set<[UInt8]> = []

    init(configuration: Node.Configuration, chain: LedgerChain) throws(NodeError) {
        let genesis = configuration.genesis
        self.chain = chain
        self.consensusConfig = configuration.consensus
        self.nodeKey = configuration.validatorKey
        self.validators = chain.validators(at: chain.head.height.next)
        guard configuration.validatorKey.publicKey.suite == genesis.suite else {
            throw .configuration("the validator key is a \(configuration.validatorKey.publicKey.suite) key; this chain uses \(genesis.suite)")
        }
        if configuration.peers == nil {
            guard let index = validators.index(of: configuration.validatorKey.publicKey) else {
                throw .configuration("the node's key is not among the validators and no peers are configured, so it has no chain to follow")
            }
            guard validators.validator(at: index)!.power >= validators.quorumPower else {
                throw .configuration("the chain has \(validators.count) validators; without peers this node cannot reach a quorum alone (start a devnet instead)")
            }
        }
        if let directory = configuration.consensusDirectory {
            signerRecord = .file(FileSignerStateStore(path: directory + "/signer-state"))
            validValueRecord = .file(FileSignerStateStore(path: directory + "/valid-value",
                                                          recordBytesMax: Engine.validValueBytesMax))
        } else {
            signerRecord = .memory(InMemorySignerStateStore())
            validValueRecord = .memory(InMemorySignerStateStore())
        }
        try restartCore()
    }

    /// The largest valid-value record: an outline of a full block, its proof of lock, and the
    /// block's transaction bodies.
    static let validValueBytesMax = Limits.blockTransactionsMax * 48 + Limits.blockBodyBytesMax + 64 * 1024

    /// Transaction bodies of the restored valid value, for the node to put back in its mempool.
    var restoredTransactions: [[UInt8]] = []

    /// Creates the core at the height after the head with the validator set in force there,
    /// resuming from the signer's record and the persisted valid value; the signer's own votes of
    /// that height count again. A node outside the set has no core (it follows by sync); one that
    /// joined the set, or whose index moved, gets a signer for its new index over the same record.
    func restartCore() throws(NodeError) {
        validators = chain.validators(at: chain.head.height.next)
        let index = validators.index(of: nodeKey.publicKey)
        if index != signer?.validatorIndex {
            if let previous = signer { signerRecord = previous.store }
            signer = nil
            if let index {
                do {
                    signer = try VoteSigner(key: nodeKey, validatorIndex: index, chainID: chain.genesis.chainID,
                                            store: signerRecord)
                } catch {
                    throw .configuration("the signer's state could not be restored: \(error.description)")
                }
            }
        }
        validatorIndex = index
        coreGeneration += 1
        blockRequest = nil
        validated = [:]
        parked = []
        guard let index, let signer else {
            core = nil
            return
        }
        let height = chain.head.height.next
        guard signer.state.height <= height else {
            throw .corrupted("the signer signed at height \(signer.state.height), above the ledger's next height \(height); the ledger lost blocks")
        }
        var validValue: ValidValueRecord?
        do {
            if let bytes = try validValueRecord.load() {
                guard let durable = try? DurableValidValue(canonicalBytes: bytes) else {
                    throw NodeError.corrupted("the consensus valid value record does not decode")
                }
                validValue = durable.record
                restoredTransactions = durable.record.height == height ? durable.transactions : []
            }
        } catch let error as SignerError {
            throw .storage("the consensus valid value could not be read: \(error.description)")
        } catch let error as NodeError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        var core = ConsensusCore(config: consensusConfig, validators: validators,
                                 validatorIndex: index, height: height, restoring: signer.state,
                                 validValue: validValue?.height == height ? validValue : nil)
        let restored = signer.state
        if restored.height == height {
            for case let signed? in [restored.prevote, restored.precommit] { try? core.step(.vote(signed)) }
            // A node that signed at this height was in the middle of deciding it.
            awake = true
        }
        self.core = core
    }
}
