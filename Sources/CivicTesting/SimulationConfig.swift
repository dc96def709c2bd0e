import CivicConsensus
import CivicCrypto
import CivicLedger

/// The knobs of one simulated run: cluster shape, fault rates (per mille per opportunity), phases.
public struct SimulationConfig: Sendable {
    /// Validators in the set (n = 3f + 1 is the interesting case).
    public var validatorCount: Int
    /// Byzantine validators, each run as Twins: two instances sharing one key. At most f.
    public var twinCount: Int
    /// The seed that decides every fault and delay.
    public var seed: UInt64
    /// Ticks of the safety phase, in which faults are injected.
    public var safetyTicks: UInt64 = 300
    /// Most ticks of the liveness phase, in which the network heals.
    public var livenessTicks: UInt64 = 600
    /// Heights every honest node must gain past the highest honest height at the start of liveness.
    public var livenessHeightsMin: Int = 3
    /// Chance that one delivery is dropped.
    public var dropPerMille = 100
    /// Chance that one delivery is duplicated.
    public var duplicatePerMille = 50
    /// Largest delivery delay, in ticks (random delays reorder messages).
    public var delayTicksMax = 6
    /// Chance per tick that a partition starts when none is active.
    public var partitionPerMille = 15
    /// Longest partition, in ticks.
    public var partitionTicksMax = 60
    /// Chance per tick that an honest node crashes.
    public var crashPerMille = 8
    /// Longest time a crashed node stays down, in ticks.
    public var crashTicksMax = 80
    /// Most honest nodes down at once.
    public var crashedMax = 1
    /// Chance per tick that a client submits a transaction.
    public var transactionPerMille = 400
    /// Most transactions a proposer puts in a block.
    public var blockTransactionsMax = 4
    /// Every this many ticks each node asks a random peer for the next block it lacks (block sync).
    public var syncPeriodTicks: UInt64 = 5
    /// Events kept for the trace printed on failure.
    public var traceTailCount = 40
    /// The engines' configuration (short timeouts: a tick is one network delay).
    public var consensus: ConsensusConfig

    /// A run of `validatorCount` validators, `twinCount` of them Byzantine, under `seed`.
    /// - Precondition: `twinCount ≤ (validatorCount − 1) / 3`.
    public init(validatorCount: Int, twinCount: Int, seed: UInt64) {
        precondition(validatorCount >= 1 && twinCount >= 0 && twinCount <= (validatorCount - 1) / 3,
                     "at most f = (n − 1) / 3 Byzantine validators")
        self.validatorCount = validatorCount
        self.twinCount = twinCount
        self.seed = seed
        var consensus = ConsensusConfig(chainID: TestValidators.chainID)
        consensus.timeoutTicksPropose = 12
        consensus.timeoutTicksProposeDelta = 4
        consensus.timeoutTicksPrevote = 6
        consensus.timeoutTicksPrevoteDelta = 3
        consensus.timeoutTicksPrecommit = 6
        consensus.timeoutTicksPrecommitDelta = 3
        consensus.rebroadcastTicks = 10
        self.consensus = consensus
    }
}

/// What a run did.
public struct SimulationReport: Sendable, CustomStringConvertible {
    /// The run's seed.
    public var seed: UInt64
    /// The lowest and highest honest chain height at the end.
    public var heightMin: Int
    /// The highest honest chain height at the end.
    public var heightMax: Int
    /// Messages delivered and dropped.
    public var delivered = 0
    /// Messages dropped by faults, partitions or crashes.
    public var dropped = 0
    /// Crashes injected.
    public var crashes = 0
    /// Partitions injected.
    public var partitions = 0
    /// Equivocations reported by honest nodes.
    public var equivocations = 0
    /// Signing requests the honest signers refused.
    public var refusals = 0
    /// Transactions committed.
    public var transactionsCommitted = 0

    /// One line.
    public var description: String {
        "seed \(seed): heights \(heightMin)...\(heightMax), delivered \(delivered), dropped \(dropped), "
            + "crashes \(crashes), partitions \(partitions), equivocations \(equivocations), refusals \(refusals), "
            + "transactions \(transactionsCommitted)"
    }
}

/// A broken invariant, with the seed that reproduces it and the last events.
public struct SimulationFailure: Error, Sendable, CustomStringConvertible {
    /// The run's seed.
    public var seed: UInt64
    /// What went wrong.
    public var reason: String
    /// The last events before it.
    public var traceTail: [String]

    /// The seed, the reason and the trace tail.
    public var description: String {
        "simulation failed with seed \(seed): \(reason)\n" + traceTail.map { "  " + $0 }.joined(separator: "\n")
    }
}
