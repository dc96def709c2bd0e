import CivicCrypto
import CivicLedger

/// What a node accepts as a peer's transport certificate at one moment: the chain's organization CAs (a
/// ``CertificateVerifier``) and the fingerprints of the certificates that governance revoked.
///
/// Both change at runtime, when a governance vote adds or removes an organization or revokes a certificate
/// (``PeerNetwork/updateTrust(_:revoked:)``). A certificate is accepted when the verifier accepts it and none of
/// its fingerprints is revoked: for each suite that appears in ``revoked``, the certificate's DER is hashed with
/// that suite's hash function (``CertificateFingerprint``). Revocation is checked after the verifier, so that
/// ``CertificateRefusal/revoked(fingerprint:)`` names a certificate the chain's CA really issued and that is
/// otherwise valid.
public struct TransportTrust: Sendable {
    /// The chain's organization CAs and chain id.
    public let verifier: CertificateVerifier
    /// Fingerprints of revoked transport certificates.
    public let revoked: Set<CertificateFingerprint>

    /// A trust store of `verifier`'s CAs without the certificates in `revoked`.
    public init(verifier: CertificateVerifier, revoked: Set<CertificateFingerprint> = []) {
        self.verifier = verifier
        self.revoked = revoked
    }

    /// The chain id.
    public var chainID: String { verifier.chainID }

    /// The chain's suite.
    public var suite: CryptoSuite { verifier.suite }

    /// Checks a peer's leaf certificate (DER) at `time`: the verifier's checks, then revocation.
    /// - Returns: the accepted certificate.
    /// - Throws: the ``CertificateRefusal`` that explains the first failed check.
    public func verify(leafDER: [UInt8], at time: Timestamp) throws(CertificateRefusal) -> X509Certificate {
        let certificate = try verifier.verify(leafDER: leafDER, at: time)
        if let fingerprint = revokedFingerprint(of: leafDER) { throw .revoked(fingerprint: fingerprint) }
        return certificate
    }

    /// The revoked fingerprint that matches the DER certificate `der`, if any.
    public func revokedFingerprint(of der: [UInt8]) -> CertificateFingerprint? {
        guard !revoked.isEmpty else { return nil }
        let suites = Set(revoked.map(\.suite))
        for suite in CryptoSuite.allCases where suites.contains(suite) {
            let fingerprint = CertificateFingerprint(certificateDER: der, suite: suite)
            if revoked.contains(fingerprint) { return fingerprint }
        }
        return nil
    }
}
