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
