import CivicCodec
import CivicCrypto
import CivicLedger

/// One offence a validator can be held to account for once: signing two different votes of one
/// kind at one height and round. Its canonical bytes name the record's state key.
public struct Offence: Hashable, Sendable, CanonicalCodable {
    /// The validator's index in the validator set.
    public var validatorIndex: UInt32
    /// The height of the votes.
    public var height: Height
    /// The round of the votes.
    public var round: Round
    /// The kind of the votes.
    public var kind: VoteKind

    /// Creates an offence.
    public init(validatorIndex: UInt32, height: Height, round: Round, kind: VoteKind) {
        self.validatorIndex = validatorIndex
        self.height = height
        self.round = round
        self.kind = kind
    }

    /// The offence `equivocation` proves.
    public init(_ equivocation: Equivocation) {
        self.init(validatorIndex: equivocation.validatorIndex, height: equivocation.height,
                  round: equivocation.round, kind: equivocation.kind)
    }

    /// validator index, height, round, kind: 17 bytes.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(validatorIndex)
        encoder.encode(height)
        encoder.encode(round)
        encoder.encode(kind)
    }

    /// Reads an offence.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        validatorIndex = try decoder.decodeUInt32("offence.validator_index")
        height = try decoder.decode(Height.self)
        round = try decoder.decode(Round.self)
        kind = try decoder.decode(VoteKind.self)
    }
}

/// A validator's equivocation as the chain recorded it: who (index, name, organization and key from
/// the validator set), the signed proof, and who reported it when.
///
/// The kind, height, round and the two block hashes are those of ``equivocation``; they are not
/// stored twice.
public struct MisbehaviorRecord: Hashable, Sendable, CanonicalCodable {
    /// The validator's name in the validator set.
    public var validatorName: String
    /// The organization that runs the validator.
    public var organization: String
    /// The validator's public key, which signed both votes.
    public var publicKey: PublicKey
    /// The two conflicting signed votes.
    public var equivocation: Equivocation
    /// The reporter's address.
    public var reporter: Address
    /// The height of the block that recorded the report.
    public var reportedAt: Height
    /// The time of that block.
    public var reportedTime: Timestamp
    /// The reporting transaction.
    public var transactionHash: Hash256

    /// Creates a record.
    public init(validatorName: String, organization: String, publicKey: PublicKey, equivocation: Equivocation,
                reporter: Address, reportedAt: Height, reportedTime: Timestamp, transactionHash: Hash256) {
        self.validatorName = validatorName
        self.organization = organization
        self.publicKey = publicKey
        self.equivocation = equivocation
        self.reporter = reporter
        self.reportedAt = reportedAt
        self.reportedTime = reportedTime
        self.transactionHash = transactionHash
    }

    /// The offence recorded.
    public var offence: Offence { Offence(equivocation) }
    /// The validator's index in the validator set.
    public var validatorIndex: UInt32 { equivocation.validatorIndex }
    /// The block hashes of the two votes, in the equivocation's order (`nil`: a vote for nothing).
    public var blockHashes: (first: Hash256?, second: Hash256?) {
        (equivocation.first.vote.blockHash, equivocation.second.vote.blockHash)
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: validatorName)
        encoder.encode(string: organization)
        encoder.encode(publicKey)
        encoder.encode(equivocation)
        encoder.encode(reporter)
        encoder.encode(reportedAt)
        encoder.encode(reportedTime)
        encoder.encode(transactionHash)
    }

    /// Reads a record.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        validatorName = try decoder.decodeString("validator.name", maxBytes: Limits.nameBytesMax)
        organization = try decoder.decodeString("validator.organization", maxBytes: Limits.nameBytesMax)
        publicKey = try decoder.decode(PublicKey.self)
        equivocation = try decoder.decode(Equivocation.self)
        reporter = try decoder.decode(Address.self)
        reportedAt = try decoder.decode(Height.self)
        reportedTime = try decoder.decode(Timestamp.self)
        transactionHash = try decoder.decode(Hash256.self)
    }
}
