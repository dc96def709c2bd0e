import CivicCrypto
import CivicLedger

/// The votes of one kind for one height and round, keyed by validator index (an index-keyed array,
/// so nothing observable depends on hashing order).
///
/// The first vote from each validator counts; a second, different vote is an equivocation: it is not
/// counted, and the pair is returned once as ``Evidence``.
public struct VoteSet: Sendable, Equatable {
    /// The kind of every vote in the set.
    public let kind: VoteKind
    /// The first vote of each validator, by index.
    public private(set) var votes: [SignedVote?]
    /// Validators already reported as equivocating in this set.
    private var reported: [Bool]

    /// What adding a vote did.
    public enum AddResult: Sendable, Equatable {
        /// The vote is new and now counts.
        case added
        /// The same vote was already counted.
        case duplicate
        /// The validator had voted differently: evidence, reported the first time only.
        case equivocation(Evidence?)
    }

    /// An empty set for `validatorCount` validators.
    public init(kind: VoteKind, validatorCount: Int) {
        self.kind = kind
        self.votes = Array(repeating: nil, count: validatorCount)
        self.reported = Array(repeating: false, count: validatorCount)
    }

    /// The vote already held from the same validator, if any (to skip re-verifying duplicates).
    public func existing(from validatorIndex: UInt32) -> SignedVote? {
        Int(validatorIndex) < votes.count ? votes[Int(validatorIndex)] : nil
    }

    /// Adds a vote whose signature the caller has checked.
    /// - Precondition: the vote is of this set's kind from a validator in range.
    public mutating func add(_ signed: SignedVote) -> AddResult {
        precondition(signed.vote.kind == kind, "a vote of the wrong kind")
        let index = Int(signed.validatorIndex)
        precondition(index < votes.count, "a vote from outside the validator set")
        guard let held = votes[index] else {
            votes[index] = signed
            return .added
        }
        if held.vote == signed.vote { return .duplicate }
        if reported[index] { return .equivocation(nil) }
        reported[index] = true
        return .equivocation(Evidence(held, signed))
    }

    /// The voting power of votes for `blockHash` (`nil`: votes for nothing).
    public func power(for blockHash: Hash256?, in validators: ValidatorSet) -> UInt64 {
        var sum: UInt64 = 0
        for case let signed? in votes where signed.vote.blockHash == blockHash {
            sum += validators.validators[Int(signed.validatorIndex)].power
        }
        return sum
    }

    /// The voting power of all votes, whatever they are for.
    public func totalPower(in validators: ValidatorSet) -> UInt64 {
        var sum: UInt64 = 0
        for case let signed? in votes { sum += validators.validators[Int(signed.validatorIndex)].power }
        return sum
    }

    /// Whether votes for `blockHash` carry more than 2/3 of the power.
    public func hasQuorum(for blockHash: Hash256?, in validators: ValidatorSet) -> Bool {
        power(for: blockHash, in: validators) >= validators.quorumPower
    }

    /// Whether votes for anything carry more than 2/3 of the power.
    public func hasQuorumForAnything(in validators: ValidatorSet) -> Bool {
        totalPower(in: validators) >= validators.quorumPower
    }

    /// The signatures for `blockHash` by increasing validator index, as a certificate lists them.
    public func commitSignatures(for blockHash: Hash256) -> [CommitSignature] {
        votes.compactMap { signed in
            guard let signed, signed.vote.blockHash == blockHash else { return nil }
            return CommitSignature(validatorIndex: signed.validatorIndex, signature: signed.signature)
        }
    }
}

/// Everything received for one round of the current height.
struct RoundState: Sendable {
    /// The round's proposal from its proposer, its block and the driver's verdict on the block.
    var proposal: (signed: SignedProposal, block: ProposedBlock, isValid: Bool)?
    /// Prevotes of the round.
    var prevotes: VoteSet
    /// Precommits of the round.
    var precommits: VoteSet
    /// Validators that sent anything for this round (line 55 counts them).
    var senders: [Bool]
    /// Line 34's and line 47's "for the first time" and line 36's.
    var prevoteTimeoutScheduled = false
    var precommitTimeoutScheduled = false
    var lockRuleFired = false

    init(validatorCount: Int) {
        prevotes = VoteSet(kind: .prevote, validatorCount: validatorCount)
        precommits = VoteSet(kind: .precommit, validatorCount: validatorCount)
        senders = Array(repeating: false, count: validatorCount)
    }

    /// The votes of `kind`.
    func votes(_ kind: VoteKind) -> VoteSet {
        kind == .prevote ? prevotes : precommits
    }

    /// The voting power of the validators that sent anything for this round.
    func senderPower(in validators: ValidatorSet) -> UInt64 {
        var sum: UInt64 = 0
        for (index, sent) in senders.enumerated() where sent { sum += validators.validators[index].power }
        return sum
    }
}
