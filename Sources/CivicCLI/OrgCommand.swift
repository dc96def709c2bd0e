import ArgumentParser
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation

/// `civic org`: an organization's certificate authority: create it, issue and revoke identity and node certificates,
/// export the CA and its revocation list, check an identity certificate (Docs/0011).
struct OrgCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org", abstract: "Run an organization's certificate authority.",
        discussion: """
            A CA folder holds ca.crt (its certificate, for genesis), ca.key (mode 0600) and crl.pem (its \
            revocation list), the layout 'civic devnet' uses under orgs/. Check with openssl: 'openssl verify \
            -CAfile ca.crt id.crt' (sm chains add '-vfyopt distid:1234567812345678'); 'openssl crl -in crl.pem \
            -CAfile ca.crt -verify -noout'.
            """,
        subcommands: [Create.self, Issue.self, IssueNode.self, Revoke.self, Export.self, Verify.self])

    /// How long a revocation list is current (its nextUpdate) unless `--crl-days` says otherwise.
    static let revocationListDays: UInt64 = 30
    /// How far back a new certificate's validity starts, for clocks that are a little behind.
    static let clockSkewMilliseconds: UInt64 = 60_000

    /// The validity window of a certificate issued now for `days` days.
    static func validity(days: UInt64) -> ValidityWindow {
        let start = TransactionBuilder.wallClock().milliseconds - clockSkewMilliseconds
        return ValidityWindow(starting: Timestamp(milliseconds: start), days: days)
    }

    /// A file name made from an identity's or node's name.
    static func fileName(_ name: String) -> String { DevnetLayout.slug(name) }

    /// `civic org create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an organization CA: ca.crt, ca.key and an empty crl.pem in --dir.")

        @Option(help: "The organization's name (the certificates' O).")
        var name: String

        @Option(help: "Crypto suite of the chain: sm (SM2) or intl (ECDSA P-256).")
        var suite: String = "sm"

        @Option(help: "The CA folder to create.")
        var dir: String

        @Option(help: "Days the CA certificate is valid.")
        var days: UInt64 = 3650

        func run() throws {
            guard let suite = CryptoSuite(name: suite) else { throw ValidationError("--suite must be 'sm' or 'intl'.") }
            let folder = OrgFolder(path: dir)
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw CLIError(description: "Cannot create \(dir): \(error.localizedDescription)")
            }
            let authority = try OrgFolder.pki { () throws(PKIError) in
                try OrganizationCA.create(organization: name, suite: suite, validity: OrgCommand.validity(days: days))
            }
            try CLI.writePrivate(authority.privateKey.pemRepresentation, to: folder.key)
            try CLI.write(Array(authority.certificate.pemRepresentation.utf8), to: folder.certificate)
            let list = try OrgFolder.pki { () throws(PKIError) in
                try authority.revoke(serialNumbers: [], at: TransactionBuilder.wallClock(), previous: nil,
                                     days: OrgCommand.revocationListDays)
            }
            try CLI.write(Array(list.pemRepresentation.utf8), to: folder.revocationList)
            print("created the CA '\(authority.certificate.subject)' (\(suite.name), \(suite.signatureName))")
            print("certificate: \(folder.certificate)  (valid \(authority.certificate.validity))")
            print("key:         \(folder.key)")
            print("crl:         \(folder.revocationList)")
        }
    }

    /// `civic org issue`.
    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an identity certificate (with a new key unless --key is given).",
            discussion: "Writes OUT-DIR/NAME.crt, and OUT-DIR/NAME.key (mode 0600) when it generates the key.")

        @Option(help: "The CA folder ('civic org create --dir').")
        var caDir: String

        @Option(help: "The identity's name (the certificate's CN).")
        var name: String

        @Option(help: "The role: \(Role.allCases.map(\.name).joined(separator: ", ")).")
        var role: String

        @Option(help: "The identity's key (private or public PEM, of the CA's suite); a new one if absent.")
        var key: String?

        @Option(help: "The chain id the certificate is for.")
        var chainId: String

        @Option(help: "Where to write the certificate (and the new key).")
        var outDir: String

        @Option(help: "Days the certificate is valid.")
        var days: UInt64 = 365

        func run() throws {
            guard let role = Role(name: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.name).joined(separator: ", ")).")
            }
            let authority = try OrgFolder(path: caDir).load()
            let output = OutputFolder(path: outDir, stem: OrgCommand.fileName(name))
            let publicKey = try output.key(given: key, suite: authority.suite, path: output.file(".key"))
            let certificate = try OrgFolder.pki { () throws(PKIError) in
                try authority.issueIdentityCertificate(name: name, role: role, publicKey: publicKey, chainID: chainId,
                                                       validity: OrgCommand.validity(days: days))
            }
            try output.write(certificate, to: output.file(".crt"))
        }
    }

    /// `civic org issue-node`.
    struct IssueNode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue-node", abstract: "Issue a node's TLS transport certificate (P-256 on both suites).",
            discussion: "Writes OUT-DIR/NAME-tls.crt, and OUT-DIR/NAME-tls.key (mode 0600) when it generates the key.")

        @Option(help: "The CA folder ('civic org create --dir').")
        var caDir: String

        @Option(help: "The node's name (the certificate's CN).")
        var name: String

        @Option(help: "The node's P-256 transport key (private or public PEM); a new one if absent.")
        var key: String?

        @Option(help: "The chain id the certificate is for.")
        var chainId: String

        @Option(help: "Where to write the certificate (and the new key).")
        var outDir: String

        @Option(help: "Days the certificate is valid.")
        var days: UInt64 = 365

        func run() throws {
            let authority = try OrgFolder(path: caDir).load()
            let output = OutputFolder(path: outDir, stem: OrgCommand.fileName(name) + "-tls")
            let transportKey = try output.key(given: key, suite: .intl, path: output.file(".key"))
            let certificate = try OrgFolder.pki { () throws(PKIError) in
                try authority.issueTransportCertificate(nodeName: name, chainID: chainId, transportKey: transportKey,
                                                        validity: OrgCommand.validity(days: days))
            }
            try output.write(certificate, to: output.file(".crt"))
        }
    }

    /// `civic org revoke`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke certificates this CA issued: adds them to CA-DIR/crl.pem and signs it anew.")

        @Option(help: "The CA folder ('civic org create --dir').")
        var caDir: String

        @Option(help: "Days until the revocation list's nextUpdate.")
        var crlDays: UInt64 = OrgCommand.revocationListDays

        @Argument(help: "The certificates (PEM) to revoke.")
        var certificates: [String]

        func run() throws {
            let folder = OrgFolder(path: caDir)
            let authority = try folder.load()
            let previous = try folder.loadRevocationList()
            var revoked: [X509Certificate] = []
            for path in certificates { revoked.append(try OrgFolder.loadCertificate(path)) }
            let list = try OrgFolder.pki { () throws(PKIError) in
                try authority.revoke(revoked, at: TransactionBuilder.wallClock(), previous: previous, days: crlDays)
            }
            try CLI.write(Array(list.pemRepresentation.utf8), to: folder.revocationList)
            for certificate in revoked {
                print("revoked serial \(certificate.serialNumber) (\(certificate.subject))")
            }
            print("wrote \(folder.revocationList): CRL number \(list.number), \(list.entries.count) revoked, "
                + "next update \(CLI.time(list.nextUpdate.milliseconds))")
        }
    }

    /// `civic org export`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the CA certificate and its revocation list as one PEM bundle.",
            discussion: "Check a certificate against it: 'openssl verify -crl_check -CAfile bundle.pem id.crt'.")

        @Option(help: "The CA folder ('civic org create --dir').")
        var caDir: String

        @Option(name: .shortAndLong, help: "The bundle to write.")
        var out: String

        func run() throws {
            let folder = OrgFolder(path: caDir)
            let authority = try folder.load()
            var bundle = authority.certificate.pemRepresentation
            if let list = try folder.loadRevocationList() { bundle += list.pemRepresentation }
            try CLI.write(Array(bundle.utf8), to: out)
            print("wrote \(out): the CA certificate '\(authority.certificate.subject)' and its revocation list")
        }
    }
}
