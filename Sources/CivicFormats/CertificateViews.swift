import CivicApps
import CivicCodec
import CivicCrypto
import CivicLedger
import Foundation

/// A certificate type in JSON, with the issuers a check trusts for it.
public struct CertificateTypeView: Codable, Sendable, Equatable {
    /// The type's id (`marriage`).
    public var id: String
    /// Its name, for people.
    public var name: String
    /// What it certifies.
    public var description: String
    /// The registering department, always trusted for it.
    public var organization: String
    /// The other departments governance trusts for it (cross-region recognition), sorted.
    public var trustedIssuers: [String]
    /// Who registered it, hex address.
    public var registeredBy: String
    /// The registration's height.
    public var height: UInt64
    /// The registration's block time, ms.
    public var timeMs: UInt64
    /// The record with proof.
    public var state: StateResponse?

    /// The view of `type`.
    public init(_ type: CertificateType, trustedIssuers: [String], state: StateResponse?) {
        id = type.draft.id
        name = type.draft.name
        description = type.draft.description
        organization = type.organization
        self.trustedIssuers = trustedIssuers
        registeredBy = type.registeredBy.hex
        height = type.height.rawValue
        timeMs = type.time.milliseconds
        self.state = state
    }
}

/// `GET /v1/certificates/types`: the registered types, oldest first.
public struct CertificateTypeListResponse: Codable, Sendable, Equatable {
    /// How many types are registered.
    public var total: UInt64
    /// The types shown (the first ones, at most the API's limit).
    public var types: [CertificateTypeView]

    /// Creates a value.
    public init(total: UInt64, types: [CertificateTypeView]) {
        self.total = total
        self.types = types
    }
}

/// An electronic certificate in JSON: fingerprints, status and links, never the document or the ID number.
public struct ElectronicCertificateView: Codable, Sendable, Equatable {
    /// The certificate's id.
    public var id: String
    /// Its type.
    public var type: String
    /// The issuing department.
    public var issuer: String
    /// The document's suite hash, hex.
    public var documentFingerprint: String
    /// The holder's subject fingerprint, hex.
    public var holder: String
    /// The holder's address, hex.
    public var holderAddress: String
    /// Valid from (block time, ms).
    public var validFromMs: UInt64
    /// Valid until (block time, ms, exclusive).
    public var validUntilMs: UInt64
    /// `active`, `suspended` or `revoked`.
    public var status: String
    /// The certificate it re-issues; empty when none.
    public var replaces: String
    /// The certificate that re-issued it; empty when none.
    public var replacedBy: String
    /// Who issued it, hex address.
    public var issuedBy: String
    /// The height.
    public var height: UInt64
    /// The block time, ms.
    public var issuedAtMs: UInt64
    /// Who last changed its status, hex address.
    public var changedBy: String?
    /// When its status last changed, ms.
    public var changedAtMs: UInt64?
    /// The reason given for the last change.
    public var reason: String
    /// The record with proof.
    public var state: StateResponse?

    /// The view of `certificate`.
    public init(_ certificate: ElectronicCertificate, state: StateResponse?) {
        id = certificate.draft.id
        type = certificate.draft.type
        issuer = certificate.issuer
        documentFingerprint = certificate.draft.documentFingerprint.hex
        holder = certificate.draft.holderFingerprint.hex
        holderAddress = certificate.draft.holder.hex
        validFromMs = certificate.draft.validFrom.milliseconds
        validUntilMs = certificate.draft.validUntil.milliseconds
        status = certificate.status.name
        replaces = certificate.replaces
        replacedBy = certificate.replacedBy
        issuedBy = certificate.issuedBy.hex
        height = certificate.height.rawValue
        issuedAtMs = certificate.issuedAt.milliseconds
        changedBy = certificate.changedBy?.hex
        changedAtMs = certificate.changedAt?.milliseconds
        reason = certificate.reason
        self.state = state
    }
}

/// `GET /v1/certificates/by-holder/{fingerprint}`: a holder's certificates, in issue order.
public struct HolderCertificatesResponse: Codable, Sendable, Equatable {
    /// The holder's subject fingerprint, hex.
    public var holder: String
    /// How many certificates were issued to the holder.
    public var total: UInt64
    /// The certificates shown (the first ones, at most the API's limit).
    public var certificates: [ElectronicCertificateView]

    /// Creates a value.
    public init(holder: String, total: UInt64, certificates: [ElectronicCertificateView]) {
        self.holder = holder
        self.total = total
        self.certificates = certificates
    }
}

/// One verification of a certificate in JSON.
public struct CertificateCheckView: Codable, Sendable, Equatable {
    /// The check's number.
    public var id: UInt64
    /// The certificate id presented.
    public var certificate: String
    /// The fingerprint of the document presented, hex.
    public var documentFingerprint: String
    /// The verifier's organization.
    public var verifierOrganization: String
    /// The verifier, hex address.
    public var verifier: String
    /// `valid` or the refusal's code.
    public var outcome: String
    /// The authorization that covered it; 0 when none.
    public var authorization: UInt64
    /// The purpose.
    public var purpose: String
    /// The certificate's type; empty when unknown.
    public var type: String
    /// The certificate's issuer; empty when unknown.
    public var issuer: String
    /// The holder's subject fingerprint, hex; empty when unknown.
    public var holder: String
    /// The check's height.
    public var height: UInt64
    /// The check's block time, ms.
    public var timeMs: UInt64
    /// The verifying transaction, hex.
    public var transactionHash: String
    /// The record with proof.
    public var state: StateResponse?

    /// The view of `check`.
    public init(_ check: CertificateCheck, state: StateResponse?) {
        id = check.id
        certificate = check.request.certificate
        documentFingerprint = check.request.documentFingerprint.hex
        verifierOrganization = check.verifierOrganization
        verifier = check.verifier.hex
        outcome = check.outcome
        authorization = check.authorization
        purpose = check.purpose
        type = check.type
        issuer = check.issuer
        holder = check.holderFingerprint == .zero ? "" : check.holderFingerprint.hex
        height = check.height.rawValue
        timeMs = check.time.milliseconds
        transactionHash = check.transactionHash.hex
        self.state = state
    }
}

/// `GET /v1/certificates/{id}/checks`: the newest checks of a certificate id, newest first.
public struct CertificateCheckListResponse: Codable, Sendable, Equatable {
    /// The certificate id.
    public var certificate: String
    /// How many checks were recorded for it.
    public var total: UInt64
    /// The newest checks, at most the API's limit.
    public var checks: [CertificateCheckView]

    /// Creates a value.
    public init(certificate: String, total: UInt64, checks: [CertificateCheckView]) {
        self.certificate = certificate
        self.total = total
        self.checks = checks
    }
}
