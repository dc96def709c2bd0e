import COpenSSL
import CivicCrypto
import CivicLedger
@testable import CivicNetwork
import Foundation
import Testing

/// RFC 3161 tokens signed by a validator's time-stamping key: `openssl ts -verify` and our verifier agree.
@Suite struct TimeStampAuthorityTests {
    static let policy = "1.2.156.112562.1.1"

    /// A CA, a time-stamping authority it certified, and files for `openssl` in a temporary directory.
    struct Fixture {
        let suite: CryptoSuite
        let authority: OrganizationCA
        let tsa: TimeStampAuthority
        let directory: URL
        /// The wall clock, with milliseconds, as the block time (openssl checks certificates against now).
        let genTime = Timestamp(milliseconds: NetworkTestSupport.nowMilliseconds() / 1000 * 1000 + 250)
        let data = Array("evidence: contract scan, 3 pages".utf8)

        init(suite: CryptoSuite) throws {
            self.suite = suite
            authority = try OrganizationCA.create(organization: "Nanjing Courts", suite: suite,
                                                  validity: NetworkTestSupport.currentWindow(days: 365))
            let key = PrivateKey.generate(suite: suite)
            let certificate = try authority.issueTimeStampingCertificate(
                name: "validator-1 tsa", publicKey: key.publicKey, chainID: "nj-evidence",
                validity: NetworkTestSupport.currentWindow())
            tsa = try TimeStampAuthority(certificatePEM: certificate.pemRepresentation,
                                         privateKeyPEM: key.pemRepresentation, policy: policy)
            directory = try NetworkTestSupport.temporaryDirectory()
            try write(authority.certificate.pemRepresentation, "ca.pem")
            try write(certificate.pemRepresentation, "tsa.pem")
            try Data(data).write(to: directory.appendingPathComponent("data.bin"))
        }

        var digest: [UInt8] { suite.hash(data).bytes }

        func write(_ text: String, _ name: String) throws {
            try IdentityFixture.write(text, name, in: directory)
        }

        func write(_ bytes: [UInt8], _ name: String) throws {
            try Data(bytes).write(to: directory.appendingPathComponent(name))
        }

        /// `openssl ts -verify` of the response file `name` against `digest`.
        func opensslVerify(_ name: String, digest: [UInt8]) throws -> NetworkTestSupport.Run {
            try NetworkTestSupport.openssl(
                ["ts", "-verify", "-digest", Hash256(bytes: digest).hex, "-in", name, "-CAfile", "ca.pem",
                 "-untrusted", "tsa.pem"], in: directory)
        }

        func cleanUp() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func opensslAndOurVerifierAcceptTheToken(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        defer { fixture.cleanUp() }
        let response = try fixture.tsa.timeStamp(digest: fixture.digest, serialNumber: 4711, genTime: fixture.genTime)
        try fixture.write(response.derRepresentation, "resp.tsr")
        try fixture.write(response.token, "token.tst")

        let byDigest = try fixture.opensslVerify("resp.tsr", digest: fixture.digest)
        #expect(byDigest.status == 0, "\(byDigest.output) \(byDigest.error)")
        #expect(byDigest.output.contains("Verification: OK"))
        let byData = try NetworkTestSupport.openssl(
            ["ts", "-verify", "-data", "data.bin", "-token_in", "-in", "token.tst", "-CAfile", "ca.pem"],
            in: fixture.directory)
        #expect(byData.status == 0, "\(byData.output) \(byData.error)")
        #expect(byData.output.contains("Verification: OK"))

        let text = try NetworkTestSupport.openssl(["ts", "-reply", "-in", "resp.tsr", "-text"], in: fixture.directory)
        #expect(text.output.contains("Status: Granted."))
        #expect(text.output.contains("Hash Algorithm: \(suite == .sm ? "sm3" : "sha256")"), "\(text.output)")
        #expect(text.output.contains("Policy OID: \(Self.policy)"))
        #expect(text.output.contains("Serial number: 0x1267"))
        #expect(text.output.contains(".25 "), "genTime keeps the milliseconds: \(text.output)")

        let info = try TimeStampAuthority.verify(token: response.token, digest: fixture.digest,
                                                 trustedCA: fixture.authority.certificate)
        #expect(info == TimeStampAuthority.Info(genTime: fixture.genTime, serialNumber: 4711, policy: Self.policy,
                                                suite: suite))
    }

    /// The token's content is a function of its inputs; only the (randomized) signature differs between signings.
    @Test(arguments: CryptoSuite.allCases)
    func tokenContentIsReproducible(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        defer { fixture.cleanUp() }
        let genTime = Timestamp(milliseconds: fixture.genTime.milliseconds + 5)
        let first = try fixture.tsa.timeStamp(digest: fixture.digest, serialNumber: 1, genTime: genTime)
        let second = try fixture.tsa.timeStamp(digest: fixture.digest, serialNumber: 1, genTime: genTime)
        #expect(first.token != second.token, "ECDSA and SM2 signatures are randomized")
        try fixture.write(first.derRepresentation, "first.tsr")
        try fixture.write(second.derRepresentation, "second.tsr")
        let texts = try ["first.tsr", "second.tsr"].map { name in
            try NetworkTestSupport.openssl(["ts", "-reply", "-in", name, "-text"], in: fixture.directory).output
        }
        #expect(texts[0] == texts[1])
        #expect(texts[0].contains(".255 "))
        // Both tokens carry, byte for byte, the TSTInfo that the inputs alone define.
        let expected = try #require(Self.tstInfoDER(suite: suite, digest: fixture.digest, serialNumber: 1,
                                                    genTime: genTime))
        #expect(Self.range(of: expected, in: first.token) != nil)
        #expect(Self.range(of: expected, in: second.token) != nil)
    }

    @Test(arguments: CryptoSuite.allCases)
    func tamperedTokenAndWrongDigestAreRefused(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        defer { fixture.cleanUp() }
        let response = try fixture.tsa.timeStamp(digest: fixture.digest, serialNumber: 9, genTime: fixture.genTime)
        let ca = fixture.authority.certificate

        // One byte of the imprint inside the signed TSTInfo, and one byte of the signature.
        let imprintAt = try #require(Self.range(of: fixture.digest, in: response.derRepresentation)).lowerBound
        var tampered = response.derRepresentation
        tampered[imprintAt] ^= 1
        var tamperedDigest = fixture.digest
        tamperedDigest[0] ^= 1
        try fixture.write(tampered, "tampered.tsr")
        let byImprint = try fixture.opensslVerify("tampered.tsr", digest: tamperedDigest)
        #expect(byImprint.status != 0 && byImprint.output.contains("Verification: FAILED"))
        let tokenImprintAt = try #require(Self.range(of: fixture.digest, in: response.token)).lowerBound
        var tamperedToken = response.token
        tamperedToken[tokenImprintAt] ^= 1
        #expect(Self.refusalCode(tamperedToken, tamperedDigest, ca) == "timestamp.invalid_signature")

        var badSignature = response.token
        badSignature[badSignature.count - 3] ^= 0x40
        try fixture.write(badSignature, "bad-signature.tst")
        let bySignature = try NetworkTestSupport.openssl(
            ["ts", "-verify", "-digest", Hash256(bytes: fixture.digest).hex, "-token_in", "-in", "bad-signature.tst",
             "-CAfile", "ca.pem"], in: fixture.directory)
        #expect(bySignature.status != 0 && bySignature.output.contains("Verification: FAILED"))
        do {
            _ = try TimeStampAuthority.verify(token: badSignature, digest: fixture.digest, trustedCA: ca)
            Issue.record("a token with an altered signature was accepted")
        } catch {
            #expect(error.code == "timestamp.invalid_signature" || error.code == "timestamp.malformed", "\(error)")
        }

        try fixture.write(response.derRepresentation, "resp.tsr")
        let otherData = suite.hash(Array("other evidence".utf8)).bytes
        let byOtherDigest = try fixture.opensslVerify("resp.tsr", digest: otherData)
        #expect(byOtherDigest.status != 0 && byOtherDigest.output.contains("Verification: FAILED"))
        #expect(throws: TimeStampRefusal.digestMismatch) {
            try TimeStampAuthority.verify(token: response.token, digest: otherData, trustedCA: ca)
        }
        // The other suite's hash function, same digest bytes: refused too.
        let otherCA = try OrganizationCA.create(organization: "Other", suite: suite == .sm ? .intl : .sm,
                                                validity: NetworkTestSupport.currentWindow())
        #expect(throws: TimeStampRefusal.digestMismatch) {
            try TimeStampAuthority.verify(token: response.token, digest: fixture.digest, trustedCA: otherCA.certificate)
        }
        #expect(Self.refusalCode(Array(response.token.dropLast()), fixture.digest, ca) == "timestamp.malformed")
        #expect(Self.refusalCode([], fixture.digest, ca) == "timestamp.malformed")
    }

    /// A certificate of the same CA without the timeStamping extended key usage: refused by the authority's
    /// initializer, and a token signed with it anyway is refused by `openssl ts -verify` and by `verify`.
    @Test(arguments: CryptoSuite.allCases)
    func signerWithoutTimeStampingUsageIsRefused(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        defer { fixture.cleanUp() }
        let key = PrivateKey.generate(suite: suite)
        var builder = CertificateBuilder(
            subject: [("O", "Nanjing Courts"), ("CN", "not a tsa")], subjectKey: key.publicKey,
            validity: NetworkTestSupport.currentWindow(),
            extensions: [(NID_basic_constraints, "critical,CA:FALSE"),
                         (NID_key_usage, "critical,digitalSignature,nonRepudiation")])
        builder.omitsSignerID = true
        let object = try builder.sign(with: fixture.authority.privateKey,
                                      issuer: X509Object(pem: fixture.authority.certificate.pemRepresentation))
        let certificate = try X509Certificate(derRepresentation: object.der)
        #expect(throws: PKIError.self) {
            try TimeStampAuthority(certificate: certificate, privateKey: key, policy: Self.policy)
        }
        let impostor = try TimeStampAuthority(unchecked: certificate, privateKey: key, policy: Self.policy)
        let response = try impostor.timeStamp(digest: fixture.digest, serialNumber: 2, genTime: fixture.genTime)
        try fixture.write(response.derRepresentation, "impostor.tsr")
        try fixture.write(certificate.pemRepresentation, "tsa.pem")
        let run = try fixture.opensslVerify("impostor.tsr", digest: fixture.digest)
        #expect(run.status != 0 && run.output.contains("Verification: FAILED"), "\(run.output) \(run.error)")
        do {
            _ = try TimeStampAuthority.verify(token: response.token, digest: fixture.digest,
                                              trustedCA: fixture.authority.certificate)
            Issue.record("a token from a certificate without timeStamping was accepted")
        } catch {
            #expect(error.code == "timestamp.untrusted_signer", "\(error)")
        }
    }

    /// A TSA certified by another CA does not verify against ours; nor does a token before the certificate's time.
    @Test(arguments: CryptoSuite.allCases)
    func otherCAOrTimeOutsideValidityIsRefused(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        defer { fixture.cleanUp() }
        let other = try Fixture(suite: suite)
        defer { other.cleanUp() }
        let response = try other.tsa.timeStamp(digest: fixture.digest, serialNumber: 3, genTime: fixture.genTime)
        #expect(Self.refusalCode(response.token, fixture.digest, fixture.authority.certificate)
                == "timestamp.untrusted_signer")
        let early = Timestamp(milliseconds: fixture.genTime.milliseconds - 3 * 86_400_000)
        let old = try fixture.tsa.timeStamp(digest: fixture.digest, serialNumber: 4, genTime: early)
        do {
            _ = try TimeStampAuthority.verify(token: old.token, digest: fixture.digest,
                                              trustedCA: fixture.authority.certificate)
            Issue.record("a token from before the certificate's validity was accepted")
        } catch {
            #expect(error.code == "timestamp.untrusted_signer", "\(error)")
        }
    }

    @Test func inputsAreChecked() throws {
        let fixture = try Fixture(suite: .sm)
        defer { fixture.cleanUp() }
        #expect(throws: PKIError.self) {
            try fixture.tsa.timeStamp(digest: [1, 2, 3], serialNumber: 1, genTime: fixture.genTime)
        }
        #expect(throws: PKIError.self) {
            try TimeStampAuthority(certificate: fixture.tsa.certificate, privateKey: fixture.tsa.privateKey,
                                   policy: "tsa-policy")
        }
        #expect(throws: PKIError.self) {
            try TimeStampAuthority(certificate: fixture.tsa.certificate, privateKey: .generate(suite: .sm),
                                   policy: Self.policy)
        }
    }

    /// The code of `verify`'s refusal, or `nil` if the token was accepted.
    static func refusalCode(_ token: [UInt8], _ digest: [UInt8], _ trustedCA: X509Certificate) -> String? {
        do {
            _ = try TimeStampAuthority.verify(token: token, digest: digest, trustedCA: trustedCA)
            return nil
        } catch {
            return error.code
        }
    }

    /// The DER TSTInfo of these inputs, built apart from any signing.
    static func tstInfoDER(suite: CryptoSuite, digest: [UInt8], serialNumber: UInt64, genTime: Timestamp) -> [UInt8]? {
        let serial = TimeStampAuthority.bigEndianBytes(serialNumber)
        guard let info = civic_ts_make_tst_info(policy, TimeStampAuthority.digest(suite), digest, Int32(digest.count),
                                                serial, Int32(serial.count), GeneralizedTime.text(genTime))
        else { return nil }
        defer { TS_TST_INFO_free(info) }
        var out: UnsafeMutablePointer<UInt8>? = nil
        let count = i2d_TS_TST_INFO(info, &out)
        guard count > 0, let out else { return nil }
        defer { civic_OPENSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(count)))
    }

    /// The first occurrence of `needle` in `haystack`.
    static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start..<(start + needle.count)
        }
        return nil
    }
}
