import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger

/// A deterministic in-process cluster (in the manner of TigerBeetle's VOPR): one seed drives message
/// drops, delays (hence reordering), duplicates, symmetric and one-way partitions, crashes and
/// restarts, and Byzantine validators run as Twins. Invariants are checked after every tick:
///
/// - no two honest nodes commit different blocks at a height;
/// - every commit carries a certificate that verifies, and its block's hash is its payload's hash;
/// - an honest chain grows by contiguous heights and never shrinks (not even across a crash), so a
///   transaction once committed is never lost.
///
/// A safety phase with faults is followed by a liveness phase: partitions heal, crashed nodes restart,
/// drops stop, the second instance of each twin stops; every honest node must then gain
/// ``SimulationConfig/livenessHeightsMin`` heights.
public struct Simulation {
    struct Node {
        var id: Int
        var validatorIndex: UInt32
        /// 0 for an honest node, 1 or 2 for the two instances of a twin.
        var twinSide: Int
        /// For honest nodes: which half of the network twins of side 1 or 2 see.
        var group: Int
        var driver: ConsensusDriver
        var crashed = false
        var stopped = false
        var restartAt: UInt64 = 0
        var mempool: [UInt64] = []
        var checkedHeight = 0
        var isHonest: Bool { twinSide == 0 }
    }

    struct Envelope {
        var deliverAt: UInt64
        var sequence: UInt64
        var from: Int
        var to: Int
        var message: ConsensusMessage
    }

    struct Partition {
        var groupOf: [Int]
        var oneWay: Bool
        var until: UInt64
        func blocks(_ from: Int, _ to: Int) -> Bool {
            groupOf[from] != groupOf[to] && (!oneWay || groupOf[from] == 0)
        }
    }

    /// The run's configuration.
    public let config: SimulationConfig
    let validators: ValidatorSet
    let keys: [PrivateKey]
    var random: SplitMix64
    var nodes: [Node] = []
    var envelopes: [Envelope] = []
    var sequence: UInt64 = 0
    var time: UInt64 = 0
    var partition: Partition?
    var twinsIsolated = true
    var faultsOn = true
    var decided: [Hash256] = []
    var nextTransaction: UInt64 = 1
    var trace: [String] = []
    var traceNext = 0
    var report: SimulationReport

    /// Builds the cluster: honest nodes first by validator index, then the twins' instances.
    public init(config: SimulationConfig) {
        self.config = config
        validators = TestValidators.set(count: config.validatorCount)
        keys = (0..<config.validatorCount).map { TestValidators.key($0) }
        random = SplitMix64(seed: config.seed)
        report = SimulationReport(seed: config.seed, heightMin: 0, heightMax: 0)
        let honest = config.twinCount..<config.validatorCount
        for index in 0..<config.validatorCount {
            let sides = index < config.twinCount ? [1, 2] : [0]
            for side in sides {
                let group = side == 0 ? ((index - honest.lowerBound) < honest.count / 2 ? 1 : 2) : side
                let driver = ConsensusDriver(config: config.consensus, validators: validators,
                                             index: UInt32(index), key: keys[index])
                nodes.append(Node(id: nodes.count, validatorIndex: UInt32(index), twinSide: side, group: group,
                                  driver: driver))
            }
        }
    }

    /// Runs both phases.
    /// - Returns: what happened.
    /// - Throws: ``SimulationFailure`` at the first broken invariant, or when liveness is not reached.
    public mutating func run() throws(SimulationFailure) -> SimulationReport {
        for id in nodes.indices { handle(id, nodes[id].driver.drain()) }
        while time < config.safetyTicks { try step() }
        heal()
        let target = honestHeights().max()! + config.livenessHeightsMin
        let deadline = time + config.livenessTicks
        while time < deadline, honestHeights().min()! < target { try step() }
        let heights = honestHeights()
        report.heightMin = heights.min()!
        report.heightMax = heights.max()!
        guard report.heightMin >= target else {
            throw failure("liveness: honest heights \(heights) did not all reach \(target) within "
                          + "\(config.livenessTicks) ticks of healing")
        }
        for node in nodes where node.isHonest {
            report.equivocations += node.driver.equivocations.count
            report.refusals += node.driver.refusals.count
        }
        return report
    }

    /// One tick of the whole cluster, then the invariants.
    mutating func step() throws(SimulationFailure) {
        time += 1
        if faultsOn { injectFaults() }
        for id in nodes.indices where nodes[id].crashed && !nodes[id].stopped && nodes[id].restartAt <= time {
            restart(id)
        }
        deliverDue()
        for id in nodes.indices where !nodes[id].crashed {
            handle(id, nodes[id].driver.tick())
        }
        if random.chance(perMille: config.transactionPerMille) { submitTransaction() }
        if time % config.syncPeriodTicks == 0 { syncBlocks() }
        try checkInvariants()
    }

    func honestHeights() -> [Int] {
        nodes.filter(\.isHonest).map(\.driver.chain.count)
    }

    /// Routes a driver's output and answers its block request.
    mutating func handle(_ id: Int, _ result: (actions: [ConsensusAction], outgoing: [Outgoing])) {
        for message in result.outgoing { route(from: id, message) }
        for case .commit(let block, let certificate) in result.actions {
            record("n\(id) commit h\(certificate.height) r\(certificate.round) \(TestValidators.short(block.hash))")
            let committed = Set(Simulation.transactions(in: block))
            nodes[id].mempool.removeAll { committed.contains($0) }
        }
        if let request = nodes[id].driver.blockRequest {
            let block = makeBlock(id, height: request.height, round: request.round)
            handle(id, nodes[id].driver.propose(block))
        }
    }

    /// A block of the node's oldest pending transactions.
    mutating func makeBlock(_ id: Int, height: Height, round: Round) -> ProposedBlock {
        var encoder = CanonicalEncoder()
        encoder.encode(height)
        encoder.encode(round)
        encoder.encode(UInt32(id))
        encoder.encode(sequence: Array(nodes[id].mempool.prefix(config.blockTransactionsMax)))
        return TestValidators.block(encoder.bytes)
    }

    /// The transactions of a simulated block (empty if it does not decode).
    static func transactions(in block: ProposedBlock) -> [UInt64] {
        var decoder = CanonicalDecoder(block.payload)
        do {
            _ = try decoder.decode(Height.self)
            _ = try decoder.decode(Round.self)
            _ = try decoder.decodeUInt32("proposer")
            return try decoder.decodeSequence(UInt64.self, "transactions", max: 64)
        } catch {
            return []
        }
    }

    /// `valid(v)`: the payload decodes, names the proposal's height, and hashes to the block's id.
    static func isValid(_ block: ProposedBlock, height: Height) -> Bool {
        guard block.hash == CryptoSuite.intl.hash(block.payload) else { return false }
        var decoder = CanonicalDecoder(block.payload)
        return (try? decoder.decode(Height.self)) == height
    }

    mutating func submitTransaction() {
        let live = nodes.indices.filter { !nodes[$0].crashed }
        guard !live.isEmpty else { return }
        let target = live[random.below(live.count)]
        nodes[target].mempool.append(nextTransaction)
        nextTransaction += 1
    }

    /// Appends an event to the trace ring.
    mutating func record(_ event: String) {
        let line = "t\(time) " + event
        if trace.count < config.traceTailCount {
            trace.append(line)
        } else {
            trace[traceNext] = line
        }
        traceNext = (traceNext + 1) % config.traceTailCount
    }

    func failure(_ reason: String) -> SimulationFailure {
        var tail = trace.count < config.traceTailCount ? trace : Array(trace[traceNext...] + trace[..<traceNext])
        for node in nodes {
            guard let core = node.driver.core else {
                tail.append("n\(node.id) v\(node.validatorIndex) down, chain \(node.driver.chain.count)")
                continue
            }
            let locked = core.lockedRound.map { "r\($0) \(TestValidators.short(core.lockedBlockHash))" } ?? "-"
            let valid = core.validRound.map { "r\($0) \(TestValidators.short(core.validBlock?.hash))" } ?? "-"
            tail.append("n\(node.id) v\(node.validatorIndex)\(node.isHonest ? "" : " twin") h\(core.height) "
                        + "r\(core.round) \(core.step) locked \(locked) valid \(valid) "
                        + "chain \(node.driver.chain.count)")
        }
        return SimulationFailure(seed: config.seed, reason: reason, traceTail: tail)
    }
}
