import Testing
@testable import CivicCrypto

/// GB/T 32907-2016 Appendix A examples.
@Suite struct SM4Tests {
    struct Vector: Decodable {
        var name: String
        var keyHex: String
        var plaintextHex: String
        var rounds: Int
        var ciphertextHex: String
    }

    /// Both official examples, including the 1,000,000-round one (about 1 s in a debug build here).
    @Test func officialExamples() throws {
        let vectors = try TestSupport.vectors("gbt32907-sm4", as: [Vector].self)
        #expect(vectors.count == 2)
        for vector in vectors {
            let out = try SM4.encryptBlock(
                TestSupport.bytes(hex: vector.plaintextHex), key: TestSupport.bytes(hex: vector.keyHex),
                rounds: vector.rounds)
            #expect(TestSupport.hex(out) == vector.ciphertextHex, "\(vector.name)")
        }
    }

    @Test func builtInConstantsMatchTheVectors() throws {
        #expect(try SM4.encryptBlock(SM4.exampleKey, key: SM4.exampleKey) == SM4.exampleCiphertext)
        #expect(TestSupport.hex(SM4.exampleMillionRoundCiphertext) == "595298c7c6fd271f0402f804c33d3f66")
    }

    @Test func millionRoundCheckPasses() {
        #expect(SM4.millionRoundCheck())
    }
}
