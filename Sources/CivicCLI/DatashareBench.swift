import ArgumentParser
import CivicAPI
import CivicApps
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic bench datashare`: government data sharing at a city's scale (Docs/0005, "Government data sharing").
struct DatashareBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datashare",
        abstract: "Load a synthetic city through the API, then measure grant checks, gateway accesses, certificate verifications and trail queries.",
        discussion: """
            Starts a one-validator node on a fresh SQLite ledger, generates the providers' off-chain rows (people and \
            companies with synthetic ID numbers and credit codes) into a SQLite table file, loads departments, catalog, \
            service items with their grants, certificate types, certificates and holders' authorizations as signed \
            transactions through the HTTP API, then runs mixed traffic for --duration seconds per round. Prints each \
            operation's rate and p50/p99 latency (median of the rounds), the ledger bytes per access event, and the trail \
            queries' p99 against the bound of 100 ms.
            """)

    // `--suite` belongs to the parent `civic bench`, which parses it first.
    @Option(help: "The chain's suite: sm or intl.")
    var chainSuite: String = "sm"

    @Option(help: "Departments (organizations).")
    var departments: Int = 49

    @Option(help: "Service items: one request and grant each, between two departments.")
    var serviceItems: Int = 1_600

    @Option(help: "Certificate types.")
    var certificateTypes: Int = 600

    @Option(help: "Certificates issued on chain (each to its own holder, who authorizes one verifying department).")
    var certificates: Int = 20_000

    @Option(help: "People in the gateway's off-chain table.")
    var people: Int = 8_300_000

    @Option(help: "Companies in the gateway's off-chain table.")
    var companies: Int = 250_000

    @Option(help: "Seconds of mixed traffic per round.")
    var duration: Double = 30

    // NodeClient's pool keeps 16 connections per host; more workers than that wait for a connection in the client.
    @Option(help: "Concurrent closed-loop workers, a third of each kind (at most 15 keeps them below the client's 16 connections).")
    var concurrency: Int = 15

    @Option(help: "Rounds of traffic (the median is reported).")
    var rounds: Int = 3

    @Option(help: "Rows the trail index should hold when queried; synthetic access rows are inserted to reach it.")
    var trailRows: Int = 1_000_000

    @Option(help: "Queries per trail question.")
    var trailQueries: Int = 1_000

    // `--json` belongs to the parent `civic bench`, which parses it first.
    @Option(help: "Output: text or json.")
    var output: String = "text"

    /// The bound on a trail query's p99.
    static let trailBoundMilliseconds = 100.0

    func validate() throws {
        guard CryptoSuite(name: chainSuite) != nil else { throw ValidationError("--chain-suite must be sm or intl.") }
        guard departments >= 2 else { throw ValidationError("--departments must be at least 2.") }
        guard serviceItems >= 2, certificateTypes >= 1, certificates >= 1, people >= 1, companies >= 1 else {
            throw ValidationError("--service-items must be at least 2; the other counts at least 1.")
        }
        guard duration > 0, concurrency >= 3, rounds >= 1 else {
            throw ValidationError("--duration must be positive, --concurrency at least 3, --rounds at least 1.")
        }
        guard ["text", "json"].contains(output) else { throw ValidationError("--output must be text or json.") }
    }

    func run() async throws {
        let counts = DatashareCity.Counts(departments: departments, serviceItems: serviceItems, certificateTypes: certificateTypes,
                                          certificates: certificates, people: people, companies: companies)
        let report = try await DatashareBench(suite: CryptoSuite(name: chainSuite)!, counts: counts, duration: duration,
                                              concurrency: concurrency, rounds: rounds, trailRows: trailRows,
                                              trailQueries: trailQueries, progress: output == "text").run()
        if output == "json" { CLI.printJSON(report) } else { report.print() }
        if report.trail.contains(where: { !$0.withinBound }) {
            throw CLIError(description: "A trail query's p99 is above \(Int(Self.trailBoundMilliseconds)) ms.")
        }
    }
}

/// One `civic bench datashare` run.
struct DatashareBench {
    let suite: CryptoSuite
    let counts: DatashareCity.Counts
    let duration: Double
    let concurrency: Int
    let rounds: Int
    let trailRows: Int
    let trailQueries: Int
    let progress: Bool

    func run() async throws -> DatashareBenchReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-bench-datashare-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keep = ProcessInfo.processInfo.environment["CIVIC_BENCH_KEEP"] != nil
        defer {
            if keep { FileHandle.standardError.write(Data("bench files kept in \(directory)\n".utf8)) } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        // The salt file as `civic devnet` writes it (64 hex digits); its bytes are the salt.
        let saltFile = Array(Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255) }).utf8)
        try CLI.write(saltFile, to: directory + "/subject-salt")
        let city = DatashareCity(counts: counts, suite: suite, salt: SubjectFingerprint.salt(fileBytes: saltFile))

        // The providers' off-chain rows.
        let registryPath = directory + "/gateway-tables.sqlite"
        let offChainStarted = ContinuousClock.now
        try OffChainRegistry(path: registryPath, create: true).generate(people: counts.people, companies: counts.companies) { table, row in
            if progress && isatty(STDOUT_FILENO) == 1 { Swift.print("\rgenerating \(table): \(row)          ", terminator: "") }
        }
        let offChainSeconds = ContinuousClock.now.seconds(since: offChainStarted)
        if progress { Swift.print(String(format: "\rgenerated %d off-chain rows in %.1f s        ", counts.people + counts.companies, offChainSeconds)) }

        // The node.
        let validator = PrivateKey.generate(suite: suite)
        let admin = PrivateKey.generate(suite: suite)
        try CLI.writePrivate(validator.pemRepresentation, to: directory + "/validator.pem")
        let genesis = try GenesisCommand.make(
            chainID: "civic-bench-datashare", suite: suite, validators: [("validator", "nanjing-big-data", validator.publicKey)],
            admins: [("city-admin", "nanjing-big-data", admin.publicKey)],
            parameters: ChainParameters(blockTransactionsMax: 5_000, blockIntervalMilliseconds: 100))
        try GenesisFile.write(genesis, to: directory + "/genesis.json")
        let keys = try await DatashareLoader.generateKeys(suite: suite, staff: counts.departments, holders: counts.certificates)
        let gatewayConfig = try writeGatewayConfiguration(directory, key: keys.gateways[Self.gatewayDepartment], city: city,
                                                          tables: registryPath)
        var (node, client) = try await startNode(directory, gatewayConfig: gatewayConfig)
        defer { if node.isRunning { kill(node.processIdentifier, SIGKILL) } }

        // The city, through the API.
        let loadStarted = ContinuousClock.now
        let loaded = try await DatashareLoader(client: client, builder: TransactionBuilder(chainID: genesis.chainID, key: admin),
                                               city: city, keys: keys, gatewayURL: client.baseURL, progress: progress).load()
        let loadSeconds = ContinuousClock.now.seconds(since: loadStarted)

        // The traffic.
        let accessesBefore = try await counter(client, "catalog/next/access")
        let checksBefore = try await counter(client, "certificates/next/check")
        let storeBefore = Self.directoryBytes(directory + "/data")
        let heightBefore = try await client.chainInfo().height
        let access = DatashareAccessPath(client: client, chainID: genesis.chainID, city: city, keys: loaded.keys,
                                         provider: Self.gatewayDepartment)
        let traffic = DatashareTraffic(client: client, chainID: genesis.chainID, city: city, keys: loaded.keys,
                                       grants: loaded.grants, access: access, concurrency: concurrency)
        var perRound: [[DatashareTraffic.Kind: DatashareTraffic.Samples]] = []
        for round in 0..<rounds {
            let started = ContinuousClock.now
            perRound.append(await traffic.round(seconds: duration))
            if progress { Swift.print(String(format: "traffic round %d of %d: %.1f s", round + 1, rounds, ContinuousClock.now.seconds(since: started))) }
        }
        while try await client.chainInfo().pendingTransactions > 0 { try await Task.sleep(for: .milliseconds(20)) }
        let accessesAfter = try await counter(client, "catalog/next/access")
        let checksAfter = try await counter(client, "certificates/next/check")
        let committedTraffic = try await trafficTransactions(client, after: heightBefore)
        let storeAfter = Self.directoryBytes(directory + "/data")
        let accessBytes = try await measureAccessBytes(client, ids: Array((accessesBefore + 1)...max(accessesBefore + 1, accessesAfter)))


        // The trail: wait for the index, stop the node, fill the index up to --trail-rows, restart, ask.
        try await DatashareTrail.waitUntilIndexed(client)
        await LocalProcess.stop(node)
        let trail = DatashareTrail(city: city, grants: loaded.grants, keys: loaded.keys)
        let fill = try trail.fill(path: directory + "/data/" + TrailIndex.fileName, target: trailRows)
        if progress {
            Swift.print(String(format: "trail index: %d rows from the chain, %d synthetic rows inserted in %.1f s",
                               fill.existingRows, fill.insertedRows, fill.seconds))
        }
        (node, client) = try await startNode(directory, gatewayConfig: gatewayConfig)
        let trailAnswers = try await trail.measure(client, count: trailQueries, knownSubjects: fill.knownSubjects,
                                                   bound: DatashareBenchCommand.trailBoundMilliseconds)
        await LocalProcess.stop(node)
        let operations = DatashareTraffic.Kind.allCases.map { kind in summarize(kind, perRound.map { $0[kind] ?? .init() }) }
        return DatashareBenchReport(
            suite: suite.name,
            loaded: .init(counts: counts, resources: counts.departments * DatashareCity.ResourceKind.allCases.count,
                          grants: loaded.grants.count, approvals: loaded.approvals, certificateHolders: loaded.keys.holders.count,
                          transactions: loaded.transactions, apiLoadSeconds: loadSeconds, offChainRows: counts.people + counts.companies,
                          offChainSeconds: offChainSeconds, offChainBytes: Self.directoryBytes(registryPath)),
            concurrency: concurrency, durationSeconds: duration, rounds: rounds, accessPath: access.description,
            operations: operations, accessesRecordedOnChain: accessesAfter - accessesBefore,
            verificationsRecordedOnChain: checksAfter - checksBefore, accessBytes: accessBytes,
            storeBytesPerTrafficTransaction: Double(storeAfter - storeBefore) / Double(max(1, committedTraffic)),
            trailRows: fill.existingRows + fill.insertedRows, trailSyntheticRows: fill.insertedRows, trail: trailAnswers,
            trailNote: "GET /v1/trail/{resources,departments,subjects}/{key}, first page of 100 rows, one query at a time; "
                + "synthetic rows are catalog.access events written by the bench through TrailIndex.apply, without receipts")
    }

    /// The department whose exchange gateway runs on the bench's node: a gateway serves its own department's
    /// resources, and the bench runs one node.
    static let gatewayDepartment = 0

    /// Writes the gateway's configuration (Docs/0016, "Exchange gateway"): the department's gateway key, the salt, and
    /// its two resources with rows served from the SQLite tables at `tables`.
    private func writeGatewayConfiguration(_ directory: String, key: PrivateKey, city: DatashareCity, tables: String) throws -> String {
        try CLI.writePrivate(key.pemRepresentation, to: directory + "/gateway-key.pem")
        let department = Self.gatewayDepartment
        let resources: [String: Any] = [
            city.resourceID(department, .residents): [
                "subject_field": OffChainRegistry.peopleTable.key,
                "adapter": ["kind": "sqlite", "path": tables, "table": OffChainRegistry.peopleTable.name],
            ],
            city.resourceID(department, .enterprises): [
                "subject_field": OffChainRegistry.companiesTable.key,
                "adapter": ["kind": "sqlite", "path": tables, "table": OffChainRegistry.companiesTable.name],
            ],
        ]
        let file: [String: Any] = ["key": "gateway-key.pem", "salt_file": "subject-salt", "resources": resources]
        let path = directory + "/gateway.json"
        try CLI.write(Array(try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys])), to: path)
        return path
    }

    /// Starts the node (with the gateway) on the ledger in `directory` on a free port and waits until it serves.
    private func startNode(_ directory: String, gatewayConfig: String) async throws -> (Process, NodeClient) {
        let port = try LocalProcess.freePort()
        let url = "http://127.0.0.1:\(port)"
        let node = try LocalProcess.start(["node", "start", "--genesis", directory + "/genesis.json", "--key",
                                           directory + "/validator.pem", "--data", directory + "/data", "--listen",
                                           "127.0.0.1:\(port)", "--gateway-config", gatewayConfig, "--log-level", "warning"],
                                          logPath: directory + "/node.log", append: true)
        guard await LocalProcess.waitForHealth(url, seconds: 30) else {
            kill(node.processIdentifier, SIGKILL)
            throw CLIError(description: "The benchmark node did not start within 30 s (see \(directory)/node.log).")
        }
        return (node, NodeClient(baseURL: url))
    }

    /// The median over rounds of one kind's rate and percentiles.
    private func summarize(_ kind: DatashareTraffic.Kind, _ rounds: [DatashareTraffic.Samples]) -> DatashareBenchReport.Operation {
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let sorted = rounds.map { $0.latenciesMilliseconds.sorted() }
        return .init(kind: kind.rawValue, operationsPerSecond: median(rounds.map { Double($0.latenciesMilliseconds.count) / duration }),
                     latencyP50Milliseconds: median(sorted.map { BenchWorkload.percentile($0, 0.50) }),
                     latencyP99Milliseconds: median(sorted.map { BenchWorkload.percentile($0, 0.99) }),
                     operations: rounds.reduce(0) { $0 + $1.latenciesMilliseconds.count },
                     failures: rounds.reduce(0) { $0 + $1.failures }, positive: rounds.reduce(0) { $0 + $1.positive },
                     firstFailure: rounds.compactMap(\.firstFailure).first)
    }

    /// A contract counter (`<contract>/next/<name>`), 0 when never set.
    private func counter(_ client: NodeClient, _ key: String) async throws -> UInt64 {
        let response = try await client.state(key: Array(key.utf8))
        guard response.present, let hex = response.value, let bytes = Hex.decode(hex) else { return 0 }
        return try UInt64(canonicalBytes: bytes)
    }

    /// Transactions committed in the blocks after `height`.
    private func trafficTransactions(_ client: NodeClient, after height: UInt64) async throws -> Int {
        let top = try await client.chainInfo().height
        var count = 0
        for block in stride(from: height + 1, through: top, by: 1) {
            count += try await client.block(String(block)).transactions.count
        }
        return count
    }

    /// The canonical bytes of up to 50 access events spread over `ids`: transaction, receipt, state entry.
    private func measureAccessBytes(_ client: NodeClient, ids: [UInt64]) async throws -> DatashareBenchReport.AccessBytes {
        let sample = ids.count <= 50 ? ids : (0..<50).map { ids[$0 * ids.count / 50] }
        var transactions = 0, receipts = 0, records = 0, sampled = 0
        for id in sample {
            guard let view = try? await client.access(id), let hash = Hex.decode(view.transaction),
                  case .transaction(let proof) = try ProofFile.decode(try await client.proofFile(Hash256(bytes: hash))) else { continue }
            transactions += proof.transaction.canonicalBytes.count
            receipts += proof.receipt.canonicalBytes.count
            records += (Hex.decode(view.state.key)?.count ?? 0) + (view.state.value.flatMap(Hex.decode)?.count ?? 0)
            sampled += 1
        }
        let per = { (total: Int) in Double(total) / Double(max(1, sampled)) }
        return .init(sampled: sampled, transactionBytes: per(transactions), receiptBytes: per(receipts), recordBytes: per(records),
                     totalBytes: per(transactions + receipts + records))
    }

    /// The bytes of the files under `path` (or of the file at `path`).
    static func directoryBytes(_ path: String) -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        guard isDirectory.boolValue else {
            return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        let files = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []
        return files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + file)[.size] as? Int) ?? 0)
        }
    }
}
