import CivicCodec
import CivicCrypto
import CivicLedger

/// What an issuing department registers about a kind of certificate (business license, marriage, degree…).
public struct CertificateTypeDraft: Hashable, Sendable, CanonicalCodable {
    /// The type's id: 1–64 bytes of `[a-z0-9._-]`, e.g. `marriage`.
    public var id: String
    /// Its name, for people (may be Chinese: 结婚证).
    public var name: String
    /// What it certifies and which fields the document carries (its schema, in words).
    public var description: String

    /// Creates a draft.
    public init(id: String, name: String, description: String = "") {
        self.id = id
        self.name = name
        self.description = description
    }

    /// id, name, description.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: id)
        encoder.encode(string: name)
        encoder.encode(string: description)
    }

    /// Reads a draft; the id must be an identifier and the name not empty.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        id = try decoder.decodeString("certificate_type.id", maxBytes: Limits.nameBytesMax)
        name = try decoder.decodeString("certificate_type.name", maxBytes: CatalogContract.titleBytesMax)
        description = try decoder.decodeString("certificate_type.description", maxBytes: CatalogContract.descriptionBytesMax)
        guard CatalogContract.isIdentifier(id), !name.isEmpty else {
            throw .invalidValue(field: "certificate_type", reason: "a type has an id (a-z, 0-9, '.', '_', '-') and a name")
        }
    }
}

/// A certificate type as the chain keeps it: the draft and the department that registered it, which is trusted
/// to issue it everywhere (other issuers only when governance lists them).
public struct CertificateType: Hashable, Sendable, CanonicalCodable {
    /// What was registered.
    public var draft: CertificateTypeDraft
    /// The registering (issuing) department.
    public var organization: String
    /// Who registered it.
    public var registeredBy: Address
    /// The block height of the registration.
    public var height: Height
    /// The block time of the registration.
    public var time: Timestamp

    /// Creates a record.
    public init(draft: CertificateTypeDraft, organization: String, registeredBy: Address, height: Height, time: Timestamp) {
        self.draft = draft
        self.organization = organization
        self.registeredBy = registeredBy
        self.height = height
        self.time = time
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(draft)
        encoder.encode(string: organization)
        encoder.encode(registeredBy)
        encoder.encode(height)
        encoder.encode(time)
    }

    /// Reads a record.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        draft = try decoder.decode(CertificateTypeDraft.self)
        organization = try decoder.decodeString("certificate_type.organization", maxBytes: Limits.nameBytesMax)
        registeredBy = try decoder.decode(Address.self)
        height = try decoder.decode(Height.self)
        time = try decoder.decode(Timestamp.self)
    }
}

/// What an issuer puts on chain about one certificate: fingerprints only. The document and the holder's ID number
/// stay with the issuer and the holder (Docs/0016, "Subjects").
public struct CertificateDraft: Hashable, Sendable, CanonicalCodable {
    /// The certificate's id (its number): 1–64 bytes of `[a-z0-9._-]`, neither `types` nor `by-holder`.
    public var id: String
    /// Its type's id.
    public var type: String
    /// The suite hash of the electronic document (the PDF or OFD file the holder is given).
    public var documentFingerprint: Hash256
    /// The holder's ``SubjectFingerprint`` (salted HMAC of the ID card number or credit code).
    public var holderFingerprint: Hash256
    /// The holder's key on chain: the registered identity that authorizes verifiers.
    public var holder: Address
    /// The first block time at which it is valid.
    public var validFrom: Timestamp
    /// The block time from which it is expired.
    public var validUntil: Timestamp

    /// Creates a draft.
    public init(id: String, type: String, documentFingerprint: Hash256, holderFingerprint: Hash256, holder: Address,
                validFrom: Timestamp, validUntil: Timestamp) {
        self.id = id
        self.type = type
        self.documentFingerprint = documentFingerprint
        self.holderFingerprint = holderFingerprint
        self.holder = holder
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: id)
        encoder.encode(string: type)
        encoder.encode(documentFingerprint)
        encoder.encode(holderFingerprint)
        encoder.encode(holder)
        encoder.encode(validFrom)
        encoder.encode(validUntil)
    }

    /// Reads a draft and checks it.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        id = try decoder.decodeString("certificate.id", maxBytes: Limits.nameBytesMax)
        type = try decoder.decodeString("certificate.type", maxBytes: Limits.nameBytesMax)
        documentFingerprint = try decoder.decode(Hash256.self)
        holderFingerprint = try decoder.decode(Hash256.self)
        holder = try decoder.decode(Address.self)
        validFrom = try decoder.decode(Timestamp.self)
        validUntil = try decoder.decode(Timestamp.self)
        if let problem { throw .invalidValue(field: "certificate", reason: problem) }
    }

    /// Why the draft cannot be issued, or `nil`.
    public var problem: String? {
        guard CertificateContract.isCertificateID(id) else {
            return "the id must be 1-64 of a-z, 0-9, '.', '_' and '-', and neither 'types' nor 'by-holder'"
        }
        guard CatalogContract.isIdentifier(type) else { return "the type must be a type id" }
        guard validFrom < validUntil else { return "a certificate is valid from a time before its end" }
        guard documentFingerprint != .zero, holderFingerprint != .zero else { return "the fingerprints must not be zero" }
        return nil
    }
}

/// Where a certificate stands.
public enum CertificateStatus: UInt8, Sendable, CanonicalByteEnum {
    /// The field decoding errors name.
    public static let canonicalField = "certificate.status"

    /// In force (within its validity period).
    case active = 1
    /// Suspended by its issuer (for example during an investigation); may be resumed.
    case suspended
    /// Revoked by its issuer (or replaced by a re-issue): for good.
    case revoked

    /// The lowercase name.
    public var name: String { String(describing: self) }
}

/// A certificate as the chain keeps it: the draft, its issuer, its status and its re-issue links.
public struct ElectronicCertificate: Hashable, Sendable, CanonicalCodable {
    /// What was issued.
    public var draft: CertificateDraft
    /// The issuing department (the issuer's organization), answerable for it.
    public var issuer: String
    /// Where it stands.
    public var status: CertificateStatus
    /// Who issued it.
    public var issuedBy: Address
    /// The block height of the issue.
    public var height: Height
    /// The block time of the issue.
    public var issuedAt: Timestamp
    /// The certificate this one re-issues; empty when none.
    public var replaces: String
    /// The certificate that re-issued this one; empty when none.
    public var replacedBy: String
    /// Who last changed the status (suspend, resume, revoke, re-issue).
    public var changedBy: Address?
    /// When the status last changed.
    public var changedAt: Timestamp?
    /// The reason given for the last change.
    public var reason: String

    /// Creates an active certificate.
    public init(draft: CertificateDraft, issuer: String, issuedBy: Address, height: Height, issuedAt: Timestamp,
                replaces: String = "") {
        self.draft = draft
        self.issuer = issuer
        status = .active
        self.issuedBy = issuedBy
        self.height = height
        self.issuedAt = issuedAt
        self.replaces = replaces
        replacedBy = ""
        changedBy = nil
        changedAt = nil
        reason = ""
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(draft)
        encoder.encode(string: issuer)
        encoder.encode(status)
        encoder.encode(issuedBy)
        encoder.encode(height)
        encoder.encode(issuedAt)
        encoder.encode(string: replaces)
        encoder.encode(string: replacedBy)
        encoder.encode(optional: changedBy)
        encoder.encode(optional: changedAt)
        encoder.encode(string: reason)
    }

    /// Reads a certificate.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        draft = try decoder.decode(CertificateDraft.self)
        issuer = try decoder.decodeString("certificate.issuer", maxBytes: Limits.nameBytesMax)
        status = try decoder.decode(CertificateStatus.self)
        issuedBy = try decoder.decode(Address.self)
        height = try decoder.decode(Height.self)
        issuedAt = try decoder.decode(Timestamp.self)
        replaces = try decoder.decodeString("certificate.replaces", maxBytes: Limits.nameBytesMax)
        replacedBy = try decoder.decodeString("certificate.replaced_by", maxBytes: Limits.nameBytesMax)
        changedBy = try decoder.decodeOptional(Address.self, "certificate.changed_by")
        changedAt = try decoder.decodeOptional(Timestamp.self, "certificate.changed_at")
        reason = try decoder.decodeString("certificate.reason", maxBytes: CatalogContract.titleBytesMax)
    }
}
