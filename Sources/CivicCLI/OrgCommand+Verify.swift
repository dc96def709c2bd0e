import ArgumentParser
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation

extension OrgCommand {
    /// `civic org verify`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an identity certificate against the genesis organizations and revocation lists.",
            discussion: "Prints the identity, or the refusal's code and sentence and exits with code 3.")

        @Argument(help: "The identity certificate (PEM).")
        var certificate: String

        @Option(help: "The chain's genesis file (its organizations' CAs are trusted).")
        var genesis: String

        @Option(name: .customLong("crl"), help: "A revocation list (PEM) of one of the CAs (repeatable).")
        var revocationLists: [String] = []

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            let genesis: Genesis
            do { genesis = try GenesisFile.load(path: self.genesis) } catch {
                throw CLIError(description: error.description)
            }
            guard !genesis.organizations.isEmpty else {
                throw CLIError(description: "\(self.genesis) lists no organizations, so no CA is trusted.")
            }
            var lists: [RevocationList] = []
            for path in revocationLists {
                let text = try CLI.readText(path)
                lists.append(try OrgFolder.pki { () throws(PKIError) in try RevocationList(pemRepresentation: text) })
            }
            let verifier = try OrgFolder.pki { () throws(PKIError) in
                try IdentityVerifier(genesis: genesis, revocationLists: lists)
            }
            let pem = try CLI.readText(certificate)
            let now = TransactionBuilder.wallClock()
            do {
                report(try verifier.verify(certificatePEM: pem, at: now), at: now)
            } catch {
                if json { CLI.printJSON(["result": "refused", "code": error.code, "message": error.description]) }
                throw CLIError(description: "refused (\(error.code)): \(error.description)",
                               exitCode: CivicExit.verificationFailed)
            }
        }

        private func report(_ identity: VerifiedIdentity, at now: Timestamp) {
            let warning = identity.certificate.expiryWarning(at: now)?.description ?? "none"
            let fields = [
                ("organization", identity.organization), ("name", identity.name), ("role", identity.role.name),
                ("public_key", Hex.encode(identity.publicKey.rawRepresentation)),
                ("address", Address(publicKey: identity.publicKey).hex),
                ("serial", identity.certificate.serialNumber), ("validity", "\(identity.certificate.validity)"),
                ("expiry_warning", warning),
            ]
            if json {
                CLI.printJSON(Dictionary(uniqueKeysWithValues: [("result", "accepted")] + fields))
                return
            }
            print("accepted: \(certificate)")
            for (label, value) in fields {
                let heading = label.replacingOccurrences(of: "_", with: " ") + ":"
                print(heading.padding(toLength: 16, withPad: " ", startingAt: 0) + value)
            }
        }
    }
}

/// A CA folder: `ca.crt`, `ca.key`, `crl.pem`.
struct OrgFolder {
    let path: String

    var certificate: String { path + "/ca.crt" }
    var key: String { path + "/ca.key" }
    var revocationList: String { path + "/crl.pem" }

    /// The CA from its certificate and key.
    func load() throws -> OrganizationCA {
        let certificatePEM = try CLI.readText(certificate)
        let keyPEM = try CLI.readText(key)
        return try OrgFolder.pki { () throws(PKIError) in
            try OrganizationCA(certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
        }
    }

    /// The CA's current revocation list, or `nil` if it has none yet.
    func loadRevocationList() throws -> RevocationList? {
        guard FileManager.default.fileExists(atPath: revocationList) else { return nil }
        let text = try CLI.readText(revocationList)
        return try OrgFolder.pki { () throws(PKIError) in try RevocationList(pemRepresentation: text) }
    }

    /// A PEM certificate file.
    static func loadCertificate(_ path: String) throws -> X509Certificate {
        let text = try CLI.readText(path)
        do { return try X509Certificate(pemRepresentation: text) } catch {
            throw CLIError(description: "\(path) is not a usable certificate: \(error.description)")
        }
    }

    /// Runs `body` and turns a ``PKIError`` into a CLI error.
    static func pki<Value>(_ body: () throws(PKIError) -> Value) throws -> Value {
        do { return try body() } catch { throw CLIError(description: error.description) }
    }
}

/// Where `civic org issue` and `issue-node` write: `<path>/<stem>.crt` and `<path>/<stem>.key`.
struct OutputFolder {
    let path: String
    let stem: String

    func file(_ suffix: String) -> String { path + "/" + stem + suffix }

    /// The public key in `given`, or a new key of `suite` written (0600) to `keyPath`.
    func key(given: String?, suite: CryptoSuite, path keyPath: String) throws -> PublicKey {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw CLIError(description: "Cannot create \(path): \(error.localizedDescription)")
        }
        if let given {
            let key = try CLI.loadPublicKey(given, suite: suite)
            guard key.suite == suite else {
                throw CLIError(description: "\(given) is a '\(key.suite)' key; the certificate needs a '\(suite)' key.")
            }
            return key
        }
        let key = PrivateKey.generate(suite: suite)
        try CLI.writePrivate(key.pemRepresentation, to: keyPath)
        print("key:         \(keyPath)  (new \(suite.name) key, mode 0600)")
        return key.publicKey
    }

    /// Writes `certificate` as PEM and says what it is.
    func write(_ certificate: X509Certificate, to certificatePath: String) throws {
        try CLI.write(Array(certificate.pemRepresentation.utf8), to: certificatePath)
        print("certificate: \(certificatePath)")
        print("subject:     \(certificate.subject)")
        print("serial:      \(certificate.serialNumber)")
        print("validity:    \(certificate.validity)")
    }
}
