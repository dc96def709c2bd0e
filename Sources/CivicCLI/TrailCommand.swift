import ArgumentParser
import CivicApps
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic trail`: the usage trail — who accessed a resource, what a department used and why, every access naming a
/// citizen or company — each row provable offline (Docs/0016, "Usage trail").
struct TrailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trail", abstract: "Who accessed a resource, what a department used, every access naming a subject.",
        discussion: """
            With --proofs DIR each row's proof file is saved in DIR and checked offline against --genesis (as civic \
            verify does), together with the row itself: exit code 3 if any row is not backed by its proof.
            """,
        subcommands: [Resource.self, Department.self, Subject.self, Provider.self])

    /// `civic trail resource ID`.
    struct Resource: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every access to a data resource, and its requests.")
        @Argument(help: "The resource id, e.g. civil-affairs.marriage-records.") var id: String
        @OptionGroup var options: TrailOptions
        @OptionGroup var node: NodeOptions
        func run() async throws { try await options.run(.resource, key: id, node: node) }
    }

    /// `civic trail department ORG`.
    struct Department: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The resources a department used, with purpose and service item, and its accesses.")
        @Argument(help: "The department (organization), e.g. housing.") var organization: String
        @OptionGroup var options: TrailOptions
        @OptionGroup var node: NodeOptions
        func run() async throws { try await options.run(.department, key: organization, node: node) }
    }

    /// `civic trail provider ORG`.
    struct Provider: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every access to a department's resources.")
        @Argument(help: "The providing department (organization).") var organization: String
        @OptionGroup var options: TrailOptions
        @OptionGroup var node: NodeOptions
        func run() async throws { try await options.run(.provider, key: organization, node: node) }
    }

    /// `civic trail subject`.
    struct Subject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every access naming a citizen or company, by salted fingerprint.",
            discussion: """
                The identifier is fingerprinted here (HMAC with the chain's hash, keyed with the salt file the \
                departments share; spaces removed, letters upper-cased) and never sent to the node.
                """)
        @Option(help: "The ID card number or unified social credit code (fingerprinted locally).") var identifier: String?
        @Option(help: "The shared salt file (its bytes; one trailing newline is ignored).") var saltFile: String?
        @Option(help: "The subject's fingerprint, 64 hex digits (instead of --identifier).") var fingerprint: String?
        @OptionGroup var options: TrailOptions
        @OptionGroup var node: NodeOptions

        func validate() throws {
            guard (identifier == nil) != (fingerprint == nil) else {
                throw ValidationError("Give either --identifier with --salt-file, or --fingerprint.")
            }
            if identifier != nil && saltFile == nil { throw ValidationError("--identifier needs --salt-file.") }
        }

        func run() async throws {
            if let fingerprint {
                guard let bytes = Hex.decode(fingerprint), bytes.count == 32 else {
                    throw ValidationError("--fingerprint must be 64 hexadecimal digits.")
                }
                return try await options.run(.subject, key: Hex.encode(bytes), node: node)
            }
            guard let identifier, let saltFile else { return }
            let suite = try await options.suite(node: node)
            let key = SubjectFingerprint.make(identifier: identifier, salt: try CLI.readSalt(saltFile), suite: suite).hex
            try await options.run(.subject, key: key, node: node)
        }
    }
}

/// Options of every `civic trail` question.
struct TrailOptions: ParsableArguments {
    @Option(help: "Only rows from this time on: milliseconds since 1970 or ISO 8601 (2025-06-01T00:00:00Z).")
    var since: String?

    @Option(help: "Only rows up to this time (inclusive): milliseconds since 1970 or ISO 8601.")
    var until: String?

    @Option(help: "Most rows to print (pages are followed).")
    var limit: Int = 100

    @Option(help: "Save each row's proof file in this directory and check it offline against --genesis.")
    var proofs: String?

    @Option(help: "The chain's genesis file (needed with --proofs).")
    var genesis: String?

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if proofs != nil && genesis == nil { throw ValidationError("--proofs needs --genesis to check the proofs against.") }
    }

    /// The chain's suite: from --genesis when given, otherwise as the node says.
    func suite(node: NodeOptions) async throws -> CryptoSuite {
        if let genesis { return try loadGenesis(genesis).suite }
        let info = try await QueryCommand.run { () async throws(ClientError) in try await node.client.chainInfo() }
        guard let suite = CryptoSuite(name: info.suite) else { throw CLIError(description: "Unknown suite '\(info.suite)'.") }
        return suite
    }

    func loadGenesis(_ path: String) throws -> Genesis {
        do { return try GenesisFile.load(path: path) } catch { throw CLIError(description: error.description) }
    }

    /// Asks the question page by page, prints the answer, and checks the proofs when asked.
    func run(_ question: TrailQuestion, key: String, node: NodeOptions) async throws {
        let since = try since.map { try Self.time($0, option: "--since") }
        let until = try until.map { try Self.time($0, option: "--until") }
        var answer = try await QueryCommand.run { () async throws(ClientError) in
            try await node.client.trail(question, key: key, since: since, until: until, limit: min(limit, 100),
                                        proofs: proofs != nil)
        }
        var rows = answer.rows
        while rows.count < limit, let cursor = answer.nextCursor {
            answer = try await QueryCommand.run { () async throws(ClientError) in
                try await node.client.trail(question, key: key, since: since, until: until,
                                            limit: min(limit - rows.count, 100), cursor: cursor, proofs: proofs != nil)
            }
            rows += answer.rows
        }
        answer.rows = Array(rows.prefix(limit))
        var verified: (Int, [String])?
        if let proofs, let genesis { verified = try check(answer.rows, directory: proofs, genesis: loadGenesis(genesis)) }
        if node.json {
            CLI.printJSON(answer)
        } else {
            TrailTable.print(answer, truncated: answer.nextCursor != nil)
            if let verified {
                let (count, failures) = verified
                print("proofs: \(count) of \(answer.rows.count) rows verified offline against the genesis file "
                      + "(saved in \(proofs ?? ""))")
                for failure in failures { print("  NOT VERIFIED: \(failure)") }
            }
        }
        if let verified, !verified.1.isEmpty { throw CivicExit.verificationFailed }
    }

    /// Saves each row's proof as `DIR/<H.T.E>.civicproof` and checks it with the row.
    private func check(_ rows: [TrailRowView], directory: String, genesis: Genesis) throws -> (Int, [String]) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var verified = 0
        var failures: [String] = []
        for row in rows {
            do {
                let bytes = try TrailProofCheck.proofBytes(of: row)
                try CLI.write(bytes, to: directory + "/\(row.position).civicproof")
                _ = try TrailProofCheck.verify(row, proofBytes: bytes, genesis: genesis)
                verified += 1
            } catch let error as TrailProofError {
                failures.append("\(row.position): \(error.description) [\(error.code)]")
            }
        }
        return (verified, failures)
    }

    /// Milliseconds since 1970, or an ISO 8601 time.
    static func time(_ text: String, option: String) throws -> UInt64 {
        if let value = UInt64(text) { return value }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text), date.timeIntervalSince1970 >= 0 {
                return UInt64(date.timeIntervalSince1970 * 1000)
            }
        }
        throw ValidationError("\(option) must be milliseconds since 1970 or an ISO 8601 time such as 2025-06-01T00:00:00Z.")
    }
}

/// The human-readable form of a trail answer.
enum TrailTable {
    static func print(_ answer: TrailResponse, truncated: Bool) {
        Swift.print("trail of \(answer.question.rawValue) \(answer.key): \(answer.rows.count) rows"
                    + " (index at height \(answer.indexedHeight) of \(answer.headHeight))")
        if let usage = answer.resources {
            Swift.print("resources used:")
            if usage.isEmpty { Swift.print("  (none)") }
            for line in usage {
                Swift.print("  \(line.resource) from \(line.provider): \(line.uses) uses, \(line.refusals) refused, "
                            + "\(CLI.time(line.firstTimeMs)) … \(CLI.time(line.lastTimeMs))")
                Swift.print("    for \(line.serviceItem): \(line.purpose)")
            }
        }
        if answer.rows.isEmpty { return Swift.print("(no rows)") }
        Swift.print(["TIME", "POSITION", "EVENT", "#", "RESOURCE", "PROVIDER", "CONSUMER", "OUTCOME", "SERVICE ITEM",
                     "FIELDS"].joined(separator: "  "))
        for row in answer.rows {
            Swift.print([CLI.time(row.timeMs), row.position, row.event, String(row.number), row.resource, row.provider,
                         "\(row.consumerOrganization)/\(row.consumer.prefix(8))", row.outcome,
                         row.serviceItem.isEmpty ? "-" : row.serviceItem, row.fields.joined(separator: ",")]
                .joined(separator: "  "))
            var details: [String] = []
            if !row.purpose.isEmpty { details.append("purpose: \(row.purpose)") }
            if !row.served.isEmpty { details.append("served \(row.rows) rows, fingerprint \(row.served.prefix(16))…") }
            if !row.subjects.isEmpty { details.append("\(row.subjects.count) subjects") }
            details.append("tx \(row.transactionHash.prefix(16))…")
            Swift.print("    " + details.joined(separator: "; "))
        }
        if truncated { Swift.print("(more rows: raise --limit or narrow --since/--until)") }
    }
}
