import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// One benchmark run for one suite: a node process, pre-signed load, a latency prober.
struct BenchRun {
    let suite: CryptoSuite
    let transactions: Int
    let batch: Int
    let connections: Int
    let boundSeconds: Double
    let progress: Bool

    /// Whether to draw progress lines (only on a terminal).
    private var drawsProgress: Bool { progress && isatty(STDOUT_FILENO) == 1 }

    func run() async throws -> BenchResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-bench-\(suite)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keep = ProcessInfo.processInfo.environment["CIVIC_BENCH_KEEP"] != nil
        defer {
            if keep { FileHandle.standardError.write(Data("bench files kept in \(directory)\n".utf8)) } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        let validator = PrivateKey.generate(suite: suite)
        let signer = PrivateKey.generate(suite: suite)
        try CLI.writePrivate(validator.pemRepresentation, to: directory + "/validator.pem")
        let genesis = try GenesisCommand.make(
            chainID: "civic-bench", suite: suite, validators: [("validator", "bench", validator.publicKey)],
            admins: [("bench-admin", "bench", signer.publicKey)],
            parameters: ChainParameters(blockTransactionsMax: 5_000, blockIntervalMilliseconds: 100))
        try GenesisFile.write(genesis, to: directory + "/genesis.json")

        let cores = ProcessInfo.processInfo.activeProcessorCount
        let bound = SignatureThroughput.verificationsPerSecond(suite: suite, seconds: boundSeconds, threads: cores)
        let encoded = try BenchWorkload.presign(builder: TransactionBuilder(chainID: genesis.chainID, key: signer), suite: suite,
                                                count: transactions, tag: "bench", progress: progress)

        let port = try LocalProcess.freePort()
        let url = "http://127.0.0.1:\(port)"
        let node = try LocalProcess.start(["node", "start", "--genesis", directory + "/genesis.json", "--key",
                                           directory + "/validator.pem", "--data", directory + "/data", "--listen",
                                           "127.0.0.1:\(port)", "--log-level", "warning"], logPath: directory + "/node.log")
        defer { if node.isRunning { kill(node.processIdentifier, SIGKILL) } }
        let client = NodeClient(baseURL: url)
        try await waitUntilServing(client)

        let prober = LatencyProber(client: NodeClient(baseURL: url), builder: TransactionBuilder(chainID: genesis.chainID, key: signer))
        let probing = Task { await prober.run() }
        let started = ContinuousClock.now
        let refused = try await BenchWorkload.submit(encoded, to: [client], batch: batch, connections: connections)
        let committedAt = try await waitUntilCommitted(client, expected: transactions - refused, started: started)
        probing.cancel()
        let latencies = await probing.value.sorted()
        let info = try await client.chainInfo()
        await LocalProcess.stop(node)
        guard refused == 0 else { throw CLIError(description: "The node refused \(refused) benchmark transactions.") }
        let tps = Double(transactions) / committedAt.seconds(since: started)
        return BenchResult(suite: suite.name, transactions: transactions, committedTPS: tps,
                           latencyP50Milliseconds: BenchWorkload.percentile(latencies, 0.50),
                           latencyP99Milliseconds: BenchWorkload.percentile(latencies, 0.99),
                           latencySamples: latencies.count, verificationsPerSecondAllCores: bound, cores: cores,
                           ratio: tps / bound, blocks: info.height)
    }

    /// Half evidence puts, half key-value writes, signed before the clock starts.
    private func waitUntilServing(_ client: NodeClient) async throws {
        for _ in 0..<300 {
            if let (status, _) = try? await client.raw("/health"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIError(description: "The benchmark node did not start within 15 s.")
    }

    /// Sends every batch over `connections` concurrent streams; returns how many were refused.
    private func waitUntilCommitted(_ client: NodeClient, expected: Int, started: ContinuousClock.Instant) async throws
        -> ContinuousClock.Instant {
        while true {
            let info = try await client.chainInfo()
            if info.pendingTransactions == 0 { return ContinuousClock.now }
            if drawsProgress { Swift.print("\rwaiting: \(info.pendingTransactions) pending, height \(info.height)      ", terminator: "") }
            if ContinuousClock.now - started > .seconds(600) { throw CLIError(description: "The benchmark did not finish in 10 minutes.") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

struct LatencyProber {
    /// Concurrent probing loops (more loops, more samples for the percentiles).
    static let loops = 8

    let client: NodeClient
    let builder: TransactionBuilder

    func run() async -> [Double] {
        await withTaskGroup(of: [Double].self) { group in
            for loop in 0..<LatencyProber.loops { group.addTask { await probe(loop: loop) } }
            return await group.reduce(into: []) { $0 += $1 }
        }
    }

    private func probe(loop: Int) async -> [Double] {
        var latencies: [Double] = []
        var index = 0
        while !Task.isCancelled {
            index += 1
            let call = TransactionBuilder.keyValuePut(key: Array("probe-\(loop)-\(index)".utf8), value: [1])
            guard let transaction = try? builder.sign(call) else { break }
            let start = ContinuousClock.now
            guard let response = try? await client.submit(transaction, wait: true), response.status == "committed" else { continue }
            let elapsed = ContinuousClock.now - start
            latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            try? await Task.sleep(for: .milliseconds(10))
        }
        return latencies
    }
}

/// The parts of a benchmark shared by the one-node and the network runs: pre-signed transactions,
/// batched submission over several connections, pacing, percentiles.
enum BenchWorkload {
    /// `count` signed transactions, half evidence puts and half key-value writes, all distinct.
    static func presign(builder: TransactionBuilder, suite: CryptoSuite, count: Int, tag: String, progress: Bool) throws -> [[UInt8]] {
        let draws = progress && isatty(STDOUT_FILENO) == 1
        var encoded: [[UInt8]] = []
        encoded.reserveCapacity(count)
        let salt = UInt64.random(in: 0...UInt64.max)
        for index in 0..<count {
            let call = index % 2 == 0
                ? TransactionBuilder.evidencePut(fingerprint: suite.hash(Array("\(tag) document \(index) \(salt)".utf8)),
                                                 algorithm: suite == .sm ? .sm3 : .sha256, label: "\(tag)-\(index)")
                : TransactionBuilder.keyValuePut(key: Array("\(tag)-\(index)".utf8), value: Array("value-\(index)".utf8))
            encoded.append(try builder.sign(call).canonicalBytes)
            if draws && index % 2_000 == 0 { Swift.print("\rsigning \(suite) transactions: \(index)/\(count)", terminator: "") }
        }
        if draws { Swift.print("\rsigned \(count) \(suite) \(tag) transactions              ") }
        return encoded
    }

    /// Submits `encoded` in batches over `connections` connections, spread round-robin over
    /// `clients`; returns how many were refused (the first refusal is printed).
    static func submit(_ encoded: [[UInt8]], to clients: [NodeClient], batch: Int, connections: Int) async throws -> Int {
        let batches = stride(from: 0, to: encoded.count, by: batch).map { Array(encoded[$0..<min($0 + batch, encoded.count)]) }
        let lanes = max(connections, clients.count)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in 0..<lanes {
                let client = clients[lane % clients.count]
                group.addTask {
                    var refused = 0
                    for index in stride(from: lane, to: batches.count, by: lanes) {
                        let response = try await client.submitBatch(batches[index])
                        refused += response.refused
                        if let first = response.results.first(where: { $0.error != nil })?.error {
                            FileHandle.standardError.write(Data("refused: \(first.code): \(first.message)\n".utf8))
                        }
                    }
                    return refused
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Submits from `encoded` at `rate` transactions per second for `seconds` (batches of `batch`,
    /// round-robin over `clients`), stopping early when `encoded` runs out.
    static func pace(_ encoded: [[UInt8]], rate: Double, seconds: Int, clients: [NodeClient], batch: Int) async throws {
        let started = ContinuousClock.now
        var sent = 0
        var turn = 0
        while sent < encoded.count && ContinuousClock.now.seconds(since: started) < Double(seconds) {
            let due = Int(ContinuousClock.now.seconds(since: started) * rate)
            if due > sent {
                let end = min(encoded.count, sent + min(batch, due - sent))
                _ = try await clients[turn % clients.count].submitBatch(Array(encoded[sent..<end]))
                sent = end
                turn += 1
            } else {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    /// The value at `fraction` of sorted samples.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
