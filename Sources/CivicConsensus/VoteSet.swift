import CivicCrypto
import CivicLedger

/// The votes of one kind for one height and round, keyed by validator index (an index-keyed array,
/// so nothing observable depends on hashing order).
///
/// A validator that signs two different votes equivocates: the pair is reported once as an ``Equivocation``.
/// Both votes are kept (up to ``votesPerValidatorMax``) and each counts for its own block, as the
/// paper counts messages: "2f+1 ⟨PREVOTE, h, r, id(v)⟩" is about signers of prevotes for `id(v)`, and a
/// Byzantine signer may be among those of two blocks. Without this, a validator that saw a twin's other
/// vote first could never accept a proof of lock the rest of the network holds. Power "for anything"
/// counts each validator once.
public struct VoteSet: Sendable, Equatable {
    /// Most different votes kept from one validator in one set.
    public static let votesPerValidatorMax = 3

    /// The kind of every vote in the set.
    public let kind: VoteKind
    /// The votes of each validator, by index, first received first.
    public private(set) var votesByValidator: [[SignedVote]]
    /// Validators already reported as equivocating in this set.
    private var reported: [Bool]

    /// What adding a vote did.
    public enum AddResult: Sendable, Equatable {
        /// The vote is new and now counts.
        case added
        /// The same vote was already counted (or the validator's quota of votes is used up).
        case duplicate
        /// The validator had voted differently: the equivocation, reported the first time only.
        case equivocation(Equivocation?)
    }

    /// An empty set for `validatorCount` validators.
    public init(kind: VoteKind, validatorCount: Int) {
        self.kind = kind
        self.votesByValidator = Array(repeating: [], count: validatorCount)
        self.reported = Array(repeating: false, count: validatorCount)
    }

    /// Every vote held, by validator index then arrival.
    public var votes: [SignedVote] { votesByValidator.flatMap { $0 } }

    /// Whether exactly this vote (same signer, same content) is already held.
    public func contains(_ signed: SignedVote) -> Bool {
        let index = Int(signed.validatorIndex)
        return index < votesByValidator.count && votesByValidator[index].contains { $0.vote == signed.vote }
    }

    /// The first vote held from a validator, if any.
    public func first(from validatorIndex: UInt32) -> SignedVote? {
        Int(validatorIndex) < votesByValidator.count ? votesByValidator[Int(validatorIndex)].first : nil
    }

    /// Adds a vote whose signature the caller has checked.
    /// - Precondition: the vote is of this set's kind from a validator in range.
    public mutating func add(_ signed: SignedVote) -> AddResult {
        precondition(signed.vote.kind == kind, "a vote of the wrong kind")
        let index = Int(signed.validatorIndex)
        precondition(index < votesByValidator.count, "a vote from outside the validator set")
        let held = votesByValidator[index]
        guard let first = held.first else {
            votesByValidator[index] = [signed]
            return .added
        }
        if held.contains(where: { $0.vote == signed.vote }) || held.count >= VoteSet.votesPerValidatorMax {
            return .duplicate
        }
        votesByValidator[index].append(signed)
        if reported[index] { return .equivocation(nil) }
        reported[index] = true
        return .equivocation(Equivocation(first, signed))
    }

    /// The voting power of validators with a vote for `blockHash` (`nil`: votes for nothing).
    public func power(for blockHash: Hash256?, in validators: ValidatorSet) -> UInt64 {
        var sum: UInt64 = 0
        for (index, held) in votesByValidator.enumerated()
        where held.contains(where: { $0.vote.blockHash == blockHash }) {
            sum += validators.validators[index].power
        }
        return sum
    }

    /// The voting power of validators with any vote.
    public func totalPower(in validators: ValidatorSet) -> UInt64 {
        var sum: UInt64 = 0
        for (index, held) in votesByValidator.enumerated() where !held.isEmpty {
            sum += validators.validators[index].power
        }
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

    /// Each validator's vote for `blockHash`, by increasing validator index.
    public func votes(for blockHash: Hash256?) -> [SignedVote] {
        votesByValidator.compactMap { held in held.first { $0.vote.blockHash == blockHash } }
    }

    /// The signatures for `blockHash` by increasing validator index, as a certificate lists them.
    public func commitSignatures(for blockHash: Hash256) -> [CommitSignature] {
        votes(for: blockHash).map { CommitSignature(validatorIndex: $0.validatorIndex, signature: $0.signature) }
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
