import CivicCodec
import CivicCrypto
import CivicLedger

/// The identity certificate an identity enrolled with: enough to check every later transaction without X.509 —
/// its fingerprint (looked up in governance's revocation list), its end, and when it was enrolled (compared with
/// when its organization joined).
///
/// Canonical bytes: fingerprint algorithm (u8), fingerprint (32 bytes), notAfter (ms, u64), enrolled-at height.
public struct IdentityCertificate: Hashable, Sendable, CanonicalCodable {
    /// The hash of the fingerprint: SM3 on `sm` chains, SHA-256 on `intl` chains.
    public var algorithm: FingerprintAlgorithm
    /// The hash of the certificate's DER, as `governance/revoked/<algorithm><fingerprint>` names it.
    public var fingerprint: Hash256
    /// The end of the certificate's validity: from this block time on, the identity's transactions are refused.
    public var notAfter: Timestamp
    /// The height of the enrollment that stored this certificate.
    public var enrolledAt: Height

    /// Creates a value.
    public init(algorithm: FingerprintAlgorithm, fingerprint: Hash256, notAfter: Timestamp, enrolledAt: Height) {
        self.algorithm = algorithm
        self.fingerprint = fingerprint
        self.notAfter = notAfter
        self.enrolledAt = enrolledAt
    }

    /// The fingerprint of `der` on a chain of `suite`: the suite's hash of the DER bytes.
    public static func fingerprint(of der: [UInt8], suite: CryptoSuite) -> (FingerprintAlgorithm, Hash256) {
        (suite == .sm ? .sm3 : .sha256, suite.hash(der))
    }

    /// algorithm, fingerprint, notAfter, enrolled-at.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(algorithm)
        encoder.encode(fingerprint)
        encoder.encode(notAfter)
        encoder.encode(enrolledAt)
    }

    /// Reads a value.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        algorithm = try decoder.decode(FingerprintAlgorithm.self)
        fingerprint = try decoder.decode(Hash256.self)
        notAfter = try decoder.decode(Timestamp.self)
        enrolledAt = try decoder.decode(Height.self)
    }
}

extension Identity {
    /// Why a transaction signed by this identity must be refused at `time` because of its certificate, or `nil`
    /// when it has none (genesis and admin-registered identities) or the certificate is in force. Checked by the
    /// executor before every call except `identity.enroll` (which presents a new certificate), and so by
    /// admission's dry run too.
    ///
    /// In order: `identity.certificate_expired` (notAfter ≤ the block time), `identity.certificate_revoked` (its
    /// fingerprint is under `governance/revoked/`), `identity.organization_removed` (its organization is no longer a
    /// member, or left and joined again after the enrollment, possibly with another CA).
    /// - Parameter read: the value under a full state key.
    public func certificateRefusal(at time: Timestamp, read: (_ key: [UInt8]) -> [UInt8]?) -> ContractFailure? {
        guard let certificate else { return nil }
        guard time < certificate.notAfter else {
            return ContractFailure(
                code: "identity.certificate_expired",
                message: "The signer \(address)'s identity certificate expired at \(certificate.notAfter) since the "
                    + "Unix epoch; "
                    + "ask \(organization) for a new certificate and enroll it with 'civic identity enroll'.")
        }
        if let revocation = GovernanceContract.revocation(certificate.algorithm, certificate.fingerprint, read: read) {
            return ContractFailure(
                code: "identity.certificate_revoked",
                message: "The signer \(address)'s identity certificate (\(certificate.algorithm.name):"
                    + "\(certificate.fingerprint.hex)) was revoked by governance proposal \(revocation.proposalID) at "
                    + "height \(revocation.revokedAt); ask \(organization) for a new certificate.")
        }
        let record = read(GovernanceContract.stateKey(GovernanceContract.Key.organization(organization)))
            .flatMap { try? GovernanceOrganization(canonicalBytes: $0) }
        guard let record, record.addedAt <= certificate.enrolledAt else {
            return ContractFailure(
                code: "identity.organization_removed",
                message: "The signer \(address)'s certificate was issued by '\(organization)', which "
                    + (record == nil ? "is no longer a member of this chain." : "left the chain and joined again "
                        + "since; enroll a certificate issued by its current CA."))
        }
        return nil
    }
}
