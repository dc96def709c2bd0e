import Testing
@testable import CivicCrypto

/// SM4-GCM against RFC 8998 Appendix A.1 and vectors from an independent implementation.
@Suite struct SM4GCMTests {
    struct Vector: Decodable {
        var name: String
        var keyHex: String
        var nonceHex: String
        var aadHex: String
        var plaintextHex: String
        var ciphertextHex: String
        var tagHex: String
    }

    static let vectors: [Vector] = (try? TestSupport.vectors("sm4-gcm", as: [Vector].self)) ?? []

    @Test func vectorsArePresent() {
        #expect(Self.vectors.count == 10)
        #expect(Self.vectors.first?.name.hasPrefix("RFC 8998") == true)
    }

    @Test(arguments: vectors.map(\.name))
    func sealsAndOpens(name: String) throws {
        let vector = try #require(Self.vectors.first { $0.name == name })
        let key = TestSupport.bytes(hex: vector.keyHex)
        let nonce = TestSupport.bytes(hex: vector.nonceHex)
        let aad = TestSupport.bytes(hex: vector.aadHex)
        let plaintext = TestSupport.bytes(hex: vector.plaintextHex)
        let sealed = try SM4GCM.seal(plaintext, key: key, nonce: nonce, aad: aad)
        #expect(TestSupport.hex(sealed) == vector.ciphertextHex + vector.tagHex)
        #expect(try SM4GCM.open(sealed[...], key: key, nonce: nonce, aad: aad) == plaintext)
        var tampered = sealed
        tampered[tampered.count - 1] ^= 0x80
        #expect(throws: CryptoError.decryptionFailed) {
            try SM4GCM.open(tampered[...], key: key, nonce: nonce, aad: aad)
        }
        #expect(throws: CryptoError.decryptionFailed) {
            try SM4GCM.open(sealed[...], key: key, nonce: nonce, aad: aad + [0])
        }
    }
}

/// The table-driven GHASH multiplication equals the bit-by-bit definition.
@Suite struct GHashTests {
    @Test func tableMultiplicationMatchesDefinition() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let key = SM4GCM.Block(high: generator.next(), low: generator.next())
            let x = SM4GCM.Block(high: generator.next(), low: generator.next())
            var ghash = SM4GCM.GHash(key: key)
            ghash.mix(x)
            let expected = x.times(key)
            #expect(ghash.state.high == expected.high && ghash.state.low == expected.low)
        }
        var one = SM4GCM.GHash(key: SM4GCM.Block(high: 1 << 63, low: 0))  // the field's 1 in GCM bit order
        let x = SM4GCM.Block(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210)
        one.mix(x)
        #expect(one.state.high == x.high && one.state.low == x.low)
    }
}
