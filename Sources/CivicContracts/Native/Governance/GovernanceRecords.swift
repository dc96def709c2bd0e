import CivicCodec
import CivicCrypto
import CivicLedger

/// A member organization as the governance registry holds it.
///
/// Canonical bytes: name, CA certificates (count, byte strings), admin addresses (sequence), added-at height.
public struct GovernanceOrganization: Hashable, Sendable, CanonicalCodable {
    /// Most admins a proposal may give an organization.
    public static let adminsMax = 64
    /// Most admins a record may hold: genesis may list up to 1,000 identities, all admins of one organization.
    public static let adminsDecodedMax = 1_000

    /// Its name, as identities and validators name it.
    public var name: String
    /// Its CA certificates, DER.
    public var caCertificates: [[UInt8]]
    /// The addresses of its admins, in the order they were added.
    public var admins: [Address]
    /// The height it joined (0 for genesis).
    public var addedAt: Height

    /// Creates a value.
    public init(name: String, caCertificates: [[UInt8]], admins: [Address], addedAt: Height) {
        self.name = name
        self.caCertificates = caCertificates
        self.admins = admins
        self.addedAt = addedAt
    }

    /// name, certificates, admins, added-at.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: name)
        encoder.encodeVarint(UInt64(caCertificates.count))
        for certificate in caCertificates { encoder.encode(bytes: certificate) }
        encoder.encode(sequence: admins)
        encoder.encode(addedAt)
    }

    /// Reads a value within its limits.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        name = try decoder.decodeString("organization.name", maxBytes: Limits.nameBytesMax)
        let count = try decoder.decodeCount("organization.ca_certificates", max: GenesisOrganization.caCertificatesMax)
        caCertificates = []
        for _ in 0..<count {
            caCertificates.append(
                try decoder.decodeBytes(
                    "organization.ca_certificate",
                    max: GenesisOrganization.certificateBytesMax))
        }
        admins = try decoder.decodeSequence(Address.self, "organization.admins", max: Self.adminsDecodedMax)
        addedAt = try decoder.decode(Height.self)
    }
}

/// A revoked certificate: which, by which proposal, when.
///
/// Canonical bytes: algorithm, fingerprint, proposal id, height, time.
public struct CertificateRevocation: Hashable, Sendable, CanonicalCodable {
    /// The hash function of the fingerprint.
    public var algorithm: FingerprintAlgorithm
    /// The hash of the certificate's DER.
    public var fingerprint: Hash256
    /// The proposal that revoked it.
    public var proposalID: UInt64
    /// The height it was revoked at.
    public var revokedAt: Height
    /// The block time it was revoked at.
    public var revokedTime: Timestamp

    /// Creates a value.
    public init(
        algorithm: FingerprintAlgorithm, fingerprint: Hash256, proposalID: UInt64, revokedAt: Height,
        revokedTime: Timestamp
    ) {
        self.algorithm = algorithm
        self.fingerprint = fingerprint
        self.proposalID = proposalID
        self.revokedAt = revokedAt
        self.revokedTime = revokedTime
    }

    /// algorithm, fingerprint, proposal id, height, time.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(algorithm)
        encoder.encode(fingerprint)
        encoder.encode(proposalID)
        encoder.encode(revokedAt)
        encoder.encode(revokedTime)
    }

    /// Reads a value.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        algorithm = try decoder.decode(FingerprintAlgorithm.self)
        fingerprint = try decoder.decode(Hash256.self)
        proposalID = try decoder.decodeUInt64("revocation.proposal_id")
        revokedAt = try decoder.decode(Height.self)
        revokedTime = try decoder.decode(Timestamp.self)
    }
}

/// One organization's vote on a proposal.
///
/// Canonical bytes: voter address, organization, approve, height, time, transaction hash.
public struct ProposalVote: Hashable, Sendable, CanonicalCodable {
    /// Who voted.
    public var voter: Address
    /// For which organization.
    public var organization: String
    /// Approve (`true`) or reject.
    public var approve: Bool
    /// The height of the vote's block.
    public var height: Height
    /// The vote's block time.
    public var time: Timestamp
    /// The vote's transaction.
    public var transactionHash: Hash256

    /// Creates a value.
    public init(
        voter: Address, organization: String, approve: Bool, height: Height, time: Timestamp,
        transactionHash: Hash256
    ) {
        self.voter = voter
        self.organization = organization
        self.approve = approve
        self.height = height
        self.time = time
        self.transactionHash = transactionHash
    }

    /// voter, organization, approve, height, time, transaction hash.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(voter)
        encoder.encode(string: organization)
        encoder.encode(approve)
        encoder.encode(height)
        encoder.encode(time)
        encoder.encode(transactionHash)
    }

    /// Reads a value.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        voter = try decoder.decode(Address.self)
        organization = try decoder.decodeString("vote.organization", maxBytes: Limits.nameBytesMax)
        approve = try decoder.decodeBool("vote.approve")
        height = try decoder.decode(Height.self)
        time = try decoder.decode(Timestamp.self)
        transactionHash = try decoder.decode(Hash256.self)
    }
}

/// Where a proposal stands. Canonical bytes: one byte (1 open, 2 executed, 3 rejected, 4 expired).
public enum ProposalStatus: UInt8, Sendable, CanonicalByteEnum {
    /// The field decoding errors name.
    public static let canonicalField = "proposal.status"

    /// Collecting votes.
    case open = 1
    /// Its policy was met and the change executed.
    case executed = 2
    /// Its policy can no longer be met.
    case rejected = 3
    /// Its deadline passed before the policy was met (recorded by `close`).
    case expired = 4

    /// The lower-case name.
    public var name: String {
        switch self {
        case .open: "open"
        case .executed: "executed"
        case .rejected: "rejected"
        case .expired: "expired"
        }
    }
}

/// A governance proposal with everything that happened to it.
///
/// Canonical bytes: id, change, proposer, proposer's organization, proposed-at height and time,
/// deadline, votes (sequence), status, closed-at height (optional).
public struct GovernanceProposal: Hashable, Sendable, CanonicalCodable {
    /// Its number, from 1.
    public var id: UInt64
    /// The change it carries.
    public var change: GovernanceChange
    /// Who proposed it.
    public var proposer: Address
    /// The proposer's organization.
    public var proposerOrganization: String
    /// The height it was proposed at.
    public var proposedAt: Height
    /// The block time it was proposed at.
    public var proposedTime: Timestamp
    /// The last block time at which votes count.
    public var deadline: Timestamp
    /// The votes, one per organization, in the order cast.
    public var votes: [ProposalVote]
    /// Where it stands.
    public var status: ProposalStatus
    /// The height it was executed, rejected or expired at.
    public var closedAt: Height?

    /// Creates a value.
    public init(
        id: UInt64, change: GovernanceChange, proposer: Address, proposerOrganization: String,
        proposedAt: Height, proposedTime: Timestamp, deadline: Timestamp, votes: [ProposalVote] = [],
        status: ProposalStatus = .open, closedAt: Height? = nil
    ) {
        self.id = id
        self.change = change
        self.proposer = proposer
        self.proposerOrganization = proposerOrganization
        self.proposedAt = proposedAt
        self.proposedTime = proposedTime
        self.deadline = deadline
        self.votes = votes
        self.status = status
        self.closedAt = closedAt
    }

    /// The status as of block time `time`: an open proposal past its deadline is expired.
    public func status(at time: Timestamp) -> ProposalStatus {
        status == .open && time > deadline ? .expired : status
    }

    /// id, change, proposer, organization, proposed-at, time, deadline, votes, status, closed-at.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(change)
        encoder.encode(proposer)
        encoder.encode(string: proposerOrganization)
        encoder.encode(proposedAt)
        encoder.encode(proposedTime)
        encoder.encode(deadline)
        encoder.encode(sequence: votes)
        encoder.encode(status)
        encoder.encode(optional: closedAt)
    }

    /// Reads a value.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        id = try decoder.decodeUInt64("proposal.id")
        change = try decoder.decode(GovernanceChange.self)
        proposer = try decoder.decode(Address.self)
        proposerOrganization = try decoder.decodeString("proposal.organization", maxBytes: Limits.nameBytesMax)
        proposedAt = try decoder.decode(Height.self)
        proposedTime = try decoder.decode(Timestamp.self)
        deadline = try decoder.decode(Timestamp.self)
        votes = try decoder.decodeSequence(ProposalVote.self, "proposal.votes", max: GovernanceContract.organizationsDecodedMax)
        status = try decoder.decode(ProposalStatus.self)
        closedAt = try decoder.decodeOptional(Height.self, "proposal.closed_at")
    }
}
