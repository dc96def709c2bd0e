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
        let encoded = try presign(signer: signer, chainID: genesis.chainID)

        let port = try LocalProcess.freePort()
        let url = "http://127.0.0.1:\(port)"
        let node = try LocalProcess.start(["node", "start", "--genesis", directory + "/genesis.json", "--key",
                                           directory + "/validator.pem", "--data", directory + "/data", "--listen",
                                           "127.0.0.1:\(port)", "--log-level", "warning"], logPath: directory + "/node.log")
        defer { if node.isRunning { kill(node.processIdentifier, SIGKILL) } }
        let client = NodeClient(baseURL: url)
        try await waitUntilServing(client)

        let prober = LatencyProber(client: client, builder: TransactionBuilder(chainID: genesis.chainID, key: signer))
        let probing = Task { await prober.run() }
        let started = ContinuousClock.now
        let refused = try await submitAll(encoded, client: client)
        let committedAt = try await waitUntilCommitted(client, expected: transactions - refused, started: started)
        probing.cancel()
        let latencies = await probing.value.sorted()
        let info = try await client.chainInfo()
        await LocalProcess.stop(node)
        guard refused == 0 else { throw CLIError(description: "The node refused \(refused) benchmark transactions.") }
        let seconds = Double((committedAt - started).components.attoseconds) / 1e18 + Double((committedAt - started).components.seconds)
        let tps = Double(transactions) / seconds
        return BenchResult(suite: suite.name, transactions: transactions, committedTPS: tps,
                           latencyP50Milliseconds: percentile(latencies, 0.50), latencyP99Milliseconds: percentile(latencies, 0.99),
                           latencySamples: latencies.count, verificationsPerSecondAllCores: bound, cores: cores,
                           ratio: tps / bound, blocks: info.height)
    }

    /// Half evidence puts, half key-value writes, signed before the clock starts.
    private func presign(signer: PrivateKey, chainID: String) throws -> [[UInt8]] {
        let builder = TransactionBuilder(chainID: chainID, key: signer)
        var encoded: [[UInt8]] = []
        encoded.reserveCapacity(transactions)
        for index in 0..<transactions {
            let call = index % 2 == 0
                ? TransactionBuilder.evidencePut(fingerprint: suite.hash(Array("bench document \(index) \(UInt64.random(in: 0...UInt64.max))".utf8)),
                                                 algorithm: suite == .sm ? .sm3 : .sha256, label: "bench-\(index)")
                : TransactionBuilder.keyValuePut(key: Array("key-\(index)".utf8), value: Array("value-\(index)".utf8))
            encoded.append(try builder.sign(call).canonicalBytes)
            if drawsProgress && index % 2_000 == 0 { Swift.print("\rsigning \(suite) transactions: \(index)/\(transactions)", terminator: "") }
        }
        if drawsProgress { Swift.print("\rsigned \(transactions) \(suite) transactions              ") }
        return encoded
    }

    private func waitUntilServing(_ client: NodeClient) async throws {
        for _ in 0..<300 {
            if let (status, _) = try? await client.raw("/health"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIError(description: "The benchmark node did not start within 15 s.")
    }

    /// Sends every batch over `connections` concurrent streams; returns how many were refused.
    private func submitAll(_ encoded: [[UInt8]], client: NodeClient) async throws -> Int {
        let batches = stride(from: 0, to: encoded.count, by: batch).map { Array(encoded[$0..<min($0 + batch, encoded.count)]) }
        let connections = self.connections
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for connection in 0..<connections {
                group.addTask {
                    var refused = 0
                    for index in stride(from: connection, to: batches.count, by: connections) {
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

    private func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

/// Submits single transactions with `wait=true` from several concurrent loops while the load
/// runs, recording how long each takes to be committed.
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
