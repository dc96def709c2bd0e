import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
import Testing

/// Runs the console's JavaScript (Sources/CivicAPI/Resources/console/js) under Node.js through the test driver
/// `ConsoleJS/driver.mjs`: one JSON request on standard input, one JSON answer on standard output.
enum ConsoleJS {
    /// The repository's root, from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The console's `js` directory.
    static let scripts = repository.appendingPathComponent("Sources/CivicAPI/Resources/console/js").path
    /// The driver.
    static let driver = repository.appendingPathComponent("Tests/CivicCLITests/ConsoleJS/driver.mjs").path
    /// Node.js: `NODE`, or `/usr/bin/node`.
    static var node: String { ProcessInfo.processInfo.environment["NODE"] ?? "/usr/bin/node" }

    /// What went wrong running the driver.
    enum Failure: Error, CustomStringConvertible {
        /// Node exited with a status other than 0.
        case exited(status: Int32, output: String)
        /// The answer was not a JSON object.
        case notJSON(String)

        /// The failure in words.
        var description: String {
            switch self {
            case .exited(let status, let output): "node exited with status \(status): \(output)"
            case .notJSON(let output): "the driver's answer is not a JSON object: \(output)"
            }
        }
    }

    /// Sends `request` to the driver and returns its answer.
    /// - Throws: ``Failure`` when node fails or answers something other than a JSON object.
    static func run(_ request: [String: Any]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [driver, scripts]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw Failure.exited(status: process.terminationStatus, output: text + diagnostics) }
        guard let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw Failure.notJSON(text) }
        return answer
    }

    /// Runs each request in one node process and returns the answers in order.
    static func batch(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        let answer = try run(["op": "batch", "requests": requests])
        return answer["answers"] as? [[String: Any]] ?? []
    }

    /// The string under `key` of `answer`, recording an issue with the driver's error when it is missing.
    static func string(_ answer: [String: Any], _ key: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard let value = answer[key] as? String else {
            Issue.record("no '\(key)' in \(answer)", sourceLocation: sourceLocation)
            return ""
        }
        return value
    }
}

/// The console's cryptography in JavaScript agrees with CivicCrypto: hashes, key files, signatures both ways.
@Suite("ConsoleCrypto: the console's JavaScript cryptography", .serialized)
struct ConsoleCryptoTests {
    /// The UTF-8 bytes of `text`.
    private func message(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("SM3 (GB/T 32905 examples), SHA-256, and both against CivicCrypto at padding edges")
    func digests() throws {
        let abc = Hex.encode(Array("abc".utf8))
        let abcd = Hex.encode(Array(String(repeating: "abcd", count: 16).utf8))
        let lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]
        let inputs = lengths.map { length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }
        var requests: [[String: Any]] = [
            ["op": "digest", "suite": "sm", "message": abc],
            ["op": "digest", "suite": "sm", "message": abcd],
            ["op": "digest", "suite": "intl", "message": abc],
        ]
        for suite in CryptoSuite.allCases {
            for input in inputs { requests.append(["op": "digest", "suite": suite.name, "message": Hex.encode(input)]) }
        }
        let answers = try ConsoleJS.batch(requests)
        try #require(answers.count == requests.count)
        #expect(ConsoleJS.string(answers[0], "digest") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        #expect(ConsoleJS.string(answers[1], "digest") == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
        #expect(ConsoleJS.string(answers[2], "digest") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var index = 3
        for suite in CryptoSuite.allCases {
            for input in inputs {
                #expect(ConsoleJS.string(answers[index], "digest") == suite.hash(input).hex, "\(suite) of \(input.count) bytes")
                index += 1
            }
        }
    }

    @Test("a key written by `civic keygen` imports in JavaScript with the same public key", arguments: CryptoSuite.allCases)
    func keygenKeyImports(suite: CryptoSuite) throws {
        let directory = try CivicProcess.temporaryDirectory("console-keygen")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CivicProcess.civic(["keygen", "--suite", suite.name, "--out", "key.pem"], in: directory)
        let pem = try String(contentsOfFile: directory + "/key.pem", encoding: .utf8)
        let key = try PrivateKey(pemRepresentation: pem)
        let answer = try ConsoleJS.run(["op": "import", "pem": pem])
        #expect(ConsoleJS.string(answer, "suite") == suite.name)
        #expect(ConsoleJS.string(answer, "publicKey") == Hex.encode(key.publicKey.rawRepresentation))
        let encoded = try ConsoleJS.run(["op": "encodePublicKey", "suite": suite.name,
                                         "publicKey": Hex.encode(key.publicKey.rawRepresentation)])
        #expect(ConsoleJS.string(encoded, "encoded") == Hex.encode(key.publicKey.canonicalBytes))
    }

    @Test("a JavaScript signature verifies in Swift; altered, or under another key, it does not", arguments: CryptoSuite.allCases)
    func javaScriptSignaturesVerifyInSwift(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite)
        let other = PrivateKey.generate(suite: suite)
        let signed = message("CivicLedger/tx/v1 console signing test \(suite)")
        let answers = try ConsoleJS.batch((0..<8).map { _ in
            ["op": "sign", "pem": key.pemRepresentation, "message": Hex.encode(signed)]
        })
        try #require(answers.count == 8)
        for answer in answers {
            let raw = try #require(Hex.decode(ConsoleJS.string(answer, "signature")))
            let signature = try Signature(rawRepresentation: raw)
            #expect(key.publicKey.isValidSignature(signature, for: signed))
            #expect(!other.publicKey.isValidSignature(signature, for: signed))
            #expect(!key.publicKey.isValidSignature(signature, for: signed + [0]))
            for bit in [0, 255, 256, 511] {
                var flipped = raw
                flipped[bit / 8] ^= UInt8(1 << (bit % 8))
                #expect(!key.publicKey.isValidSignature(try Signature(rawRepresentation: flipped), for: signed))
            }
        }
        #expect(Set(answers.map { ConsoleJS.string($0, "signature") }).count == 8, "signatures use fresh randomness")
    }

    @Test("a Swift signature verifies in JavaScript; altered, or under another key, it does not", arguments: CryptoSuite.allCases)
    func swiftSignaturesVerifyInJavaScript(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite)
        let other = PrivateKey.generate(suite: suite)
        let signed = message("a vote, a transaction, anything \(suite)")
        let signature = try key.signature(for: signed).rawRepresentation
        func request(_ publicKey: PublicKey, _ message: [UInt8], _ signature: [UInt8]) -> [String: Any] {
            ["op": "verify", "suite": suite.name, "publicKey": Hex.encode(publicKey.rawRepresentation),
             "message": Hex.encode(message), "signature": Hex.encode(signature)]
        }
        var flippedSignature = signature
        flippedSignature[40] ^= 0x10
        var flippedMessage = signed
        flippedMessage[3] ^= 0x01
        var offCurve = key.publicKey.rawRepresentation
        offCurve[64] ^= 0x01
        let cases: [(String, [String: Any], Bool)] = [
            ("genuine", request(key.publicKey, signed, signature), true),
            ("flipped signature bit", request(key.publicKey, signed, flippedSignature), false),
            ("flipped message bit", request(key.publicKey, flippedMessage, signature), false),
            ("another key", request(other.publicKey, signed, signature), false),
            ("short signature", request(key.publicKey, signed, Array(signature.prefix(63))), false),
            ("zero signature", request(key.publicKey, signed, [UInt8](repeating: 0, count: 64)), false),
            ("key off the curve", ["op": "verify", "suite": suite.name, "publicKey": Hex.encode(offCurve),
                                   "message": Hex.encode(signed), "signature": Hex.encode(signature)], false),
        ]
        let answers = try ConsoleJS.batch(cases.map(\.1))
        try #require(answers.count == cases.count)
        for (answer, (name, _, expected)) in zip(answers, cases) {
            #expect(answer["valid"] as? Bool == expected, "\(name): \(answer)")
        }
    }

    @Test("keys and certificates written by openssl import: PKCS#8 and SEC 1, SM2 and P-256")
    func opensslKeysImport() throws {
        let directory = try CivicProcess.temporaryDirectory("console-openssl")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let curves = [("sm2", "SM2", CryptoSuite.sm), ("p256", "P-256", CryptoSuite.intl)]
        var requests: [[String: Any]] = []
        var expected: [(String, String)] = []
        for (name, curve, suite) in curves {
            try CivicProcess.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:\(curve)",
                                      "-out", "\(name).pem"], in: directory)
            try CivicProcess.openssl(["ec", "-in", "\(name).pem", "-out", "\(name)-sec1.pem"], in: directory)
            try CivicProcess.openssl(["req", "-new", "-x509", "-key", "\(name).pem", "-subj", "/CN=console \(name)",
                                      "-days", "1", "-out", "\(name)-cert.pem"] + (suite == .sm ? ["-sm3"] : []),
                                     in: directory)
            let pkcs8 = try String(contentsOfFile: "\(directory)/\(name).pem", encoding: .utf8)
            let sec1 = try String(contentsOfFile: "\(directory)/\(name)-sec1.pem", encoding: .utf8)
            let certificate = try String(contentsOfFile: "\(directory)/\(name)-cert.pem", encoding: .utf8)
            #expect(pkcs8.contains("BEGIN PRIVATE KEY") && sec1.contains("PRIVATE KEY-----"))
            let publicKey = Hex.encode(try PrivateKey(pemRepresentation: pkcs8).publicKey.rawRepresentation)
            requests += [["op": "import", "pem": pkcs8], ["op": "import", "pem": sec1], ["op": "certificate", "pem": certificate]]
            expected += Array(repeating: (suite.name, publicKey), count: 3)
        }
        let answers = try ConsoleJS.batch(requests)
        try #require(answers.count == requests.count)
        for (answer, (suite, publicKey)) in zip(answers, expected) {
            #expect(ConsoleJS.string(answer, "suite") == suite)
            #expect(ConsoleJS.string(answer, "publicKey") == publicKey)
        }
    }

    @Test("bad PEM is refused with a sentence that says what is wrong")
    func badPEMIsRefused() throws {
        let directory = try CivicProcess.temporaryDirectory("console-bad-pem")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CivicProcess.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem"],
                                 in: directory)
        try CivicProcess.openssl(["pkcs8", "-topk8", "-in", "p384.pem", "-passout", "pass:secret", "-out", "encrypted.pem"],
                                 in: directory)
        let p384 = try String(contentsOfFile: directory + "/p384.pem", encoding: .utf8)
        let encrypted = try String(contentsOfFile: directory + "/encrypted.pem", encoding: .utf8)
        let valid = PrivateKey.generate(suite: .sm).pemRepresentation
        let lines = valid.split(separator: "\n")
        let truncated = ([lines[0]] + lines[1...].prefix(1) + [lines.last!]).joined(separator: "\n")
        var scalarZero = try #require(PEMBlock.decode(valid, label: "PRIVATE KEY"))
        // The PKCS#8 wrapper holds the 32-byte scalar right after `04 20` inside the SEC 1 structure.
        let scalarStart = try #require(scalarZero.indices.first { scalarZero[$0] == 0x04 && scalarZero[$0 + 1] == 0x20 }) + 2
        for index in scalarStart..<scalarStart + 32 { scalarZero[index] = 0 }
        let cases: [(String, String)] = [
            ("garbage", "no private key found"),
            ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "no private key found"),
            ("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "not valid base64"),
            ("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n", "has no END line"),
            (truncated, "cannot be read"),
            (p384, "1.3.132.0.34"),
            (encrypted, "encrypted"),
            (PEMBlock.encode(der: scalarZero, label: "PRIVATE KEY"), "out of range"),
        ]
        let answers = try ConsoleJS.batch(cases.map { ["op": "import", "pem": $0.0] })
        try #require(answers.count == cases.count)
        for (answer, (_, phrase)) in zip(answers, cases) {
            let error = ConsoleJS.string(answer, "error")
            #expect(error.contains(phrase), "expected '\(phrase)' in '\(error)'")
        }
        let certificate = try ConsoleJS.run(["op": "certificate", "pem": valid])
        #expect(ConsoleJS.string(certificate, "error").contains("no certificate found"))
    }
}
