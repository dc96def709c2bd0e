import Testing
@testable import CivicCrypto

/// SM4-CBC + HMAC-SM3 (`sm`) and AES-256-GCM (`intl`).
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
        let key = try SuiteCipher.Key(suite: suite, rawRepresentation: [UInt8](repeating: 9, count: 32))
        let nonce = [UInt8](repeating: 3, count: SuiteCipher.nonceByteCount(suite))
        let first = try SuiteCipher.seal(plaintext: [42], key: key, nonce: nonce)
        #expect(try SuiteCipher.seal(plaintext: [42], key: key, nonce: nonce) == first)
        #expect(Array(first.prefix(nonce.count)) == nonce)
        #expect(try SuiteCipher.seal(plaintext: [42], key: key) != first)
        #expect(throws: CryptoError.self) { try SuiteCipher.seal(plaintext: [42], key: key, nonce: [1, 2]) }
        #expect(throws: CryptoError.self) { try SuiteCipher.Key(suite: suite, rawRepresentation: [1]) }
    }
}
