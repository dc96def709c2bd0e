import ArgumentParser
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic keygen`: a new private key as PKCS#8 PEM (the same format `openssl genpkey` writes).
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Generate a private key (PKCS#8 PEM, readable by openssl).")

    @Option(help: "Crypto suite: sm (SM2) or intl (ECDSA P-256).")
    var suite: String = "sm"

    @Option(name: .shortAndLong, help: "Where to write the private key (mode 0600).")
    var out: String

    @Option(help: "Also write the public key (SubjectPublicKeyInfo PEM) here.")
    var publicOut: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        guard let suite = CryptoSuite(name: suite) else { throw ValidationError("--suite must be 'sm' or 'intl'.") }
        let key = PrivateKey.generate(suite: suite)
        try CLI.writePrivate(key.pemRepresentation, to: out)
        if let publicOut { try CLI.write(Array(key.publicKey.pemRepresentation.utf8), to: publicOut) }
        KeyCommand.Show.describe(key.publicKey, path: out, json: json)
    }
}

/// `civic key`: inspect keys.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Inspect keys.", subcommands: [Show.self])

    /// `civic key show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the suite, public key and address of a key file.")

        @Argument(help: "A private key (PKCS#8 PEM) or public key (SubjectPublicKeyInfo PEM).")
        var path: String

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            let text = try CLI.readText(path)
            let publicKey: PublicKey
            if text.contains("PRIVATE KEY") {
                publicKey = try CLI.loadKey(path).publicKey
            } else {
                do { publicKey = try PublicKey(pemRepresentation: text) } catch {
                    throw CLIError(description: "\(path) is not a usable key: \(error.description)")
                }
            }
            Show.describe(publicKey, path: path, json: json)
        }

        static func describe(_ key: PublicKey, path: String, json: Bool) {
            let address = Address(publicKey: key).hex
            let publicHex = Hex.encode(key.rawRepresentation)
            if json {
                CLI.printJSON(["path": path, "suite": key.suite.name, "public_key": publicHex, "address": address])
            } else {
                print("key:        \(path)")
                print("suite:      \(key.suite.name) (\(key.suite.signatureName))")
                print("public key: \(publicHex)")
                print("address:    \(address)")
            }
        }
    }
}
