import CivicCodec
import CivicCrypto
import CivicLedger

/// The only holder of a validator's key: signs proposals and votes under safety rules, persisting
/// its state before any signature leaves it (in the spirit of Aptos SafetyRules and CometBFT privval).
///
/// Rules, for one validator:
/// 1. Never backwards: a signature's (height, round, step) is at or after the last one, where a round's
///    steps go proposal < prevote < precommit.
/// 2. Never two different messages for one (height, round, step); asked again for the same one, the
///    signer returns the signature it already gave.
/// 3. Locks: a precommit for block B at round r locks B from r on at that height; a prevote for
///    another block needs a proof-of-lock round `vr` with `r ≤ vr` below the vote's round
///    (line 29's `lockedRound_p ≤ vr`).
/// 4. The new state is saved to the store before the signature is returned; if saving fails, no
///    signature is returned and the state is unchanged.
public struct VoteSigner<Store: SignerStateStore> {
    /// The chain id signatures are bound to.
    public let chainID: String
    /// This validator's index in the set.
    public let validatorIndex: UInt32
    /// The signing key's public half.
    public var publicKey: PublicKey { key.publicKey }
    /// The last signed state (what the store holds).
    public private(set) var state: SignerState
    /// The store (a simulation keeps it across a crash).
    public private(set) var store: Store
    private let key: PrivateKey

    /// Opens a signer over `store`, restoring the state saved there.
    /// - Throws: ``SignerError/storage(_:)`` or ``SignerError/corruptRecord(_:)``.
    public init(key: PrivateKey, validatorIndex: UInt32, chainID: String, store: Store) throws(SignerError) {
        self.key = key
        self.validatorIndex = validatorIndex
        self.chainID = chainID
        self.store = store
        if let record = try store.load() {
            do { state = try SignerState(canonicalBytes: record) } catch { throw .corruptRecord(error) }
        } else {
            state = .initial
        }
    }

    /// Signs `vote` under the rules above; `polRound` justifies a prevote that leaves the lock.
    /// - Throws: ``SignerError`` when the vote would break a rule, or storage or signing fails.
    /// - Precondition: the vote is above genesis.
    public mutating func sign(_ vote: Vote, polRound: Round? = nil) throws(SignerError) -> SignedVote {
        precondition(vote.height > .genesis, "votes are for heights above genesis")
        let step: SignerStep = vote.kind == .prevote ? .prevote : .precommit
        var next = try positioned(height: vote.height, round: vote.round, step: step)
        if let held = vote.kind == .prevote ? next.prevote : next.precommit {
            if held.vote == vote { return held }
            throw .conflict(height: vote.height, round: vote.round, step: step)
        }
        if vote.kind == .prevote, let hash = vote.blockHash, let lockedRound = next.lockedRound,
           hash != next.lockedBlockHash {
            guard let polRound, polRound >= lockedRound, polRound < vote.round else {
                throw .lockViolation(lockedRound: lockedRound)
            }
        }
        let signature: Signature
        do { signature = try key.signature(for: vote.signBytes(chainID: chainID)) } catch { throw .crypto(error) }
        let signed = SignedVote(vote: vote, validatorIndex: validatorIndex, signature: signature)
        next.step = step
        switch vote.kind {
        case .prevote: next.prevote = signed
        case .precommit:
            next.precommit = signed
            if let hash = vote.blockHash {
                next.lockedRound = vote.round
                next.lockedBlockHash = hash
            }
        }
        try persist(next)
        return signed
    }

    /// Signs `proposal` under the rules above.
    /// - Throws: ``SignerError`` when the proposal would break a rule, or storage or signing fails.
    public mutating func sign(_ proposal: Proposal) throws(SignerError) -> SignedProposal {
        precondition(proposal.height > .genesis, "proposals are for heights above genesis")
        guard proposal.proposerIndex == validatorIndex else { throw .wrongValidator(proposal.proposerIndex) }
        var next = try positioned(height: proposal.height, round: proposal.round, step: .proposal)
        if let held = next.proposal {
            if held.proposal == proposal { return held }
            throw .conflict(height: proposal.height, round: proposal.round, step: .proposal)
        }
        let signature: Signature
        do { signature = try key.signature(for: proposal.signBytes(chainID: chainID)) } catch { throw .crypto(error) }
        let signed = SignedProposal(proposal: proposal, signature: signature)
        next.step = .proposal
        next.proposal = signed
        try persist(next)
        return signed
    }

    /// The state to sign from at `height`/`round`: the current one for the same round, or a fresh one
    /// (keeping the lock within the height) for a later round.
    /// - Throws: ``SignerError/regression`` for an earlier position.
    private func positioned(height: Height, round: Round, step: SignerStep) throws(SignerError) -> SignerState {
        if height == state.height && round == state.round {
            let held = switch step {
            case .proposal: state.proposal != nil
            case .prevote: state.prevote != nil
            case .precommit: state.precommit != nil
            case .none: false
            }
            // The same step again is answered from what is held; an earlier one is refused.
            guard held || step > state.step else {
                throw .regression(height: height, round: round, lastHeight: state.height, lastRound: state.round)
            }
            return state
        }
        guard height > state.height || (height == state.height && round > state.round) else {
            throw .regression(height: height, round: round, lastHeight: state.height, lastRound: state.round)
        }
        let sameHeight = height == state.height
        return SignerState(height: height, round: round, step: .none,
                           lockedRound: sameHeight ? state.lockedRound : nil,
                           lockedBlockHash: sameHeight ? state.lockedBlockHash : nil)
    }

    /// Saves `next` and only then adopts it.
    private mutating func persist(_ next: SignerState) throws(SignerError) {
        precondition(next.height >= state.height, "the signer never goes back a height")
        try store.save(next.canonicalBytes)
        state = next
    }
}

/// Why the signer refused to sign.
public enum SignerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A different message was already signed for this height, round and step.
    case conflict(height: Height, round: Round, step: SignerStep)
    /// The message is for an earlier height, round or step than the last signature.
    case regression(height: Height, round: Round, lastHeight: Height, lastRound: Round)
    /// A prevote for another block than the locked one, without a proof of lock at or after the lock.
    case lockViolation(lockedRound: Round)
    /// The proposal names another validator as its proposer.
    case wrongValidator(UInt32)
    /// The store could not read or write the record.
    case storage(String)
    /// The stored record does not decode.
    case corruptRecord(CodecError)
    /// The key failed to sign.
    case crypto(CryptoError)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .conflict: "signer.conflict"
        case .regression: "signer.regression"
        case .lockViolation: "signer.lock_violation"
        case .wrongValidator: "signer.wrong_validator"
        case .storage: "signer.storage"
        case .corruptRecord: "signer.corrupt_record"
        case .crypto: "signer.crypto"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .conflict(let height, let round, let step):
            "Refused: a different \(step) was already signed at height \(height), round \(round)."
        case .regression(let height, let round, let lastHeight, let lastRound):
            "Refused: height \(height) round \(round) is behind the last signature "
                + "(height \(lastHeight), round \(lastRound))."
        case .lockViolation(let round):
            "Refused: the validator is locked on a block since round \(round) and no later proof of lock frees it."
        case .wrongValidator(let index): "Refused: the proposal is validator #\(index)'s, not this signer's."
        case .storage(let why): "The signer's state could not be stored: \(why)."
        case .corruptRecord(let error): "The signer's stored state is corrupt: \(error)"
        case .crypto(let error): "Signing failed: \(error)"
        }
    }
}

extension VoteSigner: Sendable where Store: Sendable {}
