import CivicCodec
import CivicCrypto

/// Proof that a validator signed two different votes of one kind for one height and round.
///
/// Tendermint's accountability rule: a correct validator signs at most one prevote and one precommit
/// per height and round, so two signed votes that differ only in the block are evidence a third party
/// can check with nothing but the chain id and the validator's public key.
///
/// `first` and `second` are ordered by their canonical bytes, so an equivocation has one encoding
/// whichever vote arrived first:
///
///     Equivocation = SignedVote(first) || SignedVote(second),  bytes(first) < bytes(second)
public struct Equivocation: Hashable, Sendable, CanonicalCodable {
    /// The field name that decoding errors about the pair itself carry (votes that do not conflict
    /// or are out of order), as opposed to errors inside one vote.
    public static let codecField = "equivocation"

    /// The vote whose canonical bytes sort first.
    public let first: SignedVote
    /// The other vote.
    public let second: SignedVote

    /// Orders two conflicting votes.
    /// - Precondition: same validator, kind, height and round; different block hashes.
    public init(_ one: SignedVote, _ other: SignedVote) {
        precondition(Equivocation.conflict(one, other), "an equivocation needs two conflicting votes")
        if one.canonicalBytes.lexicographicallyPrecedes(other.canonicalBytes) {
            (first, second) = (one, other)
        } else {
            (first, second) = (other, one)
        }
    }

    /// The equivocating validator's index in the validator set of ``height``.
    public var validatorIndex: UInt32 { first.validatorIndex }
    /// The kind of both votes.
    public var kind: VoteKind { first.vote.kind }
    /// The height of both votes.
    public var height: Height { first.vote.height }
    /// The round of both votes.
    public var round: Round { first.vote.round }

    /// Whether two votes are an equivocation: same signer, kind, height and round; different blocks.
    public static func conflict(_ one: SignedVote, _ other: SignedVote) -> Bool {
        one.validatorIndex == other.validatorIndex && one.vote.kind == other.vote.kind
            && one.vote.height == other.vote.height && one.vote.round == other.vote.round
            && one.vote.blockHash != other.vote.blockHash
    }

    /// Whether a third party can check this: conflicting votes, both signed on `chainID` by the
    /// validator at ``validatorIndex`` in `validators`.
    public func isValid(chainID: String, validators: ValidatorSet) -> Bool {
        guard let validator = validators.validator(at: validatorIndex) else { return false }
        return isValid(chainID: chainID, publicKey: validator.publicKey)
    }

    /// Whether the votes conflict and both are signed on `chainID` with `publicKey`.
    public func isValid(chainID: String, publicKey: PublicKey) -> Bool {
        Equivocation.conflict(first, second) && first.isValid(chainID: chainID, publicKey: publicKey)
            && second.isValid(chainID: chainID, publicKey: publicKey)
    }

    /// first, second.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(first)
        encoder.encode(second)
    }

    /// Reads an equivocation; votes that do not conflict or are out of order are refused with
    /// ``CodecError/invalidValue(field:reason:)`` naming ``codecField``.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let first = try decoder.decode(SignedVote.self)
        let second = try decoder.decode(SignedVote.self)
        guard Equivocation.conflict(first, second) else {
            throw .invalidValue(field: Equivocation.codecField, reason: "the votes do not conflict")
        }
        guard first.canonicalBytes.lexicographicallyPrecedes(second.canonicalBytes) else {
            throw .invalidValue(field: Equivocation.codecField, reason: "the votes are out of order")
        }
        self.first = first
        self.second = second
    }
}
