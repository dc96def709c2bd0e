import CivicCodec
import CivicCrypto
import CivicLedger

/// Tendermint BFT consensus for one validator as a pure, deterministic state machine.
///
/// Follows Algorithm 1 of Buchman, Kwon and Milosevic, "The latest gossip on BFT consensus"
/// (arXiv 1807.04938), in the shape of etcd's raft:
///
/// - inputs: ``tick()`` (time), ``step(_:)`` (proposals, votes and decisions from peers, and this
///   validator's own signed messages stepped back), ``propose(block:)`` (the answer to
///   ``ConsensusAction/requestBlock(height:round:)``);
/// - output: ``ready()`` lists, in order, what to sign (the signer persists before it returns), what
///   to send, what was committed, equivocations and timers; the driver performs them in order and calls
///   ``advance(_:)``.
///
/// No clock, randomness, I/O or key lives inside: the key is the signer's (``VoteSigner``).
/// Choices the paper leaves open:
/// - proposer of `(height, round)` is the validator at index `(height + round) mod n` (simple
///   round-robin; voting power does not weight it);
/// - `valid(v)` is the driver's verdict, handed in with the proposal (``ConsensusInput``);
/// - signatures are verified here, on every message that is not an exact duplicate of one held;
/// - the proposer also schedules `timeoutPropose`, so that a proposer whose block never comes (or
///   whose signer refuses after a restart) still moves on;
/// - the validator set is the same at every height.
public struct ConsensusCore: Sendable {
    /// The step of the current round (`step_p`), ordered propose < prevote < precommit.
    public enum Step: UInt8, Sendable, Comparable, CustomStringConvertible {
        /// Waiting for the proposal.
        case propose = 1
        /// Prevoted; waiting for prevotes.
        case prevote = 2
        /// Precommitted; waiting for precommits.
        case precommit = 3

        /// Orders by position in the round.
        public static func < (lhs: Step, rhs: Step) -> Bool { lhs.rawValue < rhs.rawValue }
        /// `propose`, `prevote` or `precommit`.
        public var description: String {
            switch self {
            case .propose: "propose"
            case .prevote: "prevote"
            case .precommit: "precommit"
            }
        }
    }

    struct ScheduledTimeout: Sendable, Equatable {
        var kind: TimeoutKind
        var height: Height
        var round: Round
        var deadline: UInt64
    }

    /// Timeouts, limits and chain id.
    public let config: ConsensusConfig
    /// The validators (the same at every height).
    public let validators: ValidatorSet
    /// This validator's index in `validators`.
    public let validatorIndex: UInt32
    /// `h_p`: the height being decided.
    public internal(set) var height: Height
    /// `round_p`.
    public internal(set) var round: Round
    /// `step_p`.
    public internal(set) var step: Step
    /// `lockedRound_p` (`nil` is −1).
    public internal(set) var lockedRound: Round?
    /// `id(lockedValue_p)`.
    public internal(set) var lockedBlockHash: Hash256?
    /// `validRound_p` (`nil` is −1).
    public internal(set) var validRound: Round?
    /// `validValue_p`.
    public internal(set) var validBlock: ProposedBlock?
    /// Ticks since the core was created.
    public internal(set) var now: UInt64 = 0

    var rounds: [Round: RoundState] = [:]
    var timers: [ScheduledTimeout] = []
    var lastRebroadcast: UInt64 = 0
    var futureInputs: [ConsensusInput] = []
    var lastDecision: (block: ProposedBlock, certificate: CommitCertificate)?
    var catchUpSentAt: [UInt64?]
    var awaitingBlock = false
    var pending: [ConsensusAction] = []

    /// Starts deciding `height` (the last committed height plus one).
    ///
    /// After a restart pass the signer's persisted state and the last persisted valid value: the core
    /// resumes at the last round the signer signed in at this height, with the signer's lock, and with
    /// `validValue_p`, `validRound_p` and their proof of lock, so that it never asks for a vote the
    /// signer must refuse on the lock's account and can still propose its valid value.
    /// - Precondition: `validatorIndex` is in the set; the signer state is not ahead of `height`.
    public init(config: ConsensusConfig, validators: ValidatorSet, validatorIndex: UInt32, height: Height,
                restoring signerState: SignerState? = nil, validValue: ValidValueRecord? = nil) {
        config.checkRelations()
        precondition(Int(validatorIndex) < validators.count, "this validator is not in the set")
        precondition(height > .genesis, "consensus decides heights above genesis")
        self.config = config
        self.validators = validators
        self.validatorIndex = validatorIndex
        self.height = height
        self.round = Round(0)
        self.step = .propose
        self.catchUpSentAt = Array(repeating: nil, count: validators.count)
        var startRound = Round(0)
        if let signerState, signerState.height == height {
            startRound = signerState.round
            lockedRound = signerState.lockedRound
            lockedBlockHash = signerState.lockedBlockHash
        }
        precondition(signerState.map { $0.height <= height } ?? true, "the signer signed above the chain's height")
        if let validValue, validValue.height == height {
            validBlock = validValue.block
            validRound = validValue.round
            var state = RoundState(validatorCount: validators.count)
            for prevote in validValue.prevotes {
                precondition(Int(prevote.validatorIndex) < validators.count, "a stored prevote from outside the set")
                _ = state.prevotes.add(prevote)
                state.senders[Int(prevote.validatorIndex)] = true
            }
            rounds[validValue.round] = state
        }
        self.startRound(startRound)
    }

    /// The proposer of `round` at `height`: index `(height + round) mod n`.
    public func proposer(height: Height, round: Round) -> UInt32 {
        UInt32((height.rawValue &+ UInt64(round.rawValue)) % UInt64(validators.count))
    }

    /// Voting power that is more than 1/3 of the total (`f+1`).
    var powerMoreThanOneThird: UInt64 { validators.totalPower / 3 + 1 }

    // MARK: Ready

    /// Whether ``ready()`` has actions.
    public var hasReady: Bool { !pending.isEmpty }

    /// The actions since the last ``advance(_:)``, in the order the driver must perform them.
    public func ready() -> Ready { Ready(actions: pending) }

    /// Acknowledges that the driver performed `ready`'s actions.
    /// - Precondition: `ready` is a prefix of the pending actions (the last ``ready()``).
    public mutating func advance(_ ready: Ready) {
        let count = ready.actions.count
        precondition(count <= pending.count && Array(pending.prefix(count)) == ready.actions,
                     "advance with a Ready that was not handed out")
        pending.removeFirst(count)
    }

    // MARK: Inputs

    /// Advances time by one tick: fires due timeouts and, periodically, re-broadcasts own messages.
    public mutating func tick() {
        now += 1
        let due = timers.filter { $0.deadline <= now }
        timers.removeAll { $0.deadline <= now }
        for timeout in due { fire(timeout) }
        if now - lastRebroadcast >= config.rebroadcastTicks {
            lastRebroadcast = now
            rebroadcast()
        }
        evaluateRules()
    }

    /// Line 18 `getValue()`: the driver's block for the round this validator proposes in.
    /// - Returns: whether the block was taken (`false` if the round has moved on or none was asked).
    @discardableResult
    public mutating func propose(block: ProposedBlock) -> Bool {
        guard awaitingBlock, step == .propose, block.payload.count <= config.blockPayloadBytesMax else {
            return false
        }
        awaitingBlock = false
        let proposal = Proposal(height: height, round: round, polRound: nil, blockHash: block.hash,
                                proposerIndex: validatorIndex)
        pending.append(.signProposal(proposal, block))
        return true
    }

    // MARK: Transitions

    /// Lines 11–21:
    /// ```
    /// Function StartRound(round):
    ///   round_p ← round
    ///   step_p ← propose
    ///   if proposer(h_p, round_p) = p then
    ///     if validValue_p ≠ nil then proposal ← validValue_p
    ///     else proposal ← getValue()
    ///     broadcast ⟨PROPOSAL, h_p, round_p, proposal, validRound_p⟩
    ///   else
    ///     schedule OnTimeoutPropose(h_p, round_p) to be executed after timeoutPropose(round_p)
    /// ```
    mutating func startRound(_ newRound: Round) {
        precondition(rounds.isEmpty || newRound >= round, "rounds only go forward within a height")
        round = newRound
        step = .propose
        awaitingBlock = false
        timers.removeAll { $0.round < newRound }
        if proposer(height: height, round: newRound) == validatorIndex {
            if let validBlock {
                let proposal = Proposal(height: height, round: newRound, polRound: validRound,
                                        blockHash: validBlock.hash, proposerIndex: validatorIndex)
                pending.append(.signProposal(proposal, validBlock))
                relayProofOfLock()
            } else {
                awaitingBlock = true
                pending.append(.requestBlock(height: height, round: newRound))
            }
        }
        schedule(.propose)
    }

    /// Schedules a timeout of the current height and round.
    mutating func schedule(_ kind: TimeoutKind) {
        let ticks = config.timeoutTicks(kind, round: round)
        timers.append(ScheduledTimeout(kind: kind, height: height, round: round, deadline: now + ticks))
        pending.append(.timeoutScheduled(kind, height: height, round: round, ticks: ticks))
    }

    /// Asks the driver to sign and broadcast a vote of the current height and round.
    mutating func castVote(_ kind: VoteKind, for blockHash: Hash256?, polRound: Round? = nil) {
        let vote = Vote(kind: kind, height: height, round: round, blockHash: blockHash)
        pending.append(.signVote(vote, polRound: polRound))
    }

    /// Lines 57–67:
    /// ```
    /// Function OnTimeoutPropose(height, round):
    ///   if height = h_p ∧ round = round_p ∧ step_p = propose then
    ///     broadcast ⟨PREVOTE, h_p, round_p, nil⟩; step_p ← prevote
    /// Function OnTimeoutPrevote(height, round):
    ///   if height = h_p ∧ round = round_p ∧ step_p = prevote then
    ///     broadcast ⟨PRECOMMIT, h_p, round_p, nil⟩; step_p ← precommit
    /// Function OnTimeoutPrecommit(height, round):
    ///   if height = h_p ∧ round = round_p then StartRound(round_p + 1)
    /// ```
    mutating func fire(_ timeout: ScheduledTimeout) {
        guard timeout.height == height, timeout.round == round else { return }
        switch timeout.kind {
        case .propose where step == .propose:
            castVote(.prevote, for: nil)
            step = .prevote
        case .prevote where step == .prevote:
            castVote(.precommit, for: nil)
            step = .precommit
        case .precommit:
            startRound(Round(round.rawValue + 1))
        default:
            break
        }
    }

    /// Gossip's periodic re-send, which the paper's gossip assumption needs once messages can be lost:
    /// this validator's proposal of the current round, every vote it holds for the current and the
    /// previous round (relayed, so that a validator that missed the votes which moved others on can
    /// follow), and the proof of lock of its valid value.
    mutating func rebroadcast() {
        relayProofOfLock()
        if let proposal = rounds[round]?.proposal, proposal.signed.proposal.proposerIndex == validatorIndex {
            pending.append(.broadcast(.proposal(proposal.signed, proposal.block)))
        }
        let previous = round.rawValue > 0 ? [Round(round.rawValue - 1), round] : [round]
        for relayed in previous {
            guard let state = rounds[relayed] else { continue }
            for signed in state.prevotes.votes + state.precommits.votes {
                pending.append(.broadcast(.vote(signed)))
            }
        }
    }

    /// Broadcasts the 2f+1 prevotes for `validValue_p` at `validRound_p` (the proof of lock a proposal
    /// with `vr = validRound_p` needs at line 28), so that validators that missed them can accept it.
    mutating func relayProofOfLock() {
        guard let validRound, let validBlock, let state = rounds[validRound] else { return }
        for signed in state.prevotes.votes(for: validBlock.hash) { pending.append(.broadcast(.vote(signed))) }
    }
}
