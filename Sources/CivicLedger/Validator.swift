import CivicCodec
import CivicCrypto

/// A validator: a node whose key signs votes and commit certificates.
public struct Validator: Hashable, Sendable, CanonicalCodable {
    /// A short name, unique in the set (for example `civil-affairs-1`).
    public var name: String
    /// The organization (department, court, bank) that runs it.
    public var organization: String
    /// The key its votes are signed with.
    public var publicKey: PublicKey
    /// Voting power; a block is final with precommits from more than 2/3 of the total.
    public var power: UInt64

    /// Creates a validator entry.
    public init(name: String, organization: String, publicKey: PublicKey, power: UInt64) {
        self.name = name
        self.organization = organization
        self.publicKey = publicKey
        self.power = power
    }

    /// name, organization, public key, power.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: name)
        encoder.encode(string: organization)
        encoder.encode(publicKey)
        encoder.encode(power)
    }

    /// Reads a validator entry.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        name = try decoder.decodeString("validator.name", maxBytes: Limits.nameBytesMax)
        organization = try decoder.decodeString("validator.organization", maxBytes: Limits.nameBytesMax)
        publicKey = try decoder.decode(PublicKey.self)
        power = try decoder.decodeUInt64("validator.power")
    }
}

/// The ordered set of validators at some height. Indexes into it identify signers in votes
/// and commit certificates.
public struct ValidatorSet: Hashable, Sendable, CanonicalCodable {
    /// The validators, in the order genesis (or the governing change) lists them.
    public let validators: [Validator]
    /// The sum of all voting power.
    public let totalPower: UInt64

    /// Creates a set.
    /// - Precondition: at least one validator, each with positive power, names unique,
    ///   the total fits in 64 bits.
    public init(_ validators: [Validator]) {
        precondition(!validators.isEmpty, "a validator set needs at least one validator")
        precondition(validators.allSatisfy { $0.power > 0 }, "every validator needs positive voting power")
        precondition(Set(validators.map(\.name)).count == validators.count, "validator names must be unique")
        self.validators = validators
        self.totalPower = validators.reduce(0) { $0 + $1.power }
    }

    /// The smallest voting power that is more than 2/3 of the total.
    public var quorumPower: UInt64 { totalPower / 3 * 2 + (totalPower % 3) * 2 / 3 + 1 }

    /// The count of validators.
    public var count: Int { validators.count }

    /// The validator at `index`, or `nil`.
    public func validator(at index: UInt32) -> Validator? {
        Int(index) < validators.count ? validators[Int(index)] : nil
    }

    /// The index of the validator with `publicKey`, or `nil`.
    public func index(of publicKey: PublicKey) -> UInt32? {
        validators.firstIndex { $0.publicKey == publicKey }.map { UInt32($0) }
    }

    /// A count followed by each validator.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(sequence: validators) }

    /// Reads a non-empty set with unique names and positive powers.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let validators = try decoder.decodeSequence(Validator.self, "validators", max: Limits.validatorsMax)
        guard !validators.isEmpty else { throw .invalidValue(field: "validators", reason: "the set is empty") }
        guard validators.allSatisfy({ $0.power > 0 }) else {
            throw .invalidValue(field: "validators", reason: "a validator has zero voting power")
        }
        guard Set(validators.map(\.name)).count == validators.count else {
            throw .invalidValue(field: "validators", reason: "two validators share a name")
        }
        var total: UInt64 = 0
        for validator in validators {
            let (sum, overflow) = total.addingReportingOverflow(validator.power)
            guard !overflow else { throw .invalidValue(field: "validators", reason: "total voting power overflows") }
            total = sum
        }
        self.init(validators)
    }
}

extension ValidatorSet {
    /// Domain tag in front of the hashed bytes.
    public static let domain = Array("CivicLedger/validators/v1".utf8)

    /// The hash recorded in every block header: `H("CivicLedger/validators/v1" || canonical(set))`.
    public func hash(suite: CryptoSuite) -> Hash256 {
        suite.hash(domainTaggedBytes(ValidatorSet.domain))
    }
}
