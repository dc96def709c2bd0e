import Crypto
import Foundation
import Testing
@testable import CivicCrypto

/// Envelope encryption to a public key: SM2-wrapped SM4 keys (`sm`) and P-256 ECIES (`intl`).
@Suite struct SuiteEnvelopeTests {
    /// SplitMix64: a seeded generator, so that every run checks the same cases (a failure prints its seed).
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func bytes(upTo count: Int) -> [UInt8] {
            (0..<Int.random(in: 0...count, using: &self)).map { _ in UInt8.random(in: 0...255, using: &self) }
        }
    }

    static let seeds: [UInt64] = [1, 0xC1C1_1ED6_E500_0001, 20_261_121]

    @Test(arguments: CryptoSuite.allCases, seeds)
    func openReturnsWhatWasSealed(suite: CryptoSuite, seed: UInt64) throws {
        var random = Seeded(state: seed)
        let recipient = PrivateKey.generate(suite: suite)
        for _ in 0..<20 {
            let plaintext = random.bytes(upTo: 600)
            let associatedData = random.bytes(upTo: 40)
            let envelope = SuiteEnvelope.seal(plaintext, to: recipient.publicKey, associatedData: associatedData)
            #expect(envelope[0] == SuiteEnvelope.formatVersion && envelope[1] == suite.rawValue, "seed \(seed)")
            #expect(try SuiteEnvelope.suite(of: envelope) == suite)
            #expect(try SuiteEnvelope.open(envelope, with: recipient, associatedData: associatedData) == plaintext,
                    "seed \(seed), \(plaintext.count) bytes")
            #expect(SuiteEnvelope.seal(plaintext, to: recipient.publicKey, associatedData: associatedData) != envelope)
        }
    }

    /// Any flipped bit is refused with the error its position calls for, never a crash.
    @Test(arguments: CryptoSuite.allCases)
    func everyFlippedBitIsRefused(suite: CryptoSuite) throws {
        let recipient = PrivateKey.generate(suite: suite)
        let envelope = SuiteEnvelope.seal(Array("grant 42: parcel map".utf8), to: recipient.publicKey,
                                          associatedData: [7])
        for bit in 0..<(envelope.count * 8) {
            let altered = TestSupport.flipping(envelope, bit: bit)
            do {
                _ = try SuiteEnvelope.open(altered, with: recipient, associatedData: [7])
                Issue.record("bit \(bit) was accepted")
            } catch {
                switch (bit / 8, error) {
                case (0, .malformedCiphertext), (1, .malformedCiphertext), (1, .wrongSuite): break
                case (2...3, .malformedCiphertext) where suite == .sm: break
                case (2..., .decryptionFailed): break
                default: Issue.record("bit \(bit): unexpected \(error)")
                }
            }
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func wrongKeyDataSuiteOrLengthIsRefused(suite: CryptoSuite) throws {
        let recipient = PrivateKey.generate(suite: suite)
        let envelope = SuiteEnvelope.seal([1, 2, 3], to: recipient.publicKey, associatedData: [9, 9])
        #expect(throws: CryptoError.decryptionFailed) {
            try SuiteEnvelope.open(envelope, with: .generate(suite: suite), associatedData: [9, 9])
        }
        #expect(throws: CryptoError.decryptionFailed) {
            try SuiteEnvelope.open(envelope, with: recipient, associatedData: [9])
        }
        let other: CryptoSuite = suite == .sm ? .intl : .sm
        #expect(throws: CryptoError.wrongSuite(expected: other, actual: suite)) {
            try SuiteEnvelope.open(envelope, with: .generate(suite: other), associatedData: [9, 9])
        }
        for length in 0..<envelope.count {
            do {
                _ = try SuiteEnvelope.open(Array(envelope.prefix(length)), with: recipient, associatedData: [9, 9])
                Issue.record("a \(length)-byte prefix was accepted")
            } catch {
                #expect(error == .decryptionFailed || error.code == "crypto.malformed_ciphertext", "\(length)")
            }
        }
        #expect(throws: CryptoError.decryptionFailed) {
            try SuiteEnvelope.open(envelope + [0], with: recipient, associatedData: [9, 9])
        }
        var future = envelope
        future[0] = 2
        #expect(throws: CryptoError.malformedCiphertext("envelope version 2 is not 1")) {
            try SuiteEnvelope.open(future, with: recipient, associatedData: [9, 9])
        }
    }

    /// The `intl` layout as documented: an independent ECDH + HKDF-SHA256 + AES-256-GCM opens it.
    @Test func intlLayoutIsTheDocumentedECIES() throws {
        let recipient = PrivateKey.generate(suite: .intl)
        let associatedData = Array("grant-7".utf8)
        let envelope = SuiteEnvelope.seal(Array("hello".utf8), to: recipient.publicKey, associatedData: associatedData)
        let ephemeral = Array(envelope[2..<67])
        let own = try P256.KeyAgreement.PrivateKey(rawRepresentation: recipient.rawRepresentation)
        let secret = try own.sharedSecretFromKeyAgreement(with: .init(x963Representation: ephemeral))
        let key = secret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Array("CivicLedger SuiteEnvelope v1".utf8),
            sharedInfo: Array("civicledger/envelope/v1/intl".utf8) + ephemeral + recipient.publicKey.rawRepresentation,
            outputByteCount: 32)
        let box = try AES.GCM.SealedBox(combined: envelope[67...])
        let opened = try AES.GCM.open(box, using: key, authenticating: Array(envelope[..<67]) + associatedData)
        #expect(Array(opened) == Array("hello".utf8))
    }

    /// `openssl pkeyutl -decrypt` unwraps the SM4 key we wrapped, with the PEM key the project writes.
    @Test func opensslDecryptsTheWrappedKey() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let recipient = PrivateKey.generate(suite: .sm)
        try recipient.pemRepresentation.write(to: directory.appendingPathComponent("key.pem"), atomically: true,
                                              encoding: .utf8)
        let plaintext = Array("catalog entry 17: land registry extract".utf8)
        let envelope = SuiteEnvelope.seal(plaintext, to: recipient.publicKey, associatedData: [1])
        let keyCount = Int(envelope[2]) << 8 | Int(envelope[3])
        try Data(envelope[4..<(4 + keyCount)]).write(to: directory.appendingPathComponent("wrapped.der"))
        let run = try TestSupport.openssl(["pkeyutl", "-decrypt", "-inkey", "key.pem", "-in", "wrapped.der"],
                                          in: directory)
        #expect(run.status == 0, "\(run.error)")
        let contentKey = try SuiteCipher.Key(suite: .sm, rawRepresentation: Array(run.output))
        let opened = try SuiteCipher.open(Array(envelope[(4 + keyCount)...]), key: contentKey,
                                          authenticating: Array(envelope[..<(4 + keyCount)]) + [1])
        #expect(opened == plaintext)
        let parsed = try TestSupport.openssl(["asn1parse", "-inform", "DER", "-in", "wrapped.der"], in: directory)
        #expect(parsed.text.components(separatedBy: "INTEGER").count == 3, "C1 x and y")
        #expect(parsed.text.components(separatedBy: "OCTET STRING").count == 3, "C3 and C2")
    }

    /// We decrypt what `openssl pkeyutl -encrypt` wrote for the public key PEM we wrote.
    @Test func weDecryptWhatOpensslEncrypted() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let recipient = PrivateKey.generate(suite: .sm)
        try recipient.publicKey.pemRepresentation.write(to: directory.appendingPathComponent("public.pem"),
                                                        atomically: true, encoding: .utf8)
        let contentKey = SuiteCipher.Key.generate(suite: .sm)
        try Data(contentKey.rawRepresentation).write(to: directory.appendingPathComponent("key.bin"))
        let run = try TestSupport.openssl(
            ["pkeyutl", "-encrypt", "-pubin", "-inkey", "public.pem", "-in", "key.bin", "-out", "wrapped.der"],
            in: directory)
        #expect(run.status == 0, "\(run.error)")
        let wrapped = Array(try Data(contentsOf: directory.appendingPathComponent("wrapped.der")))
        guard case .sm2(let privateEVP) = recipient.handle else { throw CryptoError.invalidKey("not SM2") }
        #expect(try SM2Encryption.decrypt(wrapped, with: privateEVP) == contentKey.rawRepresentation)

        // The same wrapped key, framed as an envelope around data sealed under it, opens through the public API.
        let header = [SuiteEnvelope.formatVersion, CryptoSuite.sm.rawValue, UInt8(wrapped.count >> 8),
                      UInt8(wrapped.count & 0xFF)] + wrapped
        let plaintext = Array("from another tool".utf8)
        let envelope = header + (try SuiteCipher.seal(plaintext: plaintext, key: contentKey,
                                                      authenticating: header + [5]))
        #expect(try SuiteEnvelope.open(envelope, with: recipient, associatedData: [5]) == plaintext)
    }
}
