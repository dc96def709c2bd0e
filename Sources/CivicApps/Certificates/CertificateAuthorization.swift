import CivicCodec
import CivicCrypto
import CivicLedger

/// What a holder grants: one verifying organization may check one certificate, for a purpose, until a time.
public struct AuthorizationDraft: Hashable, Sendable, CanonicalCodable {
    /// The certificate's id.
    public var certificate: String
    /// The organization whose staff may verify it (e.g. `bank`).
    public var verifierOrganization: String
    /// Why, in words or as a service item id (e.g. `mortgage`); kept in the trail.
    public var purpose: String
    /// The block time from which the authorization no longer counts (at most
    /// ``CertificateContract/authorizationMillisecondsMax`` after the authorizing block).
    public var validUntil: Timestamp

    /// Creates a draft.
    public init(certificate: String, verifierOrganization: String, purpose: String, validUntil: Timestamp) {
        self.certificate = certificate
        self.verifierOrganization = verifierOrganization
        self.purpose = purpose
        self.validUntil = validUntil
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: certificate)
        encoder.encode(string: verifierOrganization)
        encoder.encode(string: purpose)
        encoder.encode(validUntil)
    }

    /// Reads a draft; the organization and purpose must not be empty.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        certificate = try decoder.decodeString("authorization.certificate", maxBytes: Limits.nameBytesMax)
        verifierOrganization = try decoder.decodeString("authorization.verifier_organization", maxBytes: Limits.nameBytesMax)
        purpose = try decoder.decodeString("authorization.purpose", maxBytes: CatalogContract.titleBytesMax)
        validUntil = try decoder.decode(Timestamp.self)
        guard !verifierOrganization.isEmpty, !purpose.isEmpty else {
            throw .invalidValue(field: "authorization", reason: "an authorization names the verifying organization and the purpose")
        }
    }
}

/// A holder's authorization as the chain keeps it.
public struct CertificateAuthorization: Hashable, Sendable, CanonicalCodable {
    /// Its number, from 1.
    public var id: UInt64
    /// What was granted.
    public var draft: AuthorizationDraft
    /// The holder who granted it (and alone may withdraw it).
    public var holder: Address
    /// The block height of the grant.
    public var height: Height
    /// The block time of the grant.
    public var grantedAt: Timestamp
    /// When the holder withdrew it; `nil` while not withdrawn.
    public var withdrawnAt: Timestamp?

    /// Creates an authorization in force.
    public init(id: UInt64, draft: AuthorizationDraft, holder: Address, height: Height, grantedAt: Timestamp) {
        self.id = id
        self.draft = draft
        self.holder = holder
        self.height = height
        self.grantedAt = grantedAt
        withdrawnAt = nil
    }

    /// Whether it counts at `time`: not withdrawn and not past its end.
    public func isActive(at time: Timestamp) -> Bool { withdrawnAt == nil && time < draft.validUntil }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(draft)
        encoder.encode(holder)
        encoder.encode(height)
        encoder.encode(grantedAt)
        encoder.encode(optional: withdrawnAt)
    }

    /// Reads an authorization.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        id = try decoder.decodeUInt64("authorization.id")
        draft = try decoder.decode(AuthorizationDraft.self)
        holder = try decoder.decode(Address.self)
        height = try decoder.decode(Height.self)
        grantedAt = try decoder.decode(Timestamp.self)
        withdrawnAt = try decoder.decodeOptional(Timestamp.self, "authorization.withdrawn_at")
    }
}

/// What a verifier presents: the certificate's id and the fingerprint of the document it was shown.
public struct VerifyRequest: Hashable, Sendable, CanonicalCodable {
    /// The certificate's id, as presented.
    public var certificate: String
    /// The suite hash of the document presented.
    public var documentFingerprint: Hash256
    /// The purpose of the check; empty accepts any purpose the holder authorized.
    public var purpose: String

    /// Creates a request.
    public init(certificate: String, documentFingerprint: Hash256, purpose: String = "") {
        self.certificate = certificate
        self.documentFingerprint = documentFingerprint
        self.purpose = purpose
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: certificate)
        encoder.encode(documentFingerprint)
        encoder.encode(string: purpose)
    }

    /// Reads a request; the id must look like a certificate id (an unknown one is still checked and recorded).
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        certificate = try decoder.decodeString("verify.certificate", maxBytes: Limits.nameBytesMax)
        documentFingerprint = try decoder.decode(Hash256.self)
        purpose = try decoder.decodeString("verify.purpose", maxBytes: CatalogContract.titleBytesMax)
        guard CertificateContract.isCertificateID(certificate) else {
            throw .invalidValue(field: "verify.certificate", reason: "not a certificate id")
        }
    }
}

/// One check as the chain keeps it: what was presented, by whom, and the outcome, valid or refused alike.
public struct CertificateCheck: Hashable, Sendable, CanonicalCodable {
    /// Its number, from 1.
    public var id: UInt64
    /// What the verifier presented.
    public var request: VerifyRequest
    /// The verifier's organization.
    public var verifierOrganization: String
    /// The verifier's key.
    public var verifier: Address
    /// `valid`, or the refusal's code (`certificates.revoked`, …).
    public var outcome: String
    /// The authorization that covered the check; 0 when none did.
    public var authorization: UInt64
    /// The purpose: the covering authorization's, else the one requested.
    public var purpose: String
    /// The certificate's type; empty when unknown.
    public var type: String
    /// The certificate's issuer; empty when unknown.
    public var issuer: String
    /// The certificate's holder fingerprint; zero when unknown.
    public var holderFingerprint: Hash256
    /// The block height.
    public var height: Height
    /// The block time.
    public var time: Timestamp
    /// The verifying transaction.
    public var transactionHash: Hash256

    /// Creates a record.
    public init(id: UInt64, request: VerifyRequest, verifierOrganization: String, verifier: Address, outcome: String,
                authorization: UInt64, purpose: String, type: String, issuer: String, holderFingerprint: Hash256,
                height: Height, time: Timestamp, transactionHash: Hash256) {
        self.id = id
        self.request = request
        self.verifierOrganization = verifierOrganization
        self.verifier = verifier
        self.outcome = outcome
        self.authorization = authorization
        self.purpose = purpose
        self.type = type
        self.issuer = issuer
        self.holderFingerprint = holderFingerprint
        self.height = height
        self.time = time
        self.transactionHash = transactionHash
    }

    /// Whether the check found the certificate valid.
    public var isValid: Bool { outcome == CertificateContract.valid }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(request)
        encoder.encode(string: verifierOrganization)
        encoder.encode(verifier)
        encoder.encode(string: outcome)
        encoder.encode(authorization)
        encoder.encode(string: purpose)
        encoder.encode(string: type)
        encoder.encode(string: issuer)
        encoder.encode(holderFingerprint)
        encoder.encode(height)
        encoder.encode(time)
        encoder.encode(transactionHash)
    }

    /// Reads a record.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        id = try decoder.decodeUInt64("check.id")
        request = try decoder.decode(VerifyRequest.self)
        verifierOrganization = try decoder.decodeString("check.verifier_organization", maxBytes: Limits.nameBytesMax)
        verifier = try decoder.decode(Address.self)
        outcome = try decoder.decodeString("check.outcome", maxBytes: Limits.nameBytesMax)
        authorization = try decoder.decodeUInt64("check.authorization")
        purpose = try decoder.decodeString("check.purpose", maxBytes: CatalogContract.titleBytesMax)
        type = try decoder.decodeString("check.type", maxBytes: Limits.nameBytesMax)
        issuer = try decoder.decodeString("check.issuer", maxBytes: Limits.nameBytesMax)
        holderFingerprint = try decoder.decode(Hash256.self)
        height = try decoder.decode(Height.self)
        time = try decoder.decode(Timestamp.self)
        transactionHash = try decoder.decode(Hash256.self)
    }
}

/// What `verify` returns: the check's number and its outcome, so that a client shows "refused:
/// certificates.revoked" without another query.
public struct VerifyResult: Hashable, Sendable, CanonicalCodable {
    /// The check's number.
    public var check: UInt64
    /// `valid` or the refusal's code.
    public var outcome: String

    /// Creates a result.
    public init(check: UInt64, outcome: String) {
        self.check = check
        self.outcome = outcome
    }

    /// Whether the certificate was found valid.
    public var isValid: Bool { outcome == CertificateContract.valid }

    /// check, outcome.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(check)
        encoder.encode(string: outcome)
    }

    /// Reads a result.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        check = try decoder.decodeUInt64("verify_result.check")
        outcome = try decoder.decodeString("verify_result.outcome", maxBytes: Limits.nameBytesMax)
    }
}
