import Foundation
import Testing
@testable import CivicCrypto

/// Keys, signatures and PEM files exchanged with the `openssl` command (OpenSSL 3.0), in both directions.
///
/// OpenSSL 3.0's `openssl dgst -sm3` does not apply the GM/T 0009 default id on its own: without
/// `-sigopt distid:1234567812345678` it signs and verifies with a different Z value. Every SM2 command below
/// therefore passes that option, as operators must, and one test pins the difference down.
@Suite struct OpenSSLInteropTests {
    static let distid = ["-sigopt", "distid:1234567812345678"]

    /// Runs `body` in a fresh directory holding `msg` (the message) and returns nothing; the directory is removed.
    private func inDirectory(_ body: (URL, [UInt8]) throws -> Void) throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let message = Array("CivicLedger interop: certificate #20260001 issued by the city court".utf8)
        try Data(message).write(to: directory.appendingPathComponent("msg"))
        try body(directory, message)
    }

    private func read(_ name: String, in directory: URL) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    private func write(_ text: String, _ name: String, in directory: URL) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private func generateArguments(_ suite: CryptoSuite) -> [String] {
        suite == .sm ? ["genpkey", "-algorithm", "SM2"]
            : ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
    }

    private func digestArguments(_ suite: CryptoSuite) -> [String] {
        suite == .sm ? ["dgst", "-sm3"] + Self.distid : ["dgst", "-sha256"]
    }

    /// openssl makes the key; we load it, sign, and openssl verifies our signature.
    @Test(arguments: CryptoSuite.allCases)
    func opensslKeyOurSignatureOpensslVerifies(suite: CryptoSuite) throws {
        try inDirectory { directory, message in
            #expect(try TestSupport.openssl(generateArguments(suite) + ["-out", "key.pem"], in: directory).status == 0)
            let pubout = try TestSupport.openssl(
                ["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"], in: directory)
            #expect(pubout.status == 0)
            let key = try PrivateKey(pemRepresentation: try read("key.pem", in: directory))
            #expect(key.suite == suite)
            #expect(try PublicKey(pemRepresentation: try read("pub.pem", in: directory)) == key.publicKey)
            let signature = try key.signature(for: message)
            try Data(signature.derRepresentation).write(to: directory.appendingPathComponent("sig.der"))
            let run = try TestSupport.openssl(
                digestArguments(suite) + ["-verify", "pub.pem", "-signature", "sig.der", "msg"], in: directory)
            #expect(run.status == 0 && run.text.contains("Verified OK"), "\(run.text) \(run.error)")
            // And a signature of another message must fail there too.
            let other = try key.signature(for: message + [0])
            try Data(other.derRepresentation).write(to: directory.appendingPathComponent("other.der"))
            let refused = try TestSupport.openssl(
                digestArguments(suite) + ["-verify", "pub.pem", "-signature", "other.der", "msg"], in: directory)
            #expect(refused.status != 0)
        }
    }

    /// openssl signs; our code verifies the DER signature, and rejects it for another message.
    @Test(arguments: CryptoSuite.allCases)
    func opensslSignatureWeVerify(suite: CryptoSuite) throws {
        try inDirectory { directory, message in
            #expect(try TestSupport.openssl(generateArguments(suite) + ["-out", "key.pem"], in: directory).status == 0)
            let run = try TestSupport.openssl(
                digestArguments(suite) + ["-sign", "key.pem", "-out", "sig.der", "msg"], in: directory)
            #expect(run.status == 0, "\(run.error)")
            let der = Array(try Data(contentsOf: directory.appendingPathComponent("sig.der")))
            let signature = try Signature(derRepresentation: der)
            #expect(signature.derRepresentation == der)
            let key = try PrivateKey(pemRepresentation: try read("key.pem", in: directory))
            #expect(key.publicKey.isValidSignature(signature, for: message))
            #expect(!key.publicKey.isValidSignature(signature, for: Array(message.dropLast())))
        }
    }

    /// Our PEM files are read by `openssl pkey`, with the right curve, and the public key matches.
    @Test(arguments: CryptoSuite.allCases)
    func ourPEMIsReadByOpenssl(suite: CryptoSuite) throws {
        try inDirectory { directory, _ in
            let key = PrivateKey.generate(suite: suite)
            try write(key.pemRepresentation, "key.pem", in: directory)
            try write(key.publicKey.pemRepresentation, "pub.pem", in: directory)
            let curve = suite == .sm ? "SM2" : "prime256v1"
            let text = try TestSupport.openssl(["pkey", "-in", "key.pem", "-noout", "-text"], in: directory)
            #expect(text.status == 0, "\(text.error)")
            #expect(text.text.contains("ASN1 OID: \(curve)"), "\(text.text)")
            let pubText = try TestSupport.openssl(
                ["pkey", "-pubin", "-in", "pub.pem", "-noout", "-text"], in: directory)
            #expect(pubText.status == 0 && pubText.text.contains("ASN1 OID: \(curve)"), "\(pubText.error)")
            let derived = try TestSupport.openssl(["pkey", "-in", "key.pem", "-pubout"], in: directory)
            #expect(try PublicKey(pemRepresentation: derived.text) == key.publicKey)
        }
    }

    /// A key we wrote signs with openssl, and our public key verifies it (and the other way round).
    @Test(arguments: CryptoSuite.allCases)
    func ourKeyFileSignsInOpenssl(suite: CryptoSuite) throws {
        try inDirectory { directory, message in
            let key = PrivateKey.generate(suite: suite)
            try write(key.pemRepresentation, "key.pem", in: directory)
            let run = try TestSupport.openssl(
                digestArguments(suite) + ["-sign", "key.pem", "-out", "sig.der", "msg"], in: directory)
            #expect(run.status == 0, "\(run.error)")
            let der = Array(try Data(contentsOf: directory.appendingPathComponent("sig.der")))
            #expect(key.publicKey.isValidSignature(try Signature(derRepresentation: der), for: message))
        }
    }

    /// SEC1 files written by `openssl ec` (`BEGIN EC PRIVATE KEY`, or `BEGIN SM2 PRIVATE KEY` for SM2) load.
    @Test(arguments: CryptoSuite.allCases)
    func sec1PrivateKeysLoad(suite: CryptoSuite) throws {
        try inDirectory { directory, _ in
            #expect(try TestSupport.openssl(generateArguments(suite) + ["-out", "key.pem"], in: directory).status == 0)
            #expect(try TestSupport.openssl(["ec", "-in", "key.pem", "-out", "sec1.pem"], in: directory).status == 0)
            let sec1 = try read("sec1.pem", in: directory)
            // OpenSSL 3 labels the traditional (SEC1) form of an SM2 key "SM2 PRIVATE KEY".
            #expect(sec1.hasPrefix(suite == .sm ? "-----BEGIN SM2 PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----"))
            let fromSEC1 = try PrivateKey(pemRepresentation: sec1)
            let fromPKCS8 = try PrivateKey(pemRepresentation: try read("key.pem", in: directory))
            #expect(fromSEC1.suite == suite)
            #expect(fromSEC1.rawRepresentation == fromPKCS8.rawRepresentation)
        }
    }

    /// Pins OpenSSL 3.0's behaviour: `openssl dgst -sm3` without `-sigopt distid:...` uses another id, so its
    /// signatures do not verify under the GM/T 0009 default id (if this starts failing, OpenSSL changed its default).
    @Test func opensslDefaultDistidIsNotTheGMT0009Default() throws {
        try inDirectory { directory, message in
            #expect(try TestSupport.openssl(generateArguments(.sm) + ["-out", "key.pem"], in: directory).status == 0)
            let signed = try TestSupport.openssl(
                ["dgst", "-sm3", "-sign", "key.pem", "-out", "sig.der", "msg"], in: directory)
            #expect(signed.status == 0)
            let key = try PrivateKey(pemRepresentation: try read("key.pem", in: directory))
            let der = Array(try Data(contentsOf: directory.appendingPathComponent("sig.der")))
            #expect(!key.publicKey.isValidSignature(try Signature(derRepresentation: der), for: message))
        }
    }
}
