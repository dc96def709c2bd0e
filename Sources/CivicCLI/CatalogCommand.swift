import ArgumentParser
import CivicApps
import CivicClient
import CivicCodec
import CivicFormats
import CivicLedger
import Foundation

/// `civic catalog`: the data catalog (目录) — publish, browse, withdraw (Docs/0016).
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Publish and browse the data catalog.",
        subcommands: [Publish.self, Withdraw.self, List.self, Show.self])

    /// `civic catalog publish FILE`.
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "Publish a data resource (or the next version of one of your department's).",
            discussion: """
                FILE is JSON: {"id", "title", "description", "fields": [{"name", "type", "sensitivity", \
                "description"}], "update_frequency", "share_type" (unconditional | conditional | not_shared), \
                "conditions" (conditional only), "gateway"}. Types: string, integer, decimal, date, boolean, binary. \
                Sensitivity: open, internal, sensitive, personal.
                """)

        @Argument(help: "The resource's JSON file.")
        var file: String

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            let draftFile: ResourceDraftFile
            do {
                draftFile = try JSONFormat.decoder.decode(ResourceDraftFile.self, from: Data(try CLI.readBytes(file)))
            } catch let error as DecodingError {
                throw CLIError(description: "\(file) is not a resource file: \(error)", exitCode: .validationFailure)
            }
            let draft: ResourceDraft
            do { draft = try draftFile.draft() } catch {
                throw CLIError(description: "\(file): \(error)", exitCode: .validationFailure)
            }
            _ = try await TxCommand.send(TransactionBuilder.publishResource(draft), options: signing)
        }
    }

    /// `civic catalog withdraw ID`.
    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdraw", abstract: "Withdraw your department's resource: no new requests; grants run out.")

        @Argument(help: "The resource's id.")
        var id: String

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws { _ = try await TxCommand.send(TransactionBuilder.withdrawResource(id), options: signing) }
    }

    /// `civic catalog list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Browse and search the catalog.")

        @Option(help: "Only this department's resources.")
        var organization: String?

        @Option(help: "Only this share type: unconditional, conditional or not_shared.")
        var shareType: String?

        @Option(help: "Only resources with a field of this name.")
        var field: String?

        @Option(help: "Only resources whose id, title or description contains this text.")
        var search: String?

        @Option(help: "At most this many (1-200).")
        var limit: Int = 50

        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let list = try await node.client.resources(NodeClient.ResourceFilter(
                    organization: organization, shareType: shareType, field: field, text: search, limit: limit))
                if node.json { return CLI.printJSON(list) }
                for resource in list.resources { CatalogCommand.describe(resource, fields: false) }
                if let next = list.next { Swift.print("(more after '\(next)')") }
            } catch {
                throw CLI.failure(error)
            }
        }
    }

    /// `civic catalog show ID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a resource with its schema.")

        @Argument(help: "The resource's id.")
        var id: String

        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let resource = try await node.client.resource(id)
                if node.json { return CLI.printJSON(resource) }
                CatalogCommand.describe(resource, fields: true)
            } catch {
                throw CLI.failure(error)
            }
        }
    }

    static func describe(_ resource: ResourceView, fields: Bool) {
        Swift.print("\(resource.id) v\(resource.version) [\(resource.shareType)] \(resource.title) — \(resource.organization)"
                    + (resource.withdrawn ? " (withdrawn)" : ""))
        guard fields else { return }
        Swift.print("  description: \(resource.description)")
        if !resource.conditions.isEmpty { Swift.print("  conditions:  \(resource.conditions)") }
        Swift.print("  updated:     \(resource.updateFrequency); gateway \(resource.gateway)")
        Swift.print("  published:   height \(resource.height), \(CLI.time(resource.time)) by \(resource.publishedBy)")
        for field in resource.fields {
            Swift.print("  field:       \(field.name) \(field.type) \(field.sensitivity)"
                        + (field.description.isEmpty ? "" : " — \(field.description)"))
        }
    }
}

/// `civic share`: requests, grants and recorded accesses (Docs/0016).
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share", abstract: "Request data, decide requests, and look up grants and accesses.",
        subcommands: [Request.self, Decide.self, List.self, Show.self, Access.self])

    /// `civic share request`.
    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: "Request a resource for your department; prints the request number.",
            discussion: "Unconditional resources are granted at once, conditional ones wait for the owner, not-shared ones are refused.")

        @Option(help: "The resource's id.")
        var resource: String

        @Option(help: "The fields wanted, comma-separated (default: every field).")
        var fields: String?

        @Option(help: "Why the data is needed.")
        var purpose: String

        @Option(help: "The service item (事项) it is used for, e.g. housing.purchase-qualification.")
        var serviceItem: String

        @Option(help: "How many days the grant should last once approved (1-366).")
        var days: UInt64 = 30

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            guard (1...366).contains(days) else { throw ValidationError("--days is 1 to 366.") }
            let draft = RequestDraft(resource: resource, fields: fields.map { $0.split(separator: ",").map(String.init) } ?? [],
                                     purpose: purpose, serviceItem: serviceItem, durationMilliseconds: days * 86_400_000)
            let response = try await TxCommand.send(TransactionBuilder.requestResource(draft), options: signing)
            if let data = response.receipt.flatMap({ Hex.decode($0.returnData) }), data.count == 8, !signing.node.json {
                Swift.print("request:     \(data.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })")
            }
        }
    }

    /// `civic share approve|reject|revoke N`.
    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide", abstract: "Approve or reject a pending request, or revoke a grant (owner's staff).")

        @Argument(help: "approve, reject or revoke.")
        var decision: TransactionBuilder.RequestDecision

        @Argument(help: "The request number.")
        var id: UInt64

        @Option(help: "The note (approval) or reason (rejection, revocation), kept on chain.")
        var note: String = ""

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            if decision != .approve, note.isEmpty { throw ValidationError("Give the reason with --note.") }
            _ = try await TxCommand.send(TransactionBuilder.decideRequest(decision, id: id, note: note), options: signing)
        }
    }

    /// `civic share list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the newest requests and grants.")

        @Option(help: "Only requests where this department is the provider or the consumer.")
        var organization: String?

        @Option(help: "Only this status: pending, granted, rejected or revoked.")
        var status: String?

        @Option(help: "At most this many (1-200).")
        var limit: Int = 50

        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let list = try await node.client.shareRequests(organization: organization, status: status, limit: limit)
                if node.json { return CLI.printJSON(list) }
                for request in list.requests { ShareCommand.describe(request, detail: false) }
            } catch {
                throw CLI.failure(error)
            }
        }
    }

    /// `civic share show N`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a request or grant.")

        @Argument(help: "The request number.")
        var id: UInt64

        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let request = try await node.client.shareRequest(id)
                if node.json { return CLI.printJSON(request) }
                ShareCommand.describe(request, detail: true)
            } catch {
                throw CLI.failure(error)
            }
        }
    }

    /// `civic share access N`.
    struct Access: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "access", abstract: "Show a recorded access.")

        @Argument(help: "The access number.")
        var id: UInt64

        @OptionGroup var node: NodeOptions

        func run() async throws {
            do {
                let access = try await node.client.access(id)
                if node.json { return CLI.printJSON(access) }
                Swift.print("#\(access.id) \(access.outcome) \(access.resource) grant \(access.grant): \(access.provider) → "
                            + "\(access.consumerOrganization) (\(access.consumer))")
                Swift.print("  fields:      \(access.fields.joined(separator: ", ")); rows \(access.rows)")
                if !access.served.isEmpty { Swift.print("  served:      \(access.served)") }
                Swift.print("  subjects:    \(access.subjects.count)")
                Swift.print("  recorded:    height \(access.height), \(CLI.time(access.time)), transaction \(access.transaction)")
            } catch {
                throw CLI.failure(error)
            }
        }
    }

    static func describe(_ request: ShareRequestView, detail: Bool) {
        Swift.print("#\(request.id) \(request.status)\(request.active ? " (active)" : "") \(request.resource): "
                    + "\(request.provider) → \(request.consumer) for \(request.serviceItem)")
        guard detail else { return }
        Swift.print("  fields:      \(request.fields.joined(separator: ", "))")
        Swift.print("  purpose:     \(request.purpose)")
        Swift.print("  requested:   \(CLI.time(request.requestedAt)) by \(request.requestedBy)")
        if let decidedBy = request.decidedBy, let decidedAt = request.decidedAt {
            Swift.print("  decided:     \(CLI.time(decidedAt)) by \(decidedBy)" + (request.note.isEmpty ? "" : " — \(request.note)"))
        }
        if request.expiresAt > 0 { Swift.print("  expires:     \(CLI.time(request.expiresAt))") }
    }
}

extension TransactionBuilder.RequestDecision: ExpressibleByArgument {}
