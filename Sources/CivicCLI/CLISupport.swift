import ArgumentParser
import CivicApps
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// Exit codes that mean something to scripts.
enum CivicExit {
    /// A proof did not verify.
    static let verificationFailed = ExitCode(3)
    /// The node refused the request.
    static let refused = ExitCode(4)
    /// The node could not be reached.
    static let unreachable = ExitCode(5)
}

/// A failure the CLI reports as one sentence and an exit code.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var exitCode: ExitCode = .failure
}

/// Options shared by commands that talk to a node.
struct NodeOptions: ParsableArguments {
    @Option(name: .customLong("node"), help: "The node's API URL (or set CIVIC_NODE).")
    var url: String = ProcessInfo.processInfo.environment["CIVIC_NODE"] ?? "http://127.0.0.1:8080"

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    var client: NodeClient { NodeClient(baseURL: url) }
}

enum CLI {
    /// Reads a PEM private key (PKCS#8, as `openssl genpkey` writes it).
    static func loadKey(_ path: String) throws -> PrivateKey {
        let text = try readText(path)
        do { return try PrivateKey(pemRepresentation: text) } catch {
            throw CLIError(description: "\(path) is not a usable private key: \(error.description)")
        }
    }

    /// Reads a public key: a PEM SubjectPublicKeyInfo file, a private key file, or 130 hex digits.
    static func loadPublicKey(_ text: String, suite: CryptoSuite) throws -> PublicKey {
        if let raw = Hex.decode(text), raw.count == PublicKey.byteCount {
            do { return try PublicKey(suite: suite, rawRepresentation: raw) } catch {
                throw CLIError(description: "The public key is not valid for the '\(suite)' suite: \(error.description)")
            }
        }
        let pem = try readText(text)
        if pem.contains("PRIVATE KEY") { return try loadKey(text).publicKey }
        do { return try PublicKey(pemRepresentation: pem) } catch {
            throw CLIError(description: "\(text) is not a usable public key: \(error.description)")
        }
    }

    static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CLIError(description: "Cannot read \(path).")
        }
        return text
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError(description: "Cannot read \(path).") }
        return Array(data)
    }

    /// The salt of subject fingerprints (Docs/0016, "Subjects") in the file at `path`
    /// (``SubjectFingerprint/salt(fileBytes:)``). Every command that fingerprints an identifier reads it here.
    static func readSalt(_ path: String) throws -> [UInt8] {
        let bytes = SubjectFingerprint.salt(fileBytes: try readBytes(path))
        guard !bytes.isEmpty else { throw CLIError(description: "The salt file \(path) is empty.") }
        return bytes
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CLIError(description: "Cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `text` to a new file readable only by its owner (for private keys).
    static func writePrivate(_ text: String, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CLIError(description: "\(path) already exists; refusing to overwrite a key.")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError(description: "Cannot write \(path).")
        }
    }

    /// Prints `value` as JSON.
    static func printJSON(_ value: some Encodable) {
        if let data = try? JSONFormat.encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
    }

    /// Turns a client error into a CLI error with the matching exit code.
    static func failure(_ error: ClientError) -> CLIError {
        switch error {
        case .refused: CLIError(description: error.description, exitCode: CivicExit.refused)
        case .unreachable: CLIError(description: error.description, exitCode: CivicExit.unreachable)
        case .unexpectedResponse: CLIError(description: error.description)
        }
    }

    /// Formats milliseconds since the epoch as an ISO 8601 UTC time.
    static func time(_ milliseconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
