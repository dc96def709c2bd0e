import Testing
@testable import CivicCrypto

/// SM4-GCM (`sm`) and AES-256-GCM (`intl`) through the suite-level API.
@Suite struct SuiteCipherTests {
    @Test(arguments: CryptoSuite.allCases)
    func roundTrip(suite: CryptoSuite) throws {
        let key = SuiteCipher.Key.generate(suite: suite)
        for length in [0, 1, 15, 16, 17, 1000] {
            let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let aad = Array("catalog-entry-17".utf8)
            let sealed = try SuiteCipher.seal(plaintext: plaintext, key: key, authenticating: aad)
            let overhead = SuiteCipher.nonceByteCount(suite) + SuiteCipher.tagByteCount(suite)
            #expect(sealed.count >= plaintext.count + overhead)
            #expect(try SuiteCipher.open(sealed, key: key, authenticating: aad) == plaintext, "length \(length)")
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func everyFlippedBitIsRejected(suite: CryptoSuite) throws {
        let key = SuiteCipher.Key.generate(suite: suite)
        let sealed = try SuiteCipher.seal(plaintext: Array("secret grant".utf8), key: key, authenticating: [1, 2, 3])
        for bit in 0..<(sealed.count * 8) {
            #expect(throws: CryptoError.decryptionFailed) {
                try SuiteCipher.open(TestSupport.flipping(sealed, bit: bit), key: key, authenticating: [1, 2, 3])
            }
        }
        #expect(throws: CryptoError.decryptionFailed) {
            try SuiteCipher.open(sealed, key: key, authenticating: [1, 2, 4])
        }
        #expect(throws: CryptoError.decryptionFailed) { try SuiteCipher.open(sealed, key: key) }
        #expect(throws: CryptoError.decryptionFailed) {
            try SuiteCipher.open(Array(sealed.dropLast()), key: key, authenticating: [1, 2, 3])
        }
        #expect(throws: CryptoError.decryptionFailed) { try SuiteCipher.open([], key: key) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func wrongKeyIsRejected(suite: CryptoSuite) throws {
        let sealed = try SuiteCipher.seal(plaintext: [1, 2, 3], key: .generate(suite: suite))
        #expect(throws: CryptoError.decryptionFailed) { try SuiteCipher.open(sealed, key: .generate(suite: suite)) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func explicitNonceIsDeterministicAndChecked(suite: CryptoSuite) throws {
        let key = try SuiteCipher.Key(
            suite: suite, rawRepresentation: [UInt8](repeating: 9, count: SuiteCipher.keyByteCount(suite)))
        let nonce = [UInt8](repeating: 3, count: SuiteCipher.nonceByteCount(suite))
        let first = try SuiteCipher.seal(plaintext: [42], key: key, nonce: nonce)
        #expect(try SuiteCipher.seal(plaintext: [42], key: key, nonce: nonce) == first)
        #expect(Array(first.prefix(nonce.count)) == nonce)
        #expect(try SuiteCipher.seal(plaintext: [42], key: key) != first)
        #expect(throws: CryptoError.self) { try SuiteCipher.seal(plaintext: [42], key: key, nonce: [1, 2]) }
        #expect(throws: CryptoError.self) { try SuiteCipher.Key(suite: suite, rawRepresentation: [1]) }
        let otherLength = suite == .sm ? 32 : 16
        #expect(throws: CryptoError.self) {
            try SuiteCipher.Key(suite: suite, rawRepresentation: [UInt8](repeating: 1, count: otherLength))
        }
    }

    /// The `sm` suite's sealed form is plain SM4-GCM: RFC 8998's example opens through the suite API.
    @Test func smSealedFormIsNonceCiphertextTag() throws {
        let raw = TestSupport.bytes(hex: "0123456789abcdeffedcba9876543210")
        let key = try SuiteCipher.Key(suite: .sm, rawRepresentation: raw)
        let nonce = TestSupport.bytes(hex: "00001234567800000000abcd")
        let aad = TestSupport.bytes(hex: "feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let plaintext = TestSupport.bytes(hex: String(repeating: "aa", count: 8) + String(repeating: "bb", count: 8))
        let sealed = try SuiteCipher.seal(plaintext: plaintext, key: key, nonce: nonce, authenticating: aad)
        #expect(Array(sealed.prefix(12)) == nonce)
        #expect(TestSupport.hex(Array(sealed[12..<28])) == "17f399f08c67d5ee19d0dc9969c4bb7d")
        #expect(try SuiteCipher.open(sealed, key: key, authenticating: aad) == plaintext)
    }
}
