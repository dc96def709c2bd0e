import CivicCrypto

/// A certificate's fingerprint as governance records it when it revokes a transport certificate: the hash of the
/// certificate's DER encoding, with the hash function of a crypto suite.
///
/// ```
/// fingerprint ::= H(certificate DER)      H = SM3 (suite sm, algorithm "sm3") or SHA-256 (suite intl, "sha256")
/// ```
///
/// A chain records its revocations with its own suite's hash (SM3 on `sm` chains, SHA-256 on `intl` chains), and
/// that is what `openssl x509 -outform der | openssl dgst -sha256` (or `-sm3`) prints. The suite is part of the
/// value so that a record made with the other hash function is still honored, never silently ignored.
public struct CertificateFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The suite whose hash function made ``digest``.
    public let suite: CryptoSuite
    /// The 32-byte hash of the certificate's DER encoding.
    public let digest: Hash256

    /// A fingerprint recorded elsewhere (for example in a governance revocation record).
    public init(suite: CryptoSuite, digest: Hash256) {
        self.suite = suite
        self.digest = digest
    }

    /// The fingerprint of the DER certificate `der` with `suite`'s hash function.
    public init(certificateDER der: [UInt8], suite: CryptoSuite) {
        self.init(suite: suite, digest: suite.hash(der))
    }

    /// The fingerprint of `certificate` with `suite`'s hash function.
    public init(_ certificate: X509Certificate, suite: CryptoSuite) {
        self.init(certificateDER: certificate.derRepresentation, suite: suite)
    }

    /// `sm3:<hex>` or `sha256:<hex>`, as governance prints it.
    public var description: String { "\(suite == .sm ? "sm3" : "sha256"):\(digest.hex)" }
}
