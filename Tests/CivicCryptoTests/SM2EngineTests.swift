import Testing
@testable import CivicCrypto

/// SM2-with-SM3 against the published GM/T 0003.5-2012 (GB/T 32918.5-2017) example on sm2p256v1.
@Suite struct SM2EngineTests {
    struct Vector: Decodable {
        var source: String
        var userIdHex: String
        var messageHex: String
        var privateKeyHex: String
        var publicKeyHex: String
        var rHex: String
        var sHex: String
    }

    let vector: Vector
    let message: [UInt8]
    let publicKey: PublicKey
    let signature: Signature

    init() throws {
        vector = try TestSupport.vectors("gmt0003.5-sm2-signature", as: Vector.self)
        message = TestSupport.bytes(hex: vector.messageHex)
        publicKey = try PublicKey(suite: .sm, rawRepresentation: TestSupport.bytes(hex: vector.publicKeyHex))
        signature = try Signature(rawRepresentation: TestSupport.bytes(hex: vector.rHex + vector.sHex))
    }

    @Test func vectorUsesTheDefaultUserID() {
        #expect(TestSupport.bytes(hex: vector.userIdHex) == SM2Engine.defaultUserID)
        #expect(String(decoding: message, as: UTF8.self) == "message digest")
    }

    @Test func publishedSignatureVerifies() {
        #expect(publicKey.isValidSignature(signature, for: message))
    }

    @Test func publishedPublicKeyIsDTimesG() throws {
        let privateKey = try PrivateKey(suite: .sm, rawRepresentation: TestSupport.bytes(hex: vector.privateKeyHex))
        #expect(privateKey.publicKey == publicKey)
        let mine = try privateKey.signature(for: message)
        #expect(publicKey.isValidSignature(mine, for: message))
        #expect(mine != signature, "SM2 signing is randomised; an equal signature means k was reused")
    }

    @Test func publishedSignatureRejectsEveryFlippedMessageBit() {
        for bit in 0..<(message.count * 8) {
            #expect(!publicKey.isValidSignature(signature, for: TestSupport.flipping(message, bit: bit)), "bit \(bit)")
        }
    }

    @Test func publishedSignatureRejectsFlippedSignatureBits() throws {
        for bit in stride(from: 0, to: 512, by: 7) {
            let flipped = try Signature(rawRepresentation: TestSupport.flipping(signature.rawRepresentation, bit: bit))
            #expect(!publicKey.isValidSignature(flipped, for: message), "bit \(bit)")
        }
    }

    @Test func publishedSignatureRejectsOtherKeys() throws {
        // A flipped bit in the key mostly gives a point off the curve, which is refused outright;
        // any point that survives must not verify.
        var refused = 0
        for bit in stride(from: 8, to: 520, by: 5) {
            let raw = TestSupport.flipping(publicKey.rawRepresentation, bit: bit)
            if let other = try? PublicKey(suite: .sm, rawRepresentation: raw) {
                #expect(!other.isValidSignature(signature, for: message), "bit \(bit)")
            } else {
                refused += 1
            }
        }
        #expect(refused > 90)
        #expect(!PrivateKey.generate(suite: .sm).publicKey.isValidSignature(signature, for: message))
    }

    @Test func zeroAndOutOfRangeSignatureValuesAreRejected() throws {
        let n = TestSupport.bytes(hex: "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123")
        let r = Array(signature.rawRepresentation[..<32])
        let s = Array(signature.rawRepresentation[32...])
        let zero = [UInt8](repeating: 0, count: 32)
        for raw in [zero + s, r + zero, n + s, r + n, zero + zero] {
            #expect(!publicKey.isValidSignature(try Signature(rawRepresentation: raw), for: message))
        }
    }

    @Test func scalarRangeFollowsGBT32918() {
        let nMinusTwo = TestSupport.bytes(hex: "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54121")
        let nMinusOne = TestSupport.bytes(hex: "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122")
        let one = [UInt8](repeating: 0, count: 31) + [1]
        #expect((try? PrivateKey(suite: .sm, rawRepresentation: one)) != nil)
        #expect((try? PrivateKey(suite: .sm, rawRepresentation: nMinusTwo)) != nil)
        #expect(throws: CryptoError.self) { try PrivateKey(suite: .sm, rawRepresentation: nMinusOne) }
        let zero = [UInt8](repeating: 0, count: 32)
        let allOnes = [UInt8](repeating: 0xFF, count: 32)
        #expect(throws: CryptoError.self) { try PrivateKey(suite: .sm, rawRepresentation: zero) }
        #expect(throws: CryptoError.self) { try PrivateKey(suite: .sm, rawRepresentation: allOnes) }
        #expect(throws: CryptoError.self) { try PrivateKey(suite: .sm, rawRepresentation: one.dropLast() + []) }
    }

    @Test func generatedScalarsAreInRangeAndDistinct() {
        let scalars = (0..<20).map { _ in SM2Engine.generatePrivateScalar() }
        #expect(scalars.allSatisfy(SM2Engine.isValidScalar))
        #expect(Set(scalars).count == scalars.count)
    }
}
