import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic proposal`: propose changes of the chain's rules, vote on them, and read them.
struct ProposalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proposal", abstract: "Propose governance changes, vote on them, list and show them.",
        subcommands: [Create.self, Vote.self, Close.self, Show.self, List.self])

    /// `civic proposal create`: exactly one change flag.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Propose one change (org admins only); prints the proposal id.")

        @Option(help: "Add an organization with this name (with --ca, --admin-key, --admin-name).")
        var addOrganization: String?
        @Option(help: "Remove this organization (it must run no validator).")
        var removeOrganization: String?
        @Option(help: "A CA certificate (PEM or DER file) of the organization to add; repeatable.")
        var ca: [String] = []
        @Option(
            help:
                "The first admin's key (PEM public or private key file, or 130 hex digits), or the admin to add with --add-admin."
        )
        var adminKey: String?
        @Option(help: "The admin's name.")
        var adminName: String = "admin"
        @Option(help: "Add an admin (--admin-key, --admin-name) to this organization.")
        var addAdmin: String?
        @Option(help: "Remove an admin from an organization: ORGANIZATION:ADDRESS (hex).")
        var removeAdmin: String?
        @Option(help: "Add a validator with this name (with --validator-key, --organization, --power).")
        var addValidator: String?
        @Option(help: "The validator's key (PEM file or 130 hex digits).")
        var validatorKey: String?
        @Option(help: "The validator's organization.")
        var organization: String?
        @Option(help: "Voting power for --add-validator or --set-power.")
        var power: UInt64 = 1
        @Option(help: "Remove the validator with this name.")
        var removeValidator: String?
        @Option(help: "Set the voting power (--power) of the validator with this name.")
        var setPower: String?
        @Option(help: "Set the most transactions per block.")
        var setBlockTransactionsMax: UInt32?
        @Option(help: "Set the target block interval, in milliseconds.")
        var setBlockIntervalMs: UInt32?
        @Option(help: "Revoke this certificate (PEM or DER file), by its fingerprint in the chain's hash.")
        var revokeCertificate: String?
        @Option(
            help: "Set the policy of a resource: RESOURCE=RULE[:ROLE], e.g. membership=all or chain_config=3:admin.")
        var setPolicy: String?
        @Option(
            help: "Set the issuers trusted for a certificate type besides its registering one: TYPE=ORG1,ORG2 (TYPE= for none).")
        var setTrustedIssuers: String?
        @Option(help: "Hours until the deadline.")
        var deadlineHours: UInt64 = 72

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            let suite = try CLI.loadKey(signing.key).suite
            try await ProposalCommand.propose(try makeChange(suite: suite), deadlineHours: deadlineHours, signing: signing)
        }

        /// The one change the flags describe.
        func makeChange(suite: CryptoSuite) throws -> GovernanceChange {
            var changes: [GovernanceChange] = []
            if let name = addOrganization {
                guard let adminKey else { throw ValidationError("--add-organization needs --admin-key.") }
                changes.append(
                    .addOrganization(
                        name: name, caCertificates: try ca.map(ProposalCommand.readCertificate),
                        adminName: adminName, adminKey: try CLI.loadPublicKey(adminKey, suite: suite)))
            }
            if let name = removeOrganization { changes.append(.removeOrganization(name: name)) }
            if let name = addAdmin {
                guard let adminKey else { throw ValidationError("--add-admin needs --admin-key.") }
                changes.append(
                    .addAdmin(organization: name, name: adminName, key: try CLI.loadPublicKey(adminKey, suite: suite)))
            }
            if let text = removeAdmin {
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, let address = Address(hex: parts[1]) else {
                    throw ValidationError("--remove-admin takes ORGANIZATION:ADDRESS with a 40-digit hex address.")
                }
                changes.append(.removeAdmin(organization: parts[0], address: address))
            }
            if let name = addValidator {
                guard let validatorKey, let organization else {
                    throw ValidationError("--add-validator needs --validator-key and --organization.")
                }
                changes.append(
                    .addValidator(
                        Validator(
                            name: name, organization: organization,
                            publicKey: try CLI.loadPublicKey(validatorKey, suite: suite), power: power)))
            }
            if let name = removeValidator { changes.append(.removeValidator(name: name)) }
            if let name = setPower { changes.append(.setValidatorPower(name: name, power: power)) }
            if let value = setBlockTransactionsMax { changes.append(.setBlockTransactionsMax(value)) }
            if let value = setBlockIntervalMs { changes.append(.setBlockIntervalMilliseconds(value)) }
            if let file = revokeCertificate {
                let algorithm: FingerprintAlgorithm = suite == .sm ? .sm3 : .sha256
                changes.append(
                    .revokeCertificate(
                        algorithm: algorithm,
                        fingerprint: suite.hash(try ProposalCommand.readCertificate(file))))
            }
            if let text = setPolicy { changes.append(try ProposalCommand.parsePolicy(text)) }
            if let text = setTrustedIssuers { changes.append(try ProposalCommand.parseTrustedIssuers(text)) }
            guard changes.count == 1 else {
                throw ValidationError("Give exactly one change (for example --remove-validator NAME).")
            }
            return changes[0]
        }
    }

    /// Proposes `change` with a deadline `deadlineHours` from now and prints the proposal's id.
    static func propose(_ change: GovernanceChange, deadlineHours: UInt64, signing: TxCommand.SigningOptions) async throws {
        let deadline = Timestamp(milliseconds: TransactionBuilder.wallClock().milliseconds + deadlineHours * 3_600_000)
        let response = try await TxCommand.send(TransactionBuilder.propose(change, deadline: deadline), options: signing)
        if !signing.node.json, let returned = response.receipt?.returnData, let data = Hex.decode(returned),
           let id = try? UInt64(canonicalBytes: data) {
            print("proposal:    \(id) (organization admins vote with `civic proposal vote \(id)`)")
        }
    }

    /// `civic proposal vote`.
    struct Vote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vote", abstract: "Vote for your organization on a proposal (org admins only).")

        @Argument(help: "The proposal id.")
        var id: UInt64
        @Flag(help: "Approve or reject.")
        var decision: Decision = .approve

        @OptionGroup var signing: TxCommand.SigningOptions

        enum Decision: String, EnumerableFlag { case approve, reject }

        func run() async throws {
            _ = try await TxCommand.send(
                TransactionBuilder.vote(proposal: id, approve: decision == .approve), options: signing)
        }
    }

    /// `civic proposal close`.
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close", abstract: "Record that a proposal's deadline passed before its policy was met.")

        @Argument(help: "The proposal id.")
        var id: UInt64

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws { _ = try await TxCommand.send(TransactionBuilder.closeProposal(id), options: signing) }
    }

    /// `civic proposal show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a proposal with its votes.")

        @Argument(help: "The proposal id.")
        var id: UInt64

        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let proposal = try await node.client.proposal(id)
                if node.json { return CLI.printJSON(proposal) }
                ProposalCommand.describe(proposal, votes: true)
            } catch {
                throw CLI.failure(error)
            }
        }
    }

    /// `civic proposal list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the newest proposals.")

        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let list = try await node.client.proposals()
                if node.json { return CLI.printJSON(list) }
                Swift.print("proposals:   \(list.total)")
                for proposal in list.proposals { ProposalCommand.describe(proposal, votes: false) }
            } catch {
                throw CLI.failure(error)
            }
        }
    }

    static func describe(_ proposal: ProposalView, votes: Bool) {
        let fields = proposal.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        Swift.print("#\(proposal.id) \(proposal.status) \(proposal.change) \(fields)")
        guard votes else { return }
        Swift.print("  proposer:  \(proposal.proposer) (\(proposal.organization)) at height \(proposal.proposedAt)")
        Swift.print("  deadline:  \(CLI.time(proposal.deadlineMs))")
        for vote in proposal.votes {
            Swift.print(
                "  vote:      \(vote.organization) \(vote.approve ? "approve" : "reject") by \(vote.voter) at height \(vote.height)"
            )
        }
        if let closedAt = proposal.closedAt { Swift.print("  closed at: height \(closedAt)") }
    }

    /// A certificate file as DER: PEM (`CERTIFICATE`) or raw DER.
    static func readCertificate(_ path: String) throws -> [UInt8] {
        let bytes = try CLI.readBytes(path)
        if let text = String(bytes: bytes, encoding: .utf8), text.contains("-----BEGIN"),
            let der = PEMBlock.decode(text, label: "CERTIFICATE")
        {
            return der
        }
        return bytes
    }

    /// `TYPE=ORG1,ORG2` (sorted and deduplicated here, as the change requires).
    static func parseTrustedIssuers(_ text: String) throws -> GovernanceChange {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw ValidationError("--set-trusted-issuers takes TYPE=ORG1,ORG2 (or TYPE= to trust only the registering issuer).")
        }
        let organizations = Set(parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return .setTrustedIssuers(certificateType: parts[0], organizations: organizations.filter { !$0.isEmpty }.sorted())
    }

    /// `RESOURCE=RULE[:ROLE]`.
    static func parsePolicy(_ text: String) throws -> GovernanceChange {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let resource = GovernedResource(name: parts[0]) else {
            let names = GovernedResource.allCases.map(\.name).joined(separator: ", ")
            throw ValidationError("--set-policy takes RESOURCE=RULE[:ROLE]; resources: \(names).")
        }
        let ruleAndRole = parts[1].split(separator: ":", maxSplits: 1).map(String.init)
        var role: Role?
        if ruleAndRole.count == 2 {
            guard let named = Role(name: ruleAndRole[1]) else {
                throw ValidationError("Unknown role '\(ruleAndRole[1])'.")
            }
            role = named
        }
        guard let policy = GovernancePolicy(ruleText: ruleAndRole[0], role: role) else {
            throw ValidationError("A rule is any, majority, all or a number n (n of the organizations).")
        }
        return .setPolicy(resource, policy)
    }
}
