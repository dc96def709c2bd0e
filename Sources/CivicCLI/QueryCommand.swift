import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic query`: read the ledger, with proofs.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Read transactions, blocks and state (with proofs).",
        subcommands: [Transaction.self, Evidence.self, Identity.self, KeyValue.self, Misbehavior.self, Block.self])

    static func parseHash(_ text: String) throws -> Hash256 {
        guard let bytes = Hex.decode(text), let hash = Hash256(validating: bytes) else {
            throw ValidationError("'\(text)' is not a 64-digit hexadecimal hash.")
        }
        return hash
    }

    /// Prints a state answer and saves its proof if asked.
    static func report(_ response: StateResponse, options: NodeOptions, proofOut: String?) throws {
        if let proofOut, let data = Data(base64Encoded: response.proof) { try CLI.write(Array(data), to: proofOut) }
        if options.json { return CLI.printJSON(response) }
        print("present:    \(response.present)  (proved against the state root of height \(response.height))")
        for (key, value) in (response.decoded ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("  \(key): \(key.hasSuffix("time_ms") ? CLI.time(UInt64(value) ?? 0) : value)")
        }
        if response.decoded == nil, let value = response.value { print("  value: \(value)") }
        if let proofOut { print("proof:      \(proofOut)  (check with: civic verify \(proofOut) --genesis genesis.json)") }
    }

    static func run<T>(_ body: () async throws(ClientError) -> T) async throws -> T {
        do { return try await body() } catch { throw CLI.failure(error) }
    }

    /// `civic query tx`.
    struct Transaction: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tx", abstract: "A committed transaction, its receipt and proof.")

        @Argument(help: "The transaction hash.")
        var hash: String

        @Option(help: "Save the proof file here.")
        var proofOut: String?

        @OptionGroup var node: NodeOptions

        func run() async throws {
            let hash = try QueryCommand.parseHash(hash)
            let response = try await QueryCommand.run { () async throws(ClientError) in try await node.client.transaction(hash) }
            if let proofOut, let data = Data(base64Encoded: response.proof) { try CLI.write(Array(data), to: proofOut) }
            if node.json { return CLI.printJSON(response) }
            print("transaction: \(response.transaction.hash)")
            print("call:        \(response.transaction.contract).\(response.transaction.method) by \(response.transaction.signerAddress)")
            print("block:       \(response.header.height) at \(CLI.time(response.header.timeMs)), index \(response.index)")
            print("receipt:     \(response.receipt.status)\(response.receipt.code.map { " (\($0))" } ?? "")")
            if response.receipt.gasUsed > 0 { print("gas used:    \(response.receipt.gasUsed)") }
            print("certified:   by \(response.certificate.signatures.compactMap(\.validator).joined(separator: ", "))")
            if let proofOut { print("proof:       \(proofOut)") }
        }
    }

    /// `civic query evidence`.
    struct Evidence: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether and when a file's fingerprint was recorded.")

        @Argument(help: "The file (its fingerprint is computed locally).")
        var file: String?

        @Option(help: "A fingerprint in hex instead of a file.")
        var fingerprint: String?

        @Option(help: "Fingerprint algorithm: sm3 or sha256 (default: the chain's hash).")
        var algorithm: String?

        @Option(help: "Save the state proof file here.")
        var proofOut: String?

        @OptionGroup var node: NodeOptions

        func run() async throws {
            let info = try await QueryCommand.run { () async throws(ClientError) in try await node.client.chainInfo() }
            let name = algorithm ?? (info.suite == "sm" ? "sm3" : "sha256")
            guard let algorithm = FingerprintAlgorithm(name: name) else { throw ValidationError("--algorithm must be sm3 or sha256.") }
            let digest: Hash256
            if let fingerprint { digest = try QueryCommand.parseHash(fingerprint) } else if let file {
                digest = algorithm.suite.hash(try CLI.readBytes(file))
            } else {
                throw ValidationError("Give a FILE or --fingerprint.")
            }
            let response = try await QueryCommand.run { () async throws(ClientError) in
                try await node.client.evidence(algorithm: algorithm.name, fingerprint: digest)
            }
            if !node.json { print("fingerprint: \(algorithm.name):\(digest.hex)") }
            try QueryCommand.report(response, options: node, proofOut: proofOut)
        }
    }

    /// `civic query identity`.
    struct Identity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A registered identity.")

        @Argument(help: "The identity's address (40 hex digits).")
        var address: String

        @Option(help: "Save the state proof file here.")
        var proofOut: String?

        @OptionGroup var node: NodeOptions

        func run() async throws {
            guard let address = Address(hex: address) else { throw ValidationError("An address is 40 hexadecimal digits.") }
            let response = try await QueryCommand.run { () async throws(ClientError) in try await node.client.identity(address) }
            try QueryCommand.report(response, options: node, proofOut: proofOut)
        }
    }

    /// `civic query kv`.
    struct KeyValue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "kv", abstract: "A key-value entry of an owner.")

        @Argument(help: "The owner's address.")
        var owner: String

        @Argument(help: "The key (text).")
        var keyName: String

        @Option(help: "Save the state proof file here.")
        var proofOut: String?

        @OptionGroup var node: NodeOptions

        func run() async throws {
            guard let owner = Address(hex: owner) else { throw ValidationError("An address is 40 hexadecimal digits.") }
            let response = try await QueryCommand.run { () async throws(ClientError) in
                try await node.client.keyValue(owner: owner, key: Array(keyName.utf8))
            }
            try QueryCommand.report(response, options: node, proofOut: proofOut)
        }
    }

    /// `civic query misbehavior`.
    struct Misbehavior: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validators recorded for equivocation (two conflicting signed votes), newest first.")

        @Option(help: "Only this validator (name or index).")
        var validator: String?

        @OptionGroup var node: NodeOptions

        func run() async throws {
            let response = try await QueryCommand.run { () async throws(ClientError) in
                try await node.client.misbehavior(validator: validator)
            }
            if node.json { return CLI.printJSON(response) }
            let shown = response.records.count < response.total ? " (newest \(response.records.count) shown)" : ""
            print("records: \(response.total)\(shown)")
            for record in response.records {
                let field = { (name: String) in record.decoded?[name] ?? "?" }
                print("\(field("validator")) #\(field("validator_index")) (\(field("organization"))): "
                      + "\(field("kind")) at height \(field("height")) round \(field("round"))")
                print("  blocks:   \(field("first_block_hash")) / \(field("second_block_hash"))")
                print("  reported: by \(field("reporter")) at height \(field("reported_at")), "
                      + "\(CLI.time(UInt64(field("reported_time_ms")) ?? 0))")
            }
        }
    }

    /// `civic query block`.
    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A block by height, hash or 'latest'.")

        @Argument(help: "Height, hash or 'latest'.")
        var id: String = "latest"

        @OptionGroup var node: NodeOptions

        func run() async throws {
            let response = try await QueryCommand.run { () async throws(ClientError) in try await node.client.block(id) }
            if node.json { return CLI.printJSON(response) }
            let header = response.header
            print("block \(header.height)  \(header.hash)")
            print("time:         \(CLI.time(header.timeMs))")
            print("transactions: \(header.transactionCount)")
            print("state root:   \(header.stateRoot)")
            print("certified by: \(response.certificate?.signatures.compactMap(\.validator).joined(separator: ", ") ?? "genesis file")")
        }
    }
}
