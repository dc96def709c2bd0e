import CivicCrypto
import CivicLedger
import CivicNetwork
import Foundation
import Testing

/// Organization CAs' revocation lists: `openssl` checks them, they accumulate, and the verifier refuses what they
/// revoke.
@Suite struct RevocationListTests {
    @Test(arguments: CryptoSuite.allCases)
    func opensslVerifiesTheListAndRefusesARevokedCertificate(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let revoked = try fixture.issue(name: "leaver")
        let kept = try fixture.issue(name: "stayer")
        let list = try fixture.authority.revoke([revoked], at: fixture.now, previous: nil, days: 30)
        let directory = try NetworkTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let caPEM = fixture.authority.certificate.pemRepresentation
        try IdentityFixture.write(caPEM, "ca.pem", in: directory)
        try IdentityFixture.write(list.pemRepresentation, "crl.pem", in: directory)
        try IdentityFixture.write(caPEM + list.pemRepresentation, "bundle.pem", in: directory)
        try IdentityFixture.write(revoked.pemRepresentation, "revoked.pem", in: directory)
        try IdentityFixture.write(kept.pemRepresentation, "kept.pem", in: directory)

        // `openssl crl` has no option for an SM2 signer id; our SM2 lists carry none, so it needs no flag.
        let crl = try NetworkTestSupport.openssl(["crl", "-in", "crl.pem", "-CAfile", "ca.pem", "-verify", "-noout"],
                                                 in: directory)
        #expect(crl.status == 0, "\(crl.output) \(crl.error)")
        #expect((crl.output + crl.error).contains("verify OK"))

        let text = try NetworkTestSupport.openssl(["crl", "-in", "crl.pem", "-noout", "-text"], in: directory)
        #expect(text.output.contains("Serial Number: \(revoked.serialNumber)"))
        #expect(text.output.contains("X509v3 CRL Number"))
        #expect(text.output.contains("Issuer: O = Shenzhen Tax, CN = Shenzhen Tax CA"))

        let flags = CertificateVerifierTests.verifyFlags(suite)
        let refused = try NetworkTestSupport.openssl(
            ["verify", "-crl_check"] + flags + ["-CAfile", "bundle.pem", "revoked.pem"], in: directory)
        #expect(refused.status != 0)
        #expect((refused.output + refused.error).contains("certificate revoked"))
        let accepted = try NetworkTestSupport.openssl(
            ["verify", "-crl_check"] + flags + ["-CAfile", "bundle.pem", "kept.pem"], in: directory)
        #expect(accepted.status == 0, "\(accepted.output) \(accepted.error)")
    }

    @Test(arguments: CryptoSuite.allCases)
    func revokedThenVerifiedIsRefusedWithTheTime(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let certificate = try fixture.issue()
        #expect(try fixture.refusal(certificate) == nil)
        let when = Timestamp(milliseconds: fixture.now.milliseconds / 1000 * 1000 - 3_600_000)
        let list = try fixture.authority.revoke(serialNumbers: [certificate.serialNumber], at: when, previous: nil,
                                                days: 30)
        let refusal = try fixture.refusal(certificate, revocationLists: [list])
        #expect(refusal == .revoked(serialNumber: certificate.serialNumber, revokedAt: when))
        #expect(refusal?.code == "identity.revoked")
        // Before the revocation (a transaction signed earlier) the certificate was good.
        let before = Timestamp(milliseconds: when.milliseconds - 1000)
        let identity = try fixture.verifier(revocationLists: [list])
            .verify(certificateDER: certificate.derRepresentation, at: before)
        #expect(identity.name == "li-wei")
        // Another certificate of the same CA is not affected.
        #expect(try fixture.refusal(try fixture.issue(), revocationLists: [list]) == nil)
    }

    @Test(arguments: CryptoSuite.allCases)
    func listsAccumulateAndRoundTrip(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let first = try fixture.issue(name: "a")
        let second = try fixture.issue(name: "b")
        let empty = try fixture.authority.revoke(serialNumbers: [], at: fixture.now, previous: nil, days: 7)
        #expect(empty.number == 1 && empty.entries.isEmpty)
        #expect(empty.nextUpdate.milliseconds == empty.thisUpdate.milliseconds + 7 * 86_400_000)
        let t1 = Timestamp(milliseconds: fixture.now.milliseconds / 1000 * 1000)
        let one = try fixture.authority.revoke([first], at: t1, previous: empty, days: 30)
        let t2 = Timestamp(milliseconds: t1.milliseconds + 60_000)
        let two = try fixture.authority.revoke([second, first], at: t2, previous: one, days: 30)
        #expect(two.number == 3)
        #expect(two.entry(forSerialNumber: first.serialNumber)?.revokedAt == t1)
        #expect(two.entry(forSerialNumber: "serial=00" + second.serialNumber.lowercased())?.revokedAt == t2)
        #expect(two.entries.count == 2)
        #expect(two.isIssued(by: fixture.authority.certificate))
        #expect(try RevocationList(pemRepresentation: two.pemRepresentation) == two)
        #expect(try RevocationList(derRepresentation: two.derRepresentation) == two)
        #expect(throws: PKIError.self) { try RevocationList(derRepresentation: two.derRepresentation + [0]) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func revokingRefusesWhatIsNotThisCAs(suite: CryptoSuite) throws {
        let fixture = try IdentityFixture(suite: suite)
        let other = try OrganizationCA.create(organization: "Other", suite: suite,
                                              validity: NetworkTestSupport.currentWindow())
        let foreign = try other.issueIdentityCertificate(
            name: "x", role: .member, publicKey: PrivateKey.generate(suite: suite).publicKey,
            chainID: IdentityFixture.chainID, validity: NetworkTestSupport.currentWindow())
        #expect(throws: PKIError.self) {
            try fixture.authority.revoke([foreign], at: fixture.now, previous: nil, days: 30)
        }
        let otherList = try other.revoke(serialNumbers: [], at: fixture.now, previous: nil, days: 30)
        #expect(throws: PKIError.self) {
            try fixture.authority.revoke(serialNumbers: [], at: fixture.now, previous: otherList, days: 30)
        }
        #expect(throws: PKIError.self) {
            try fixture.authority.revoke(serialNumbers: ["not-hex"], at: fixture.now, previous: nil, days: 30)
        }
        // A verifier does not take a list that none of its CAs signed.
        #expect(throws: PKIError.self) { try fixture.verifier(revocationLists: [otherList]) }
    }
}
