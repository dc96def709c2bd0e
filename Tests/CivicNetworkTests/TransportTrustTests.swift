import CivicCrypto
import CivicLedger
import CivicNetwork
import Testing

/// Revocation by fingerprint on top of the CA checks, without sockets.
@Suite struct TransportTrustTests {
    @Test(arguments: CryptoSuite.allCases)
    func fingerprintIsTheSuiteHashOfTheDER(suite: CryptoSuite) throws {
        let chain = try TestChain(suite: suite)
        let certificate = try chain.issue("node")
        let fingerprint = CertificateFingerprint(certificate, suite: suite)
        #expect(fingerprint.digest == suite.hash(certificate.derRepresentation))
        #expect(fingerprint.description == "\(suite == .sm ? "sm3" : "sha256"):\(fingerprint.digest.hex)")
        #expect(fingerprint != CertificateFingerprint(certificate, suite: suite == .sm ? .intl : .sm))
    }

    @Test(arguments: CryptoSuite.allCases)
    func revokedFingerprintIsRefusedAndOthersAreAccepted(suite: CryptoSuite) throws {
        let chain = try TestChain(suite: suite)
        let revoked = try chain.issue("revoked")
        let kept = try chain.issue("kept")
        let now = Timestamp(milliseconds: NetworkTestSupport.nowMilliseconds())
        let fingerprint = CertificateFingerprint(revoked, suite: suite)
        let trust = TransportTrust(verifier: chain.verifier, revoked: [fingerprint])
        #expect(throws: CertificateRefusal.revoked(fingerprint: fingerprint)) {
            try trust.verify(leafDER: revoked.derRepresentation, at: now)
        }
        #expect(CertificateRefusal.revoked(fingerprint: fingerprint).code == "certificate.revoked")
        #expect(try trust.verify(leafDER: kept.derRepresentation, at: now) == kept)
        #expect(try TransportTrust(verifier: chain.verifier).verify(leafDER: revoked.derRepresentation, at: now)
            == revoked)
    }

    /// A record made with the other suite's hash function is honored too, never silently ignored.
    @Test(arguments: CryptoSuite.allCases)
    func fingerprintOfTheOtherHashFunctionAlsoRevokes(suite: CryptoSuite) throws {
        let chain = try TestChain(suite: suite)
        let certificate = try chain.issue("node")
        let other: CryptoSuite = suite == .sm ? .intl : .sm
        let fingerprint = CertificateFingerprint(certificate, suite: other)
        let trust = TransportTrust(verifier: chain.verifier, revoked: [fingerprint])
        #expect(trust.revokedFingerprint(of: certificate.derRepresentation) == fingerprint)
        let now = Timestamp(milliseconds: NetworkTestSupport.nowMilliseconds())
        #expect(throws: CertificateRefusal.revoked(fingerprint: fingerprint)) {
            try trust.verify(leafDER: certificate.derRepresentation, at: now)
        }
    }

    /// The CA checks come first: a revoked certificate of an unknown CA is refused as `certificate.unknown_ca`.
    @Test func caChecksComeBeforeRevocation() throws {
        let chain = try TestChain(suite: .intl)
        let stranger = try OrganizationCA.create(organization: "Unlisted Bank", suite: .intl,
                                                 validity: NetworkTestSupport.currentWindow())
        let certificate = try chain.issue("intruder", issuer: stranger)
        let trust = TransportTrust(verifier: chain.verifier,
                                   revoked: [CertificateFingerprint(certificate, suite: .intl)])
        let now = Timestamp(milliseconds: NetworkTestSupport.nowMilliseconds())
        #expect(throws: CertificateRefusal.unknownCA(issuer: certificate.issuer)) {
            try trust.verify(leafDER: certificate.derRepresentation, at: now)
        }
    }
}

extension TestChain {
    /// A transport certificate for a fresh P-256 key, issued by `issuer` (default: the chain's CA).
    func issue(_ name: String, issuer: OrganizationCA? = nil) throws -> X509Certificate {
        try (issuer ?? authority).issueTransportCertificate(
            nodeName: name, chainID: chainID, transportKey: PrivateKey.generate(suite: .intl).publicKey,
            validity: NetworkTestSupport.currentWindow())
    }
}
