import ArgumentParser
import CivicApps
import CivicClient
import CivicCrypto
import CivicLedger
import Foundation

/// `civic gateway`: use a provider's exchange gateway (Docs/0016, "Exchange gateway").
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Fetch granted data from a provider's exchange gateway.", subcommands: [Fetch.self])

    /// `civic gateway fetch`.
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch rows of a granted resource, sealed to your key, with the access recorded on chain.",
            discussion: """
                Signs the request with --key (a registered identity of the grant's consuming department), opens \
                the answer with the same key, and checks that the fingerprint of what was opened is the one the \
                chain recorded for the access. The rows are printed as JSON (or written to --out).
                """)

        @Option(help: "The provider node's API URL (its exchange gateway).")
        var gateway: String

        @Option(help: "The resource's id.")
        var resource: String

        @Option(help: "The grant (request number).")
        var grant: UInt64

        @Option(help: "Fields wanted, comma-separated (default: every field of the grant).")
        var fields: String?

        @Option(name: .customLong("where"), help: "An equality condition FIELD=VALUE (repeatable).")
        var conditions: [String] = []

        @Option(help: "Most rows (default and maximum: \(CatalogContract.subjectsPerAccessMax)).")
        var limit: UInt32 = 0

        @Option(help: "Your private key (PEM).")
        var key: String

        @Option(help: "Write the rows (canonical JSON, as sealed) here instead of printing them.")
        var out: String?

        @Option(help: "A node to read the access record from (default: the gateway's node).")
        var node: String?

        func run() async throws {
            let filter = try conditions.map { text in
                guard let condition = FieldCondition(parsing: text) else {
                    throw ValidationError("--where must be FIELD=VALUE with a field of a-z, 0-9 and _; got '\(text)'.")
                }
                return condition
            }
            let fieldList = fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            let key = try CLI.loadKey(key)
            let client = NodeClient(baseURL: gateway)
            let result: FetchResult
            do {
                result = try await client.fetch(resource: resource, grant: grant, fields: fieldList, filter: filter,
                                                limit: limit, key: key, ledger: node.map { NodeClient(baseURL: $0) })
            } catch {
                throw CLI.failure(error)
            }
            if let out {
                try CLI.write(result.plaintext, to: out)
            } else {
                print(String(decoding: result.plaintext, as: UTF8.self))
            }
            FileHandle.standardError.write(Data("""
                \(result.rows.count) row(s) of \(resource) under grant \(grant); access \(result.access) recorded by \
                transaction \(result.transaction.hex) at height \(result.height); fingerprint \
                \(key.suite.hash(result.plaintext).hex) matches the chain.\(out.map { " Written to \($0)." } ?? "")

                """.utf8))
        }
    }
}
