import CivicCodec
import CivicCrypto
import CivicLedger

/// A block as consensus sees it: an id and opaque bytes.
///
/// Consensus never interprets `payload`; whether the bytes form a valid block whose id is `hash` is
/// the driver's verdict (`valid(v)` in the paper), handed in with the proposal.
public struct ProposedBlock: Hashable, Sendable, CanonicalCodable {
    /// The block's id, `id(v)` in the paper; votes and certificates name it.
    public var hash: Hash256
    /// The block's encoding, opaque to consensus.
    public var payload: [UInt8]

    /// Wraps an id and its bytes.
    public init(hash: Hash256, payload: [UInt8]) {
        self.hash = hash
        self.payload = payload
    }

    /// hash, length-prefixed payload.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(hash)
        encoder.encode(bytes: payload)
    }

    /// Reads a block of at most ``Limits/blockBytesMax`` payload bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        hash = try decoder.decode(Hash256.self)
        payload = try decoder.decodeBytes("block.payload", max: Limits.blockBytesMax)
    }
}

/// `⟨PROPOSAL, h, r, v, vr⟩`: the round's proposer offers block `blockHash` at `height`/`round`,
/// with `polRound` (`vr`) the round of a proof of lock for it, or `nil` (the paper's −1).
///
/// The proposer signs `"CivicLedger/proposal/v1" || chainID || canonical(proposal)`.
public struct Proposal: Hashable, Sendable, CanonicalCodable {
    /// Domain tag in front of every proposal's signed bytes.
    public static let domain = Array("CivicLedger/proposal/v1".utf8)

    /// The height proposed for.
    public var height: Height
    /// The round proposed in.
    public var round: Round
    /// `vr`: a round below `round` in which 2f+1 prevoted this block, or `nil`.
    public var polRound: Round?
    /// The proposed block's id.
    public var blockHash: Hash256
    /// The proposer's index in the validator set.
    public var proposerIndex: UInt32

    /// Creates a proposal.
    public init(height: Height, round: Round, polRound: Round?, blockHash: Hash256, proposerIndex: UInt32) {
        self.height = height
        self.round = round
        self.polRound = polRound
        self.blockHash = blockHash
        self.proposerIndex = proposerIndex
    }

    /// The exact bytes the proposer signs on `chainID`.
    public func signBytes(chainID: String) -> [UInt8] {
        domainTaggedBytes(Proposal.domain, chainID: chainID, capacity: 128)
    }

    /// height, round, optional pol round, block hash, proposer index.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(height)
        encoder.encode(round)
        encoder.encode(optional: polRound)
        encoder.encode(blockHash)
        encoder.encode(proposerIndex)
    }

    /// Reads a proposal; a `polRound` not below `round` is refused.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        height = try decoder.decode(Height.self)
        round = try decoder.decode(Round.self)
        polRound = try decoder.decodeOptional(Round.self, "proposal.pol_round")
        blockHash = try decoder.decode(Hash256.self)
        proposerIndex = try decoder.decodeUInt32("proposal.proposer_index")
        if let polRound, polRound >= round {
            throw .invalidValue(field: "proposal.pol_round", reason: "the proof-of-lock round must precede the round")
        }
    }
}

/// A proposal with its proposer's signature.
public struct SignedProposal: Hashable, Sendable, CanonicalCodable {
    /// The proposal.
    public var proposal: Proposal
    /// Signature over ``Proposal/signBytes(chainID:)`` by the validator at `proposal.proposerIndex`.
    public var signature: Signature

    /// Wraps a proposal and its signature.
    public init(proposal: Proposal, signature: Signature) {
        self.proposal = proposal
        self.signature = signature
    }

    /// Whether the signature is the proposer's on `chainID` under `validators`.
    public func isValid(chainID: String, validators: ValidatorSet) -> Bool {
        guard let validator = validators.validator(at: proposal.proposerIndex) else { return false }
        return validator.publicKey.isValidSignature(signature, for: proposal.signBytes(chainID: chainID))
    }

    /// proposal, signature.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(proposal)
        encoder.encode(signature)
    }

    /// Reads a signed proposal (the signature is checked by the core, not here).
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        proposal = try decoder.decode(Proposal.self)
        signature = try decoder.decode(Signature.self)
    }
}
