import CivicLedger

/// The tunable bounds of one consensus engine: timeouts in ticks and the sizes of its buffers.
///
/// Time inside the core is counted in ticks (`ConsensusCore.tick()`); the driver decides how long a
/// tick is. Timeouts grow linearly with the round so that, after the network stabilizes, some round
/// is long enough for every honest validator to hear from every other (the paper's partial-synchrony
/// argument): `timeout(round) = base + round × delta`.
public struct ConsensusConfig: Sendable, Equatable {
    /// The chain id mixed into every signed proposal and vote.
    public var chainID: String
    /// `timeoutPropose(0)`: how long a validator waits for the round's proposal.
    public var timeoutTicksPropose: UInt64 = 30
    /// Added to `timeoutTicksPropose` per round.
    public var timeoutTicksProposeDelta: UInt64 = 10
    /// `timeoutPrevote(0)`: how long a validator waits after 2f+1 prevotes for anything.
    public var timeoutTicksPrevote: UInt64 = 10
    /// Added to `timeoutTicksPrevote` per round.
    public var timeoutTicksPrevoteDelta: UInt64 = 5
    /// `timeoutPrecommit(0)`: how long a validator waits after 2f+1 precommits for anything.
    public var timeoutTicksPrecommit: UInt64 = 10
    /// Added to `timeoutTicksPrecommit` per round.
    public var timeoutTicksPrecommitDelta: UInt64 = 5
    /// Every this many ticks the core re-broadcasts its own proposal and votes of the current round
    /// (gossip's periodic re-send, so that a lost message does not stall a round).
    public var rebroadcastTicks: UInt64 = 20
    /// Most messages buffered for future heights; beyond it new ones are dropped.
    public var futureMessagesMax: Int = 1024
    /// Messages for heights further ahead than this are dropped instead of buffered.
    public var futureHeightsMax: UInt64 = 2
    /// Messages for rounds further ahead of the current round than this are dropped.
    public var futureRoundsMax: UInt32 = 64
    /// Largest block payload accepted in a proposal, in bytes.
    public var blockPayloadBytesMax: Int = Limits.blockBytesMax

    /// Creates a configuration with the default timeouts and limits.
    public init(chainID: String) {
        self.chainID = chainID
    }

    /// The propose timeout of `round`, in ticks.
    public func timeoutTicks(_ kind: TimeoutKind, round: Round) -> UInt64 {
        let multiple = UInt64(round.rawValue)
        switch kind {
        case .propose: return timeoutTicksPropose + multiple * timeoutTicksProposeDelta
        case .prevote: return timeoutTicksPrevote + multiple * timeoutTicksPrevoteDelta
        case .precommit: return timeoutTicksPrecommit + multiple * timeoutTicksPrecommitDelta
        }
    }

    /// Asserts the relations between the limits.
    /// - Precondition: timeouts and buffers are positive and the payload fits a block.
    public func checkRelations() {
        precondition(timeoutTicksPropose > 0 && timeoutTicksPrevote > 0 && timeoutTicksPrecommit > 0,
                     "timeouts must be at least one tick")
        precondition(rebroadcastTicks > 0, "re-broadcast period must be at least one tick")
        precondition(futureMessagesMax > 0 && futureHeightsMax > 0 && futureRoundsMax > 0,
                     "future buffers must hold something")
        precondition(blockPayloadBytesMax > 0 && blockPayloadBytesMax <= Limits.blockBytesMax,
                     "a proposal's payload must fit in a block")
    }
}

/// The three timeouts of Tendermint's round.
public enum TimeoutKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// Waiting for the proposal (lines 57–60).
    case propose = 1
    /// Waiting after 2f+1 prevotes for anything (lines 61–64).
    case prevote = 2
    /// Waiting after 2f+1 precommits for anything (lines 65–67).
    case precommit = 3

    /// `propose`, `prevote` or `precommit`.
    public var description: String {
        switch self {
        case .propose: "propose"
        case .prevote: "prevote"
        case .precommit: "precommit"
        }
    }
}
