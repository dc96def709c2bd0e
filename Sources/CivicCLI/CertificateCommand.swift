import ArgumentParser
import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic cert`: electronic certificates (电子证照, Docs/0016). Documents and ID numbers are fingerprinted on this
/// machine; only the fingerprints are sent.
struct CertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert", abstract: "Register certificate types; issue, authorize, verify and inspect e-certificates.",
        subcommands: [TypeRegister.self, Issue.self, Suspend.self, Resume.self, Revoke.self, Reissue.self, Authorize.self,
                      Withdraw.self, Verify.self, Show.self, List.self])

    /// The holder, identified on this machine: a subject fingerprint from the ID number and the shared salt.
    struct HolderOptions: ParsableArguments {
        @Option(help: "The holder's ID number (身份证号 or credit code); it is fingerprinted here and never sent.")
        var holderID: String?
        @Option(help: "The file with the salt the departments share for subject fingerprints (its bytes, without one trailing newline).")
        var saltFile: String?
        @Option(help: "The holder's subject fingerprint (64 hex digits), instead of --holder-id and --salt-file.")
        var holderFingerprint: String?

        /// The fingerprint, or `nil` when no holder option was given.
        func fingerprint(suite: CryptoSuite) throws -> Hash256? {
            if let text = holderFingerprint {
                guard let hash = Hex.decode(text).flatMap(Hash256.init(validating:)) else {
                    throw ValidationError("--holder-fingerprint takes 64 hexadecimal digits.")
                }
                return hash
            }
            guard let holderID else { return nil }
            guard let saltFile else { throw ValidationError("--holder-id needs --salt-file.") }
            return SubjectFingerprint.make(identifier: holderID, salt: try CLI.readSalt(saltFile), suite: suite)
        }
    }

    /// What `issue` and `reissue` put on chain about the new certificate.
    struct DraftOptions: ParsableArguments {
        @Option(help: "The new certificate's id (its number), e.g. marriage-350503-2024-0001.")
        var id: String
        @Option(help: "The electronic document (PDF, OFD…); it is hashed here and never sent.")
        var document: String
        @OptionGroup var holder: HolderOptions
        @Option(help: "The holder's on-chain identity: a 40-digit address, or its public key (PEM file or 130 hex digits).")
        var holderAddress: String
        @Option(help: "Valid from: YYYY-MM-DD, an ISO 8601 time or milliseconds since 1970 (default: now).")
        var validFrom: String?
        @Option(help: "Valid until (exclusive), in the same forms (default: --valid-days after --valid-from).")
        var validUntil: String?
        @Option(help: "Days of validity when --valid-until is not given.")
        var validDays: UInt64 = 3650

        /// The draft of a certificate of `type`.
        func draft(type: String, suite: CryptoSuite) throws -> CertificateDraft {
            guard let holderFingerprint = try holder.fingerprint(suite: suite) else {
                throw ValidationError("Name the holder with --holder-id and --salt-file (or --holder-fingerprint).")
            }
            let address: Address
            if let parsed = Address(hex: holderAddress) {
                address = parsed
            } else {
                address = Address(publicKey: try CLI.loadPublicKey(holderAddress, suite: suite))
            }
            let from = try validFrom.map { try CertificateCommand.parseTime($0, option: "--valid-from") }
                ?? TransactionBuilder.wallClock()
            let until = try validUntil.map { try CertificateCommand.parseTime($0, option: "--valid-until") }
                ?? Timestamp(milliseconds: from.milliseconds + validDays * 86_400_000)
            let draft = CertificateDraft(id: id, type: type, documentFingerprint: suite.hash(try CLI.readBytes(document)),
                                         holderFingerprint: holderFingerprint, holder: address, validFrom: from,
                                         validUntil: until)
            if let problem = draft.problem { throw ValidationError("The certificate cannot be issued: \(problem).") }
            return draft
        }
    }

    /// `civic cert type-register`.
    struct TypeRegister: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "type-register", abstract: "Register a certificate type for your department (staff).")

        @Argument(help: "The type's id, e.g. marriage.")
        var id: String
        @Option(help: "Its name, for people.")
        var name: String
        @Option(help: "What it certifies and which fields the document carries.")
        var description: String = ""

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            _ = try await TxCommand.send(
                TransactionBuilder.registerCertificateType(CertificateTypeDraft(id: id, name: name, description: description)),
                options: signing)
        }
    }

    /// `civic cert issue`.
    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue", abstract: "Issue a certificate: its document's and holder's fingerprints (staff).")

        @Option(help: "The certificate type's id.")
        var type: String
        @OptionGroup var draft: DraftOptions
        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            let certificate = try draft.draft(type: type, suite: try CLI.loadKey(signing.key).suite)
            if !signing.node.json { CertificateCommand.printFingerprints(certificate) }
            _ = try await TxCommand.send(TransactionBuilder.issueCertificate(certificate), options: signing)
        }
    }

    /// `civic cert reissue`.
    struct Reissue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reissue", abstract: "Re-issue a certificate: revoke it and issue its successor (staff of its issuer).")

        @Argument(help: "The certificate replaced.")
        var replaced: String
        @Option(help: "Why (lost, damaged, corrected).")
        var reason: String = ""
        @OptionGroup var draft: DraftOptions
        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            let old: ElectronicCertificateView
            do { old = try await signing.node.client.certificate(replaced) } catch { throw CLI.failure(error) }
            let certificate = try draft.draft(type: old.type, suite: try CLI.loadKey(signing.key).suite)
            if !signing.node.json { CertificateCommand.printFingerprints(certificate) }
            _ = try await TxCommand.send(
                TransactionBuilder.reissueCertificate(replaced, reason: reason, as: certificate), options: signing)
        }
    }

    /// `civic cert suspend`.
    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "suspend", abstract: "Suspend a certificate (staff of its issuer).")
        @OptionGroup var change: StatusOptions
        func run() async throws { try await change.send("suspend") }
    }

    /// `civic cert resume`.
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a suspended certificate (staff of its issuer).")
        @OptionGroup var change: StatusOptions
        func run() async throws { try await change.send("resume") }
    }

    /// `civic cert revoke`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a certificate for good (staff of its issuer).")
        @OptionGroup var change: StatusOptions
        func run() async throws { try await change.send("revoke") }
    }

    /// The arguments of `suspend`, `resume` and `revoke`.
    struct StatusOptions: ParsableArguments {
        @Argument(help: "The certificate's id.")
        var certificate: String
        @Option(help: "Why.")
        var reason: String = ""
        @OptionGroup var signing: TxCommand.SigningOptions

        func send(_ method: String) async throws {
            _ = try await TxCommand.send(
                TransactionBuilder.changeCertificateStatus(method, certificate: certificate, reason: reason), options: signing)
        }
    }

    /// `civic cert authorize`.
    struct Authorize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "authorize", abstract: "Authorize an organization to verify your certificate (the holder); prints its number.")

        @Argument(help: "The certificate's id.")
        var certificate: String
        @Option(help: "The verifying organization, e.g. bank.")
        var verifier: String
        @Option(help: "The purpose, e.g. mortgage.")
        var purpose: String
        @Option(help: "Days the authorization lasts (at most 366).")
        var days: UInt64 = 30

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            guard (1...366).contains(days) else { throw ValidationError("--days is 1 to 366.") }
            let until = Timestamp(milliseconds: TransactionBuilder.wallClock().milliseconds + days * 86_400_000)
            let response = try await TxCommand.send(
                TransactionBuilder.authorizeVerifier(AuthorizationDraft(certificate: certificate, verifierOrganization: verifier,
                                                                        purpose: purpose, validUntil: until)),
                options: signing)
            if !signing.node.json, let data = response.receipt.flatMap({ Hex.decode($0.returnData) }), data.count == 8 {
                let number = data.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                print("authorization: \(number) (withdraw it with `civic cert withdraw \(number)`)")
            }
        }
    }

    /// `civic cert withdraw`.
    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdraw", abstract: "Withdraw an authorization you gave (the holder).")

        @Argument(help: "The authorization's number.")
        var authorization: UInt64

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            _ = try await TxCommand.send(TransactionBuilder.withdrawAuthorization(authorization), options: signing)
        }
    }

    /// `civic cert verify`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Check a presented certificate for your organization; the check is recorded.",
            discussion: """
                The chain checks that the certificate exists, that its holder authorized your organization, that the \
                document matches, that it is neither revoked nor suspended, that it is within its validity and that \
                its issuer is trusted for its type. Exits 0 when valid; prints the refusal code and exits 3 otherwise.
                """)

        @Argument(help: "The certificate's id.")
        var certificate: String
        @Option(help: "The document you were shown; it is hashed here and never sent.")
        var document: String?
        @Option(help: "The document's fingerprint (64 hex digits), instead of --document.")
        var documentFingerprint: String?
        @Option(help: "The purpose; it must be the authorized one (default: any authorized purpose).")
        var purpose: String = ""

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            guard signing.wait else { throw ValidationError("verify waits for the check's outcome; drop --no-wait.") }
            let fingerprint: Hash256
            if let document {
                fingerprint = try CLI.loadKey(signing.key).suite.hash(try CLI.readBytes(document))
            } else if let text = documentFingerprint, let hash = Hex.decode(text).flatMap(Hash256.init(validating:)) {
                fingerprint = hash
            } else {
                throw ValidationError("Give --document FILE or --document-fingerprint HEX.")
            }
            let response = try await TxCommand.send(
                TransactionBuilder.verifyCertificate(
                    VerifyRequest(certificate: certificate, documentFingerprint: fingerprint, purpose: purpose)),
                options: signing, printing: signing.node.json)
            guard let data = response.receipt.flatMap({ Hex.decode($0.returnData) }),
                  let result = try? VerifyResult(canonicalBytes: data) else {
                throw CLIError(description: "The node's receipt carries no check outcome.")
            }
            if !signing.node.json {
                print("transaction: \(response.hash)")
                print(result.isValid ? "outcome:     valid (check \(result.check))"
                                     : "outcome:     refused: \(result.outcome) (check \(result.check))")
            }
            guard result.isValid else {
                throw CLIError(description: "refused: \(result.outcome)", exitCode: CivicExit.verificationFailed)
            }
        }
    }

    /// `civic cert show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a certificate and its newest checks.")

        @Argument(help: "The certificate's id.")
        var certificate: String
        @Flag(help: "Also list its newest checks.")
        var checks = false

        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let view = try await node.client.certificate(certificate)
                var checks: CertificateCheckListResponse?
                if self.checks { checks = try await node.client.certificateChecks(certificate) }
                if node.json {
                    CLI.printJSON(view)
                    if let checks { CLI.printJSON(checks) }
                    return
                }
                CertificateCommand.describe(view)
                if let checks {
                    print("  checks:    \(checks.total)")
                    for check in checks.checks {
                        print("  check:     #\(check.id) \(check.outcome) by \(check.verifierOrganization) (\(check.verifier)) "
                            + "purpose=\(check.purpose) at height \(check.height), \(CLI.time(check.timeMs))")
                    }
                }
            } catch {
                throw CLI.failure(error)
            }
        }
    }

    /// `civic cert list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the certificate types, or a holder's certificates (--holder-id or --holder-fingerprint).")

        @OptionGroup var holder: HolderOptions
        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let client = node.client
                // Only --holder-id needs the chain's suite (the fingerprint is the suite's HMAC).
                let suite = holder.holderID == nil ? CryptoSuite.sm : try await CertificateCommand.suite(of: client)
                if let fingerprint = try holder.fingerprint(suite: suite) {
                    let list = try await client.certificates(holder: fingerprint)
                    if node.json { return CLI.printJSON(list) }
                    print("holder:      \(list.holder)\ncertificates: \(list.total)")
                    for certificate in list.certificates { CertificateCommand.describe(certificate) }
                    return
                }
                let list = try await client.certificateTypes()
                if node.json { return CLI.printJSON(list) }
                print("types:       \(list.total)")
                for type in list.types {
                    let others = type.trustedIssuers.isEmpty ? "" : " (also trusted: \(type.trustedIssuers.joined(separator: ", ")))"
                    print("\(type.id) \"\(type.name)\" issuer=\(type.organization)\(others)")
                }
            } catch let error as ClientError {
                throw CLI.failure(error)
            }
        }
    }

    // MARK: - Helpers

    /// The chain's suite, from the node.
    static func suite(of client: NodeClient) async throws -> CryptoSuite {
        let name = try await client.chainInfo().suite
        guard let suite = CryptoSuite.allCases.first(where: { $0.name == name }) else {
            throw CLIError(description: "The node reports an unknown suite '\(name)'.")
        }
        return suite
    }

    /// A time option: milliseconds since 1970, `YYYY-MM-DD` (UTC midnight) or an ISO 8601 time.
    static func parseTime(_ text: String, option: String) throws -> Timestamp {
        if let milliseconds = UInt64(text) { return Timestamp(milliseconds: milliseconds) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.count == 10 ? [.withFullDate] : [.withInternetDateTime]
        guard let date = formatter.date(from: text), date.timeIntervalSince1970 >= 0 else {
            throw ValidationError("\(option) takes YYYY-MM-DD, an ISO 8601 time or milliseconds since 1970.")
        }
        return Timestamp(milliseconds: UInt64(date.timeIntervalSince1970 * 1000))
    }

    static func printFingerprints(_ draft: CertificateDraft) {
        print("document:    \(draft.documentFingerprint.hex)")
        print("holder:      \(draft.holderFingerprint.hex)")
    }

    static func describe(_ certificate: ElectronicCertificateView) {
        print("\(certificate.id) \(certificate.status) type=\(certificate.type) issuer=\(certificate.issuer)")
        print("  document:  \(certificate.documentFingerprint)")
        print("  holder:    \(certificate.holder) (\(certificate.holderAddress))")
        print("  valid:     \(CLI.time(certificate.validFromMs)) to \(CLI.time(certificate.validUntilMs))")
        print("  issued:    by \(certificate.issuedBy) at height \(certificate.height), \(CLI.time(certificate.issuedAtMs))")
        if !certificate.replaces.isEmpty { print("  replaces:  \(certificate.replaces)") }
        if !certificate.replacedBy.isEmpty { print("  replaced by: \(certificate.replacedBy)") }
        if let by = certificate.changedBy, let at = certificate.changedAtMs {
            print("  changed:   by \(by), \(CLI.time(at))\(certificate.reason.isEmpty ? "" : ": \(certificate.reason)")")
        }
    }
}
