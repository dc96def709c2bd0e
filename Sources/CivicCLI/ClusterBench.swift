import ArgumentParser
import CivicClient
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic bench --nodes N`: a devnet of N validator processes on this machine, measured at its peak
/// and at half of it, against the signature-verification bound of the same run.
struct ClusterBench {
    let suite: CryptoSuite
    let nodes: Int
    let transactions: Int
    let batch: Int
    let connections: Int
    let boundSeconds: Double
    let halfRateSeconds: Int
    let carryTransactions: Bool
    let parameters: ChainParameters
    let progress: Bool

    func run() async throws -> ClusterBenchResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-bench-devnet-\(suite)-\(UUID().uuidString)").path
        let keep = ProcessInfo.processInfo.environment["CIVIC_BENCH_KEEP"] != nil
        defer {
            if keep { FileHandle.standardError.write(Data("bench files kept in \(directory)\n".utf8)) } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        let layout = DevnetLayout(directory: directory)
        var manifest = try layout.create(count: nodes, suite: suite, apiPortBase: nil, parameters: parameters)
        let genesis: Genesis
        do { genesis = try GenesisFile.load(path: layout.genesis) } catch { throw CLIError(description: error.description) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let allCores = SignatureThroughput.verificationsPerSecond(suite: suite, seconds: boundSeconds, threads: cores)
        let bound = allCores / Double(nodes)
        let signer = try CLI.loadKey(layout.demo.key("admin"))
        let builder = TransactionBuilder(chainID: genesis.chainID, key: signer)
        let peak = try BenchWorkload.presign(builder: builder, suite: suite, count: transactions, tag: "peak", progress: progress)
        let paced = try BenchWorkload.presign(builder: builder, suite: suite,
                                              count: Int(Double(halfRateSeconds) * bound), tag: "paced", progress: progress)

        var processes: [Process] = []
        defer { for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        for index in manifest.nodes.indices {
            var arguments = layout.startArguments(manifest.nodes[index], in: manifest, logLevel: "notice")
            if carryTransactions { arguments.append("--carry-transactions") }
            let process = try LocalProcess.start(arguments, logPath: layout.log(manifest.nodes[index].name))
            manifest.nodes[index].pid = process.processIdentifier
            processes.append(process)
        }
        let clients = manifest.nodes.map { NodeClient(baseURL: "http://127.0.0.1:\($0.apiPort)") }
        for (entry, client) in zip(manifest.nodes, clients) where !(await LocalProcess.waitForHealth(client.baseURL, seconds: 60)) {
            throw CLIError(description: "\(entry.name) did not start; see \(layout.log(entry.name)).")
        }
        try await waitForPeers(clients)

        // Peak: everything at once, spread over the nodes as the departments' clients would.
        let started = ContinuousClock.now
        let refused = try await BenchWorkload.submit(peak, to: clients, batch: batch, connections: connections)
        guard refused == 0 else { throw CLIError(description: "The nodes refused \(refused) benchmark transactions.") }
        let finished = try await waitUntilCommitted(clients, started: started)
        let tps = Double(transactions) / finished.seconds(since: started)

        // Half of the peak rate, paced, while probes measure the commit latency of single transactions.
        let rate = tps / 2
        // Its own connections, so that probes never queue behind the load's batches in one pool.
        let prober = LatencyProber(client: NodeClient(baseURL: clients[0].baseURL), builder: builder)
        let probing = Task { await prober.run() }
        try await BenchWorkload.pace(paced, rate: rate, seconds: halfRateSeconds, clients: clients, batch: max(1, Int(rate / 20)))
        _ = try await waitUntilCommitted(clients, started: ContinuousClock.now)
        probing.cancel()
        let latencies = await probing.value.sorted()
        let height = try await clients[0].chainInfo().height
        for process in processes { await LocalProcess.stop(process) }
        return ClusterBenchResult(
            suite: suite.name, nodes: nodes, transactions: transactions, carryTransactions: carryTransactions, committedTPS: tps,
            tpsPerCore: tps / Double(cores), halfRateTPS: rate,
            latencyP50Milliseconds: BenchWorkload.percentile(latencies, 0.50),
            latencyP99Milliseconds: BenchWorkload.percentile(latencies, 0.99), latencySamples: latencies.count,
            verificationsPerSecondAllCores: allCores, boundTPS: bound, cores: cores, ratio: tps / bound, blocks: height)
    }

    /// Waits until every node sees all the others, so that the measurement starts on a whole network.
    private func waitForPeers(_ clients: [NodeClient]) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            var connected = true
            for client in clients {
                let peers = (try? await client.chainInfo().connectedPeers.count) ?? 0
                if peers < clients.count - 1 { connected = false }
            }
            if connected { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError(description: "The benchmark nodes did not connect to each other within 60 s.")
    }

    /// Waits until no node has a pending transaction and all are at the same height.
    private func waitUntilCommitted(_ clients: [NodeClient], started: ContinuousClock.Instant) async throws -> ContinuousClock.Instant {
        while true {
            var pending = 0
            var heights = Set<UInt64>()
            for client in clients {
                let info = try await client.chainInfo()
                pending += info.pendingTransactions
                heights.insert(info.height)
            }
            if pending == 0 && heights.count == 1 { return ContinuousClock.now }
            if progress && isatty(STDOUT_FILENO) == 1 {
                Swift.print("\rwaiting: \(pending) pending, heights \(heights.sorted())      ", terminator: "")
            }
            if ContinuousClock.now - started > .seconds(900) { throw CLIError(description: "The benchmark did not finish in 15 minutes.") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The figures of one `civic bench --nodes N` run.
struct ClusterBenchResult: Codable {
    var suite: String
    var nodes: Int
    var transactions: Int
    var carryTransactions: Bool
    var committedTPS: Double
    var tpsPerCore: Double
    var halfRateTPS: Double
    var latencyP50Milliseconds: Double
    var latencyP99Milliseconds: Double
    var latencySamples: Int
    var verificationsPerSecondAllCores: Double
    var boundTPS: Double
    var cores: Int
    var ratio: Double
    var blocks: UInt64

    func print() {
        Swift.print("""
            suite \(suite), \(nodes) validators (\(carryTransactions ? "proposals carry bodies" : "proposals carry hashes")): \(transactions) transactions, \(blocks) blocks
              committed TPS (peak):     \(String(format: "%.0f", committedTPS))  (\(String(format: "%.0f", tpsPerCore)) per core)
              signature bound:          \(String(format: "%.0f", boundTPS)) TPS = \(String(format: "%.0f", verificationsPerSecondAllCores)) verifications/s on \(cores) cores / \(nodes) validators
              committed / bound:        \(String(format: "%.1f", ratio * 100))%  (target >= 50%)
              commit latency at \(String(format: "%.0f", halfRateTPS)) TPS (half of peak): p50 \(String(format: "%.0f", latencyP50Milliseconds)) ms, p99 \(String(format: "%.0f", latencyP99Milliseconds)) ms (\(latencySamples) probes; target p99 <= 1000 ms)
            """)
    }
}

extension ContinuousClock.Instant {
    /// Seconds from `start` to this instant.
    func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = self - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
