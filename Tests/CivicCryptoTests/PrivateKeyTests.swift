import Foundation
import Testing
@testable import CivicCrypto

@Suite struct PrivateKeyTests {
    @Test(arguments: CryptoSuite.allCases)
    func signVerifyRoundTrip(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite)
        for length in [0, 1, 32, 65, 1000] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 13) }
            let signature = try key.signature(for: message)
            #expect(key.publicKey.isValidSignature(signature, for: message), "length \(length)")
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func flippedBitsAreRejected(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite)
        let message = Array("transfer 100 to account 42".utf8)
        let signature = try key.signature(for: message)
        for bit in 0..<(message.count * 8) where bit % 3 == 0 {
            #expect(!key.publicKey.isValidSignature(signature, for: TestSupport.flipping(message, bit: bit)))
        }
        for bit in stride(from: 0, to: 512, by: 11) {
            let flipped = try Signature(rawRepresentation: TestSupport.flipping(signature.rawRepresentation, bit: bit))
            #expect(!key.publicKey.isValidSignature(flipped, for: message), "signature bit \(bit)")
        }
        #expect(!PrivateKey.generate(suite: suite).publicKey.isValidSignature(signature, for: message))
    }

    @Test func suitesDoNotCrossVerify() throws {
        // Same scalar, both suites: an SM2 signature is not an ECDSA signature and vice versa.
        let scalar = [UInt8](repeating: 0, count: 31) + [7]
        let sm = try PrivateKey(suite: .sm, rawRepresentation: scalar)
        let intl = try PrivateKey(suite: .intl, rawRepresentation: scalar)
        let message = Array("cross".utf8)
        #expect(sm.publicKey != intl.publicKey)
        #expect(!sm.publicKey.isValidSignature(try intl.signature(for: message), for: message))
        #expect(!intl.publicKey.isValidSignature(try sm.signature(for: message), for: message))
    }

    @Test(arguments: CryptoSuite.allCases)
    func derivedKeyIsDeterministic(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite)
        let again = try PrivateKey(suite: suite, rawRepresentation: key.rawRepresentation)
        #expect(again.publicKey == key.publicKey)
        #expect(key.rawRepresentation.count == 32)
    }

    @Test func p256RejectsBadScalars() {
        let order = TestSupport.bytes(hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        #expect(throws: CryptoError.self) { try PrivateKey(suite: .intl, rawRepresentation: order) }
        let zero = [UInt8](repeating: 0, count: 32)
        #expect(throws: CryptoError.self) { try PrivateKey(suite: .intl, rawRepresentation: zero) }
        #expect(throws: CryptoError.self) { try PrivateKey(suite: .intl, rawRepresentation: [1, 2, 3]) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func pemRoundTripDetectsSuite(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite)
        let pem = key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let read = try PrivateKey(pemRepresentation: pem)
        #expect(read.suite == suite)
        #expect(read.rawRepresentation == key.rawRepresentation)
        #expect(read.publicKey == key.publicKey)
        let other: CryptoSuite = suite == .sm ? .intl : .sm
        #expect(throws: CryptoError.wrongSuite(expected: other, actual: suite)) {
            try PrivateKey(pemRepresentation: pem, suite: other)
        }
    }

    @Test func pemOfOtherKindsIsRejected() {
        let publicPEM = PrivateKey.generate(suite: .sm).publicKey.pemRepresentation
        #expect(throws: CryptoError.self) { try PrivateKey(pemRepresentation: publicPEM) }
        #expect(throws: CryptoError.self) { try PrivateKey(pemRepresentation: "") }
        let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"
        #expect(throws: CryptoError.self) { try PrivateKey(pemRepresentation: encrypted) }
    }

    /// A PEM file whose embedded public key belongs to another key is refused.
    @Test(arguments: CryptoSuite.allCases)
    func pemWithForeignPublicKeyIsRejected(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite)
        let other = PrivateKey.generate(suite: suite).publicKey.rawRepresentation
        let body = key.pemRepresentation.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        var der = Array(try #require(Data(base64Encoded: body)))
        let point = key.publicKey.rawRepresentation
        let start = try #require((0...(der.count - point.count)).first { Array(der[$0..<$0 + point.count]) == point })
        der.replaceSubrange(start..<start + point.count, with: other)
        let forged = "-----BEGIN PRIVATE KEY-----\n" + Data(der).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END PRIVATE KEY-----\n"
        let mismatch = CryptoError.invalidKey("the public key in the PEM file does not belong to its private key")
        #expect(throws: mismatch) { try PrivateKey(pemRepresentation: forged) }
    }

    /// One key (and its cached library handle) signs and verifies from many threads at once.
    @Test(arguments: CryptoSuite.allCases)
    func sharedKeyWorksConcurrently(suite: CryptoSuite) async throws {
        let key = PrivateKey.generate(suite: suite)
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let message = Array("task \(task)".utf8)
                    for _ in 0..<10 {
                        guard let signature = try? key.signature(for: message),
                              key.publicKey.isValidSignature(signature, for: message),
                              !key.publicKey.isValidSignature(signature, for: message + [1])
                        else { return false }
                    }
                    return true
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 })
    }
}
