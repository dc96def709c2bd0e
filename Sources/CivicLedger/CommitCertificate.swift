import CivicCodec
import CivicCrypto

/// One validator's precommit signature inside a ``CommitCertificate``.
public struct CommitSignature: Hashable, Sendable, CanonicalCodable {
    /// The signer's index in the validator set.
    public var validatorIndex: UInt32
    /// Signature over the precommit ``Vote`` for the certified block.
    public var signature: Signature

    /// Creates an entry.
    public init(validatorIndex: UInt32, signature: Signature) {
        self.validatorIndex = validatorIndex
        self.signature = signature
    }

    /// index, signature.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(validatorIndex)
        encoder.encode(signature)
    }

    /// Reads an entry.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        validatorIndex = try decoder.decodeUInt32("commit.validator_index")
        signature = try decoder.decode(Signature.self)
    }
}

/// Proof that a block is final: precommits for it from more than 2/3 of the voting power.
///
/// Each signature signs `Vote(kind: .precommit, height, round, blockHash)` for the chain id.
/// Entries are sorted by strictly increasing validator index, so a certificate has one encoding
/// and cannot count a validator twice. With a single validator the certificate carries one
/// signature; with BFT consensus, the precommits that decided the block.
public struct CommitCertificate: Hashable, Sendable, CanonicalCodable {
    /// The certified block's height.
    public var height: Height
    /// The round in which it was decided.
    public var round: Round
    /// The certified block's hash.
    public var blockHash: Hash256
    /// The precommit signatures, by increasing validator index.
    public var signatures: [CommitSignature]

    /// Creates a certificate.
    public init(height: Height, round: Round, blockHash: Hash256, signatures: [CommitSignature]) {
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.signatures = signatures
    }

    /// The precommit every signature in this certificate signs.
    public var precommit: Vote { Vote(kind: .precommit, height: height, round: round, blockHash: blockHash) }

    /// Checks that the certificate finalizes `blockHash` at `height` on `chainID` under `validators`.
    /// - Throws: ``CertificateError`` saying what is wrong.
    public func verify(chainID: String, height expectedHeight: Height, blockHash expectedHash: Hash256,
                       validators: ValidatorSet) throws(CertificateError) {
        guard height == expectedHeight else { throw .wrongHeight(expected: expectedHeight, actual: height) }
        guard blockHash == expectedHash else { throw .wrongBlock }
        let message = precommit.signBytes(chainID: chainID)
        var power: UInt64 = 0
        var previous: UInt32?
        for entry in signatures {
            if let previous, entry.validatorIndex <= previous { throw .unsortedSignatures }
            previous = entry.validatorIndex
            guard let validator = validators.validator(at: entry.validatorIndex) else {
                throw .unknownValidator(index: entry.validatorIndex)
            }
            guard validator.publicKey.isValidSignature(entry.signature, for: message) else {
                throw .badSignature(validator: validator.name)
            }
            power += validator.power
        }
        guard power >= validators.quorumPower else {
            throw .insufficientPower(signed: power, required: validators.quorumPower)
        }
    }

    /// height, round, block hash, signatures.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(height)
        encoder.encode(round)
        encoder.encode(blockHash)
        encoder.encode(sequence: signatures)
    }

    /// Reads a certificate (signature checks are ``verify(chainID:height:blockHash:validators:)``'s job).
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        height = try decoder.decode(Height.self)
        round = try decoder.decode(Round.self)
        blockHash = try decoder.decode(Hash256.self)
        signatures = try decoder.decodeSequence(CommitSignature.self, "commit.signatures", max: Limits.validatorsMax)
    }
}

/// Why a commit certificate does not prove what it claims.
public enum CertificateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The certificate is for another height.
    case wrongHeight(expected: Height, actual: Height)
    /// The certificate is for another block.
    case wrongBlock
    /// Signatures are not in strictly increasing validator order (or repeat a validator).
    case unsortedSignatures
    /// A signature names a validator index outside the set.
    case unknownValidator(index: UInt32)
    /// A signature does not verify.
    case badSignature(validator: String)
    /// The signers hold too little voting power.
    case insufficientPower(signed: UInt64, required: UInt64)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .wrongHeight: "certificate.wrong_height"
        case .wrongBlock: "certificate.wrong_block"
        case .unsortedSignatures: "certificate.unsorted_signatures"
        case .unknownValidator: "certificate.unknown_validator"
        case .badSignature: "certificate.bad_signature"
        case .insufficientPower: "certificate.insufficient_power"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .wrongHeight(let expected, let actual):
            "The commit certificate is for height \(actual), not \(expected)."
        case .wrongBlock: "The commit certificate certifies a different block."
        case .unsortedSignatures: "The commit certificate lists validators out of order or twice."
        case .unknownValidator(let index): "The commit certificate names validator #\(index), which is not in the set."
        case .badSignature(let name): "The signature of validator '\(name)' in the commit certificate does not verify."
        case .insufficientPower(let signed, let required):
            "The commit certificate carries voting power \(signed); more than 2/3 (\(required)) is needed."
        }
    }
}
