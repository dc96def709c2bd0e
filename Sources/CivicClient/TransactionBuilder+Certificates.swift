import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// Calls of contract `certificates` (Docs/0016). The document and the holder's ID number never go in a call: only
/// their fingerprints (``certificateFingerprints(document:holderID:salt:suite:)``).
extension TransactionBuilder {
    /// A call registering a certificate type (staff of the issuing department).
    public static func registerCertificateType(_ draft: CertificateTypeDraft) -> ContractCall {
        ContractCall(contract: "certificates", method: "register_type", arguments: draft)
    }

    /// A call issuing a certificate (staff of the issuing department).
    public static func issueCertificate(_ draft: CertificateDraft) -> ContractCall {
        ContractCall(contract: "certificates", method: "issue", arguments: draft)
    }

    /// A call suspending, resuming or revoking a certificate (`method` is `suspend`, `resume` or `revoke`; staff of
    /// its issuer).
    public static func changeCertificateStatus(_ method: String, certificate: String, reason: String) -> ContractCall {
        ContractCall(contract: "certificates", method: method,
                     arguments: CertificateContract.StatusChange(certificate: certificate, reason: reason))
    }

    /// A call re-issuing `replaced` as `certificate` (staff of its issuer).
    public static func reissueCertificate(_ replaced: String, reason: String, as certificate: CertificateDraft) -> ContractCall {
        ContractCall(contract: "certificates", method: "reissue",
                     arguments: CertificateContract.Reissue(replaced: replaced, reason: reason, certificate: certificate))
    }

    /// A call authorizing a verifying organization (the holder only).
    public static func authorizeVerifier(_ draft: AuthorizationDraft) -> ContractCall {
        ContractCall(contract: "certificates", method: "authorize", arguments: draft)
    }

    /// A call withdrawing authorization `id` (the holder only).
    public static func withdrawAuthorization(_ id: UInt64) -> ContractCall {
        ContractCall(contract: "certificates", method: "withdraw_authorization", arguments: id)
    }

    /// A call checking a presented certificate (staff of the verifying organization); the receipt's return data is a
    /// ``VerifyResult``.
    public static func verifyCertificate(_ request: VerifyRequest) -> ContractCall {
        ContractCall(contract: "certificates", method: "verify", arguments: request)
    }

    /// The document's suite hash and the holder's ``SubjectFingerprint``, computed on this machine.
    public static func certificateFingerprints(document: [UInt8], holderID: String, salt: [UInt8],
                                               suite: CryptoSuite) -> (document: Hash256, holder: Hash256) {
        (suite.hash(document), SubjectFingerprint.make(identifier: holderID, salt: salt, suite: suite))
    }
}
