import CivicCrypto
import CivicLedger
import CivicNetwork
import Foundation
import Testing

/// Identity certificates: what `openssl` sees in them, acceptance, and every refusal from a real certificate.
@Suite struct IdentityVerifierTests {
    @Test(arguments: CryptoSuite.allCases)
    func opensslAcceptsIdentityCertificatesAndShowsTheRole(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let identity = try fixture.issue(name: "Li Wei", role: .auditor)
        let directory = try NetworkTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try IdentityFixture.write(fixture.authority.certificate.pemRepresentation, "ca.pem", in: directory)
        try IdentityFixture.write(identity.pemRepresentation, "id.pem", in: directory)

        let verified = try NetworkTestSupport.openssl(
            ["verify"] + CertificateVerifierTests.verifyFlags(suite) + ["-CAfile", "ca.pem", "id.pem"], in: directory)
        #expect(verified.status == 0, "\(verified.output) \(verified.error)")
        #expect(verified.output.contains("id.pem: OK"))

        let text = try NetworkTestSupport.openssl(["x509", "-in", "id.pem", "-noout", "-text"], in: directory)
        #expect(text.output.contains("Subject: O = Shenzhen Tax, OU = auditor, CN = Li Wei"))
        #expect(text.output.contains("Signature Algorithm: \(suite == .sm ? "SM2-with-SM3" : "ecdsa-with-SHA256")"))
        #expect(text.output.contains(suite == .sm ? "ASN1 OID: SM2" : "NIST CURVE: P-256"))
        #expect(text.output.contains("URI:civicledger://chain/sz-invoices"))
        #expect(text.output.contains("CA:FALSE"))
        #expect(text.output.contains("Digital Signature"))

        let serial = try NetworkTestSupport.openssl(["x509", "-in", "id.pem", "-noout", "-serial"], in: directory)
        #expect(CertificateProfile.normalizedSerialNumber(
            serial.output.trimmingCharacters(in: .whitespacesAndNewlines)) == identity.serialNumber)
    }

    @Test(arguments: CryptoSuite.allCases)
    func acceptsAnIdentityAndReadsIt(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let key = PrivateKey.generate(suite: suite)
        let certificate = try fixture.authority.issueIdentityCertificate(
            name: "court-gateway", role: .client, publicKey: key.publicKey, chainID: IdentityFixture.chainID,
            validity: NetworkTestSupport.currentWindow())
        let identity = try fixture.verifier().verify(certificatePEM: certificate.pemRepresentation, at: fixture.now)
        #expect(identity.organization == "Shenzhen Tax")
        #expect(identity.name == "court-gateway")
        #expect(identity.role == .client)
        #expect(identity.publicKey == key.publicKey)
        #expect(identity.certificate == certificate)
        #expect(certificate.serialNumber.count >= 30)
        #expect(try fixture.issue().serialNumber != certificate.serialNumber)
    }

    @Test(arguments: CryptoSuite.allCases)
    func issuingRefusesAKeyOfTheOtherSuiteAndAnEmptyName(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let other: CryptoSuite = suite == .sm ? .intl : .sm
        #expect(throws: PKIError.self) {
            try fixture.authority.issueIdentityCertificate(
                name: "x", role: .member, publicKey: PrivateKey.generate(suite: other).publicKey,
                chainID: IdentityFixture.chainID, validity: NetworkTestSupport.currentWindow())
        }
        #expect(throws: PKIError.self) { try fixture.issue(name: "") }
        #expect(throws: PKIError.self) { try fixture.issue(chainID: "Not A Chain") }
    }

    @Test(arguments: CryptoSuite.allCases)
    func expiredAndFutureCertificatesAreRefused(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let past = try fixture.issue(validity: ValidityWindow(
            starting: Timestamp(milliseconds: fixture.now.milliseconds - 10 * 86_400_000), days: 2))
        #expect(try fixture.refusal(past) == .expired(notAfter: past.validity.notAfter))
        #expect(try fixture.refusal(past)?.code == "identity.expired")
        let future = try fixture.issue(validity: ValidityWindow(
            starting: Timestamp(milliseconds: fixture.now.milliseconds + 5 * 86_400_000), days: 2))
        #expect(try fixture.refusal(future) == .notYetValid(notBefore: future.validity.notBefore))
        #expect(try fixture.refusal(future)?.code == "identity.not_yet_valid")
    }

    @Test(arguments: CryptoSuite.allCases)
    func unknownCAAndForgedSignatureAreRefused(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let stranger = try OrganizationCA.create(organization: "Unlisted Bank", suite: suite,
                                                 validity: NetworkTestSupport.currentWindow())
        let foreign = try stranger.issueIdentityCertificate(
            name: "x", role: .admin, publicKey: PrivateKey.generate(suite: suite).publicKey,
            chainID: IdentityFixture.chainID, validity: NetworkTestSupport.currentWindow())
        #expect(try fixture.refusal(foreign) == .unknownCA(issuer: "CN=Unlisted Bank CA,O=Unlisted Bank"))
        #expect(try fixture.refusal(foreign)?.code == "identity.unknown_ca")

        let impostor = try OrganizationCA.create(organization: IdentityFixture.organization, suite: suite,
                                                 validity: NetworkTestSupport.currentWindow())
        let forged = try impostor.issueIdentityCertificate(
            name: "x", role: .admin, publicKey: PrivateKey.generate(suite: suite).publicKey,
            chainID: IdentityFixture.chainID, validity: NetworkTestSupport.currentWindow())
        #expect(try fixture.refusal(forged) == .badSignature)
        #expect(try fixture.refusal(forged)?.code == "identity.bad_signature")
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateOfAnExpiredCAIsRefused(suite: CryptoSuite) throws {
        let now = NetworkTestSupport.nowMilliseconds()
        let lapsed = ValidityWindow(starting: Timestamp(milliseconds: now - 30 * 86_400_000), days: 10)
        let authority = try OrganizationCA.create(organization: "Old Office", suite: suite, validity: lapsed)
        let verifier = try IdentityVerifier(
            chainID: "c", suite: suite,
            authorities: [IdentityVerifier.Authority(organization: "Old Office", certificate: authority.certificate)])
        let identity = try authority.issueIdentityCertificate(
            name: "n", role: .member, publicKey: PrivateKey.generate(suite: suite).publicKey, chainID: "c",
            validity: NetworkTestSupport.currentWindow())
        #expect(throws: IdentityRefusal.authorityNotValid(authority: "CN=Old Office CA,O=Old Office",
                                                          validity: authority.certificate.validity)) {
            try verifier.verify(certificateDER: identity.derRepresentation, at: Timestamp(milliseconds: now))
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateForAnotherChainIsRefused(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let other = try fixture.issue(chainID: "sz-testnet")
        let refusal = try fixture.refusal(other)
        #expect(refusal == .wrongChain(expected: "sz-invoices", found: "sz-testnet"))
        #expect(refusal?.code == "identity.wrong_chain")
        #expect(refusal?.description.contains("'sz-testnet'") == true)
    }

    @Test(arguments: CryptoSuite.allCases)
    func roleMissingUnknownOrDoubledIsRefused(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let key = PrivateKey.generate(suite: suite).publicKey
        let none = try fixture.handMade(subject: [("O", IdentityFixture.organization), ("CN", "a")], key: key)
        #expect(try fixture.refusal(none) == .roleMissing(found: []))
        #expect(try fixture.refusal(none)?.code == "identity.role_missing")
        let two = try fixture.handMade(
            subject: [("O", IdentityFixture.organization), ("OU", "admin"), ("OU", "member"), ("CN", "a")], key: key)
        #expect(try fixture.refusal(two) == .roleMissing(found: ["admin", "member"]))
        let mayor = try fixture.handMade(
            subject: [("O", IdentityFixture.organization), ("OU", "mayor"), ("CN", "a")], key: key)
        #expect(try fixture.refusal(mayor) == .roleUnknown(name: "mayor"))
        #expect(try fixture.refusal(mayor)?.code == "identity.role_unknown")
        #expect(try fixture.refusal(mayor)?.description.contains("admin, member, client") == true)
    }

    @Test(arguments: CryptoSuite.allCases)
    func keyOfTheWrongSuiteIsRefused(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let other: CryptoSuite = suite == .sm ? .intl : .sm
        let certificate = try fixture.handMade(
            subject: [("O", IdentityFixture.organization), ("OU", "member"), ("CN", "a")],
            key: PrivateKey.generate(suite: other).publicKey)
        #expect(try fixture.refusal(certificate) == .wrongSuite(expected: suite, found: other))
        #expect(try fixture.refusal(certificate)?.code == "identity.wrong_suite")
    }

    @Test func transportCertificateIsNotAnIdentity() throws {
        // On an sm chain its P-256 key is of the wrong suite; on an intl chain it carries no role.
        for suite in CryptoSuite.allCases {
            let fixture = try IdentityFixture(suite: suite)
            let transport = try fixture.authority.issueTransportCertificate(
                nodeName: "node-1", chainID: IdentityFixture.chainID,
                transportKey: PrivateKey.generate(suite: .intl).publicKey, validity: NetworkTestSupport.currentWindow())
            let expected: IdentityRefusal = suite == .sm ? .wrongSuite(expected: .sm, found: .intl)
                : .roleMissing(found: [])
            #expect(try fixture.refusal(transport) == expected)
        }
    }

    @Test func certificateClaimingAnotherOrganizationIsRefused() throws {
        let fixture = try IdentityFixture(suite: .sm)
        let certificate = try fixture.handMade(
            subject: [("O", "Public Security Bureau"), ("OU", "admin"), ("CN", "a")],
            key: PrivateKey.generate(suite: .sm).publicKey)
        #expect(try fixture.refusal(certificate)
            == .wrongOrganization(issuer: "Shenzhen Tax", found: "Public Security Bureau"))
        #expect(try fixture.refusal(certificate)?.code == "identity.wrong_organization")
    }

    @Test func malformedInputIsRefused() throws {
        let fixture = try IdentityFixture(suite: .sm)
        let verifier = try fixture.verifier()
        #expect(throws: IdentityRefusal.self) {
            try verifier.verify(certificateDER: [0x30, 0x03, 0x02, 0x01, 0x01], at: fixture.now)
        }
        #expect(throws: IdentityRefusal.self) { try verifier.verify(certificatePEM: "hello", at: fixture.now) }
        do {
            _ = try verifier.verify(certificateDER: fixture.authority.certificate.derRepresentation, at: fixture.now)
            Issue.record("a CA certificate was accepted as an identity")
        } catch {
            #expect(error.code == "identity.malformed")
            #expect(error.description.contains("CA certificate"))
        }
    }

    @Test func codesAreDistinctAndSentencesSayWhatToDo() {
        let time = Timestamp(milliseconds: 1_800_000_000_000)
        let all: [IdentityRefusal] = [
            .malformed("x"), .unknownCA(issuer: "CN=a"), .badSignature,
            .authorityNotValid(authority: "CN=a", validity: ValidityWindow(notBefore: time, notAfter: time)),
            .revoked(serialNumber: "AB", revokedAt: time), .notYetValid(notBefore: time), .expired(notAfter: time),
            .wrongChain(expected: "a", found: nil), .wrongOrganization(issuer: "a", found: "b"),
            .wrongSuite(expected: .sm, found: nil), .roleMissing(found: []), .roleUnknown(name: "mayor"),
        ]
        #expect(Set(all.map(\.code)).count == all.count)
        #expect(all.allSatisfy { $0.code.hasPrefix("identity.") && $0.description.hasSuffix(".") })
        #expect(IdentityRefusal.revoked(serialNumber: "AB", revokedAt: time).description
            .contains("revoked by its organization at 2027-01-15T08:00:00Z"))
    }

    @Test func expiryWarningsAt30And7And1Days() {
        let end = Timestamp(milliseconds: 100 * 86_400_000)
        func warning(daysLeft: Double) -> ExpiryWarning? {
            let time = Int64(end.milliseconds) - Int64(daysLeft * 86_400_000)
            return ExpiryWarning(notAfter: end, at: Timestamp(milliseconds: UInt64(time)))
        }
        #expect(warning(daysLeft: 31) == nil)
        #expect(warning(daysLeft: 30) == .withinThirtyDays)
        #expect(warning(daysLeft: 8) == .withinThirtyDays)
        #expect(warning(daysLeft: 7) == .withinSevenDays)
        #expect(warning(daysLeft: 1.5) == .withinSevenDays)
        #expect(warning(daysLeft: 1) == .withinOneDay)
        #expect(warning(daysLeft: 0) == .withinOneDay)
        #expect(warning(daysLeft: -0.001) == .expired)
        #expect(ExpiryWarning.expired > ExpiryWarning.withinOneDay)
        #expect(ExpiryWarning.withinOneDay > ExpiryWarning.withinSevenDays)
        #expect(ExpiryWarning.withinSevenDays.description == "expires within 7 days")
    }
}
