import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation

/// `civic identity`: identities on chain.
struct IdentityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity", abstract: "Manage your identity on chain.", subcommands: [Enroll.self])

    /// `civic identity enroll`.
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enroll (or renew) your identity with a certificate from your organization's CA.",
            discussion: """
                Sends identity.enroll signed with --key, which must be the certificate's key. The chain checks the \
                certificate against the CAs of its member organizations and its revocation list, and records your \
                organization, role (the certificate's OU), name (CN) and the certificate's end. Enrolling a newer \
                certificate for the same key renews it; a certificate for a new key enrolls a new identity while \
                the old one stays valid until its own end.
                """)

        @Option(name: .customLong("cert"), help: "Your identity certificate (PEM or DER), from `civic org issue`.")
        var certificate: String

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            let certificate = try Self.loadCertificate(self.certificate)
            let key = try CLI.loadKey(signing.key)
            guard certificate.publicKey == key.publicKey else {
                throw CLIError(description: "\(self.certificate) certifies another key than \(signing.key); sign with "
                    + "the key the certificate was issued for.")
            }
            let response = try await TxCommand.send(
                TransactionBuilder.enroll(certificateDER: certificate.derRepresentation), options: signing)
            if !signing.node.json, response.status == "committed" || !signing.wait {
                let (algorithm, fingerprint) = IdentityCertificate.fingerprint(
                    of: certificate.derRepresentation, suite: key.suite)
                print("address:     \(Address(publicKey: key.publicKey).hex)")
                print("role:        \(certificate.organizationalUnits.joined(separator: ","))")
                print("fingerprint: \(algorithm.name):\(fingerprint.hex)")
                print("not after:   \(CLI.time(certificate.validity.notAfter.milliseconds))")
            }
        }

        /// Reads a certificate file, PEM or DER.
        static func loadCertificate(_ path: String) throws -> X509Certificate {
            let bytes = try CLI.readBytes(path)
            do {
                if let text = String(validating: bytes, as: UTF8.self), text.contains("-----BEGIN") {
                    return try X509Certificate(pemRepresentation: text)
                }
                return try X509Certificate(derRepresentation: bytes)
            } catch {
                throw CLIError(description: "\(path) is not a certificate: \(error.description)")
            }
        }
    }
}
