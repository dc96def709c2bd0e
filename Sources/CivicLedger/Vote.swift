import CivicCodec
import CivicCrypto

/// The step a vote belongs to in Tendermint-style consensus.
public enum VoteKind: UInt8, Sendable, CaseIterable, CanonicalCodable {
    /// First voting step of a round.
    case prevote = 1
    /// Second voting step; more than 2/3 of precommits for a block commit it.
    case precommit = 2

    /// `prevote` or `precommit`, as the API and the CLI show it.
    public var name: String { self == .prevote ? "prevote" : "precommit" }

    /// One byte.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }
    /// Reads the kind byte.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let byte = try decoder.decodeUInt8("vote.kind")
        guard let kind = VoteKind(rawValue: byte) else { throw .unknownTag(field: "vote.kind", tag: UInt64(byte)) }
        self = kind
    }
}

/// What a validator votes for: a block at a height and round, or nothing (`blockHash == nil`).
///
/// The bytes a validator signs are `"CivicLedger/vote/v1" || chain id || canonical(vote)`, so a
/// vote can never be replayed on another chain or read as a transaction.
public struct Vote: Hashable, Sendable, CanonicalCodable {
    /// Domain tag in front of every vote's signed bytes.
    public static let domain = Array("CivicLedger/vote/v1".utf8)

    /// Prevote or precommit.
    public var kind: VoteKind
    /// The height voted on.
    public var height: Height
    /// The round voted in.
    public var round: Round
    /// The block voted for, or `nil` for a vote for nothing.
    public var blockHash: Hash256?

    /// Creates a vote.
    public init(kind: VoteKind, height: Height, round: Round, blockHash: Hash256?) {
        self.kind = kind
        self.height = height
        self.round = round
        self.blockHash = blockHash
    }

    /// The exact bytes a validator signs for this vote on `chainID`.
    public func signBytes(chainID: String) -> [UInt8] {
        domainTaggedBytes(Vote.domain, chainID: chainID, capacity: 96)
    }

    /// kind, height, round, optional block hash.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(kind)
        encoder.encode(height)
        encoder.encode(round)
        encoder.encode(optional: blockHash)
    }

    /// Reads a vote.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        kind = try decoder.decode(VoteKind.self)
        height = try decoder.decode(Height.self)
        round = try decoder.decode(Round.self)
        blockHash = try decoder.decodeOptional(Hash256.self, "vote.block_hash")
    }
}

/// A vote with its signer's index in the validator set and signature.
public struct SignedVote: Hashable, Sendable, CanonicalCodable {
    /// The vote.
    public var vote: Vote
    /// The signer's index in the validator set of `vote.height`.
    public var validatorIndex: UInt32
    /// The signature over ``Vote/signBytes(chainID:)``.
    public var signature: Signature

    /// Wraps a vote and its signature.
    public init(vote: Vote, validatorIndex: UInt32, signature: Signature) {
        self.vote = vote
        self.validatorIndex = validatorIndex
        self.signature = signature
    }

    /// Whether the signature is valid for `chainID` under `validators`.
    public func isValid(chainID: String, validators: ValidatorSet) -> Bool {
        guard let validator = validators.validator(at: validatorIndex) else { return false }
        return isValid(chainID: chainID, publicKey: validator.publicKey)
    }

    /// Whether the signature is `publicKey`'s over the vote on `chainID`.
    public func isValid(chainID: String, publicKey: PublicKey) -> Bool {
        publicKey.isValidSignature(signature, for: vote.signBytes(chainID: chainID))
    }

    /// vote, validator index, signature.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(vote)
        encoder.encode(validatorIndex)
        encoder.encode(signature)
    }

    /// Reads a signed vote.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        vote = try decoder.decode(Vote.self)
        validatorIndex = try decoder.decodeUInt32("vote.validator_index")
        signature = try decoder.decode(Signature.self)
    }
}
