import CivicCodec
import CivicCrypto
import CivicLedger

/// What validators send each other. Tag byte first: 1 proposal, 2 vote, 3 decision.
public enum ConsensusMessage: Hashable, Sendable, CanonicalCodable {
    /// `⟨PROPOSAL, h, r, v, vr⟩` with the block itself.
    case proposal(SignedProposal, ProposedBlock)
    /// `⟨PREVOTE, h, r, id(v)⟩` or `⟨PRECOMMIT, h, r, id(v)⟩`.
    case vote(SignedVote)
    /// A decided block with its certificate, sent to a validator that lags one height behind.
    case decision(ProposedBlock, CommitCertificate)

    /// The height the message is about.
    public var height: Height {
        switch self {
        case .proposal(let signed, _): signed.proposal.height
        case .vote(let signed): signed.vote.height
        case .decision(_, let certificate): certificate.height
        }
    }

    /// Tag, then the fields of the case.
    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .proposal(let signed, let block):
            encoder.encode(UInt8(1))
            encoder.encode(signed)
            encoder.encode(block)
        case .vote(let signed):
            encoder.encode(UInt8(2))
            encoder.encode(signed)
        case .decision(let block, let certificate):
            encoder.encode(UInt8(3))
            encoder.encode(block)
            encoder.encode(certificate)
        }
    }

    /// Reads a message; an unknown tag is refused.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let tag = try decoder.decodeUInt8("message.tag")
        switch tag {
        case 1: self = .proposal(try decoder.decode(SignedProposal.self), try decoder.decode(ProposedBlock.self))
        case 2: self = .vote(try decoder.decode(SignedVote.self))
        case 3: self = .decision(try decoder.decode(ProposedBlock.self), try decoder.decode(CommitCertificate.self))
        default: throw .unknownTag(field: "message.tag", tag: UInt64(tag))
        }
    }
}

/// An input to ``ConsensusCore/step(_:)``: a message from a peer (or the driver's own signed message
/// stepped back in), with the driver's verdict on a proposed block where one is needed.
///
/// The driver checks a proposal's block (`valid(v)`: it decodes, its id is `hash`, its transactions
/// apply) *before* stepping it, and passes the verdict as `blockIsValid`. The core checks everything
/// else: signatures, proposer, bounds.
public enum ConsensusInput: Sendable, Equatable {
    /// A proposal and its block, with the driver's verdict on the block.
    case proposal(SignedProposal, ProposedBlock, blockIsValid: Bool)
    /// A signed prevote or precommit.
    case vote(SignedVote)
    /// A decided block and its certificate (catch-up); the certificate alone proves it.
    case decision(ProposedBlock, CommitCertificate)
}

/// Proof that a validator signed two different votes of one kind for one height and round.
///
/// `first` and `second` are ordered by their canonical bytes, so evidence has one encoding whichever
/// vote arrived first.
public struct Evidence: Hashable, Sendable, CanonicalCodable {
    /// The vote whose canonical bytes sort first.
    public let first: SignedVote
    /// The other vote.
    public let second: SignedVote

    /// Orders two conflicting votes.
    /// - Precondition: same validator, kind, height and round; different block hashes.
    public init(_ one: SignedVote, _ other: SignedVote) {
        precondition(Evidence.conflict(one, other), "evidence needs two conflicting votes")
        if one.canonicalBytes.lexicographicallyPrecedes(other.canonicalBytes) {
            (first, second) = (one, other)
        } else {
            (first, second) = (other, one)
        }
    }

    /// The equivocating validator.
    public var validatorIndex: UInt32 { first.validatorIndex }

    /// Whether two votes are an equivocation: same signer, kind, height and round; different blocks.
    public static func conflict(_ one: SignedVote, _ other: SignedVote) -> Bool {
        one.validatorIndex == other.validatorIndex && one.vote.kind == other.vote.kind
            && one.vote.height == other.vote.height && one.vote.round == other.vote.round
            && one.vote.blockHash != other.vote.blockHash
    }

    /// Whether this is evidence a third party can check: conflicting votes, both signatures valid.
    public func isValid(chainID: String, validators: ValidatorSet) -> Bool {
        Evidence.conflict(first, second) && first.isValid(chainID: chainID, validators: validators)
            && second.isValid(chainID: chainID, validators: validators)
    }

    /// first, second.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(first)
        encoder.encode(second)
    }

    /// Reads evidence; votes that do not conflict or are out of order are refused.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let first = try decoder.decode(SignedVote.self)
        let second = try decoder.decode(SignedVote.self)
        guard Evidence.conflict(first, second) else {
            throw .invalidValue(field: "evidence", reason: "the votes do not conflict")
        }
        guard first.canonicalBytes.lexicographicallyPrecedes(second.canonicalBytes) else {
            throw .invalidValue(field: "evidence", reason: "the votes are out of order")
        }
        self.first = first
        self.second = second
    }
}
