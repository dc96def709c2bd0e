import Testing
@testable import CivicCrypto

@Suite struct PublicKeyTests {
    struct Wycheproof: Decodable {
        struct Group: Decodable {
            var publicKeyHex: String
            var tests: [Case]
        }
        struct Case: Decodable {
            var tcId: Int
            var comment: String
            var msgHex: String
            var sigHex: String
            var result: String
        }
        var source: String
        var groups: [Group]
    }

    /// Project Wycheproof ECDSA P-256/SHA-256 P1363 cases: valid ones verify, invalid ones are rejected
    /// (either as malformed 64-byte signatures or by verification).
    @Test func wycheproofP256() throws {
        let file = try TestSupport.vectors("wycheproof-ecdsa-secp256r1-sha256-p1363", as: Wycheproof.self)
        var valid = 0
        var invalid = 0
        for group in file.groups {
            let key = try PublicKey(suite: .intl, rawRepresentation: TestSupport.bytes(hex: group.publicKeyHex))
            for test in group.tests {
                let message = TestSupport.bytes(hex: test.msgHex)
                let accepted: Bool
                if let signature = try? Signature(rawRepresentation: TestSupport.bytes(hex: test.sigHex)) {
                    accepted = key.isValidSignature(signature, for: message)
                } else {
                    accepted = false
                }
                #expect(accepted == (test.result == "valid"), "tcId \(test.tcId): \(test.comment)")
                if test.result == "valid" { valid += 1 } else { invalid += 1 }
            }
        }
        #expect(valid >= 10 && invalid >= 15)
    }

    @Test(arguments: CryptoSuite.allCases)
    func rejectsMalformedPoints(suite: CryptoSuite) {
        let good = PrivateKey.generate(suite: suite).publicKey.rawRepresentation
        #expect(throws: CryptoError.self) { try PublicKey(suite: suite, rawRepresentation: Array(good.dropLast())) }
        #expect(throws: CryptoError.self) { try PublicKey(suite: suite, rawRepresentation: [0x02] + good.dropFirst()) }
        var offCurve = good
        offCurve[64] ^= 1
        #expect(throws: CryptoError.self) { try PublicKey(suite: suite, rawRepresentation: offCurve) }
        let origin = [0x04] + [UInt8](repeating: 0, count: 64)
        #expect(throws: CryptoError.self) { try PublicKey(suite: suite, rawRepresentation: origin) }
        let tooBig = [0x04] + [UInt8](repeating: 0xFF, count: 64)
        #expect(throws: CryptoError.self) { try PublicKey(suite: suite, rawRepresentation: tooBig) }
    }

    @Test func pointOfOneSuiteIsNotAPointOfTheOther() {
        // Valid points of one curve are (with overwhelming probability) off the other curve.
        let sm = PrivateKey.generate(suite: .sm).publicKey.rawRepresentation
        let intl = PrivateKey.generate(suite: .intl).publicKey.rawRepresentation
        #expect(throws: CryptoError.self) { try PublicKey(suite: .intl, rawRepresentation: sm) }
        #expect(throws: CryptoError.self) { try PublicKey(suite: .sm, rawRepresentation: intl) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func equalityAndHashingUseSuiteAndPoint(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite).publicKey
        let copy = try PublicKey(suite: suite, rawRepresentation: key.rawRepresentation)
        #expect(key == copy)
        #expect(Set([key, copy]).count == 1)
        #expect(key != PrivateKey.generate(suite: suite).publicKey)
    }

    @Test(arguments: CryptoSuite.allCases)
    func pemRoundTrip(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite).publicKey
        let pem = key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try PublicKey(pemRepresentation: pem) == key)
        #expect(try PublicKey(pemRepresentation: pem, suite: suite) == key)
        let other: CryptoSuite = suite == .sm ? .intl : .sm
        #expect(throws: CryptoError.wrongSuite(expected: other, actual: suite)) {
            try PublicKey(pemRepresentation: pem, suite: other)
        }
    }

    @Test func pemGarbageIsRejected() {
        #expect(throws: CryptoError.self) { try PublicKey(pemRepresentation: "not a key") }
        #expect(throws: CryptoError.self) {
            try PublicKey(pemRepresentation: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
        }
    }
}
