import Foundation
import Testing
@testable import CivicCrypto

/// SM3 (GB/T 32905) and SHA-256 through `CryptoSuite.hash` and `SuiteHasher`.
@Suite struct SuiteHasherTests {
    struct Vector: Decodable {
        var name: String
        var messageHex: String
        var digestHex: String
    }

    @Test func sm3OfficialExamples() throws {
        let vectors = try TestSupport.vectors("gbt32905-sm3", as: [Vector].self)
        #expect(vectors.count == 2)
        for vector in vectors {
            let digest = CryptoSuite.sm.hash(TestSupport.bytes(hex: vector.messageHex))
            #expect(digest.hex == vector.digestHex, "\(vector.name)")
        }
    }

    @Test func sha256KnownAnswer() {
        // FIPS 180-2 Appendix B.1.
        #expect(CryptoSuite.intl.hash(Array("abc".utf8)).hex
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(arguments: CryptoSuite.allCases)
    func incrementalEqualsOneShot(suite: CryptoSuite) {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [0, 1, 55, 56, 63, 64, 65, 127, 128, 500, 999, 1000] {
            var hasher = SuiteHasher(suite: suite)
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == suite.hash(message), "split at \(split)")
        }
        var bytewise = SuiteHasher(suite: suite)
        for byte in message { bytewise.update(byte: byte) }
        #expect(bytewise.finalize() == suite.hash(message))
    }

    @Test(arguments: CryptoSuite.allCases)
    func merkleShapedInputs(suite: CryptoSuite) {
        let left = suite.hash(Array("left".utf8))
        let right = suite.hash(Array("right".utf8))
        var node = SuiteHasher(suite: suite)
        node.update(byte: 0x01)
        node.update(left)
        node.update(right)
        #expect(node.finalize() == suite.hash([0x01] + left.bytes + right.bytes))
        #expect(suite.hash(parts: [[0x00], left.bytes]) == suite.hash([0x00] + left.bytes))
        #expect(suite.hash(left) == suite.hash(left.bytes))
    }

    /// Our SM3 and SHA-256 agree with `openssl dgst` on every length from 0 to 200 bytes and on a 1 MiB file.
    @Test(arguments: CryptoSuite.allCases)
    func agreesWithOpenSSLCommand(suite: CryptoSuite) throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        var expected: [String: String] = [:]
        for length in Array(0...200) + [1 << 20] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ length) }
            let name = "m\(length).bin"
            try Data(bytes).write(to: directory.appendingPathComponent(name))
            files.append(name)
            expected[name] = suite.hash(bytes).hex
        }
        let digest = suite == .sm ? "-sm3" : "-sha256"
        let run = try TestSupport.openssl(["dgst", digest, "-r"] + files, in: directory)
        #expect(run.status == 0, "\(run.error)")
        let lines = run.text.split(separator: "\n")
        #expect(lines.count == files.count)
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: 1)
            let name = String(parts[1].drop(while: { $0 == "*" }))
            #expect(expected[name] == String(parts[0]), "\(name)")
        }
    }
}
