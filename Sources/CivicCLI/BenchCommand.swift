import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
import Synchronization

/// `civic bench`: committed throughput and commit latency of a one-validator node through its
/// real HTTP API, beside the signature-verification bound measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure committed TPS and commit latency of a local one-validator node against the signature bound.",
        discussion: """
            Starts a node process on a free loopback port with a fresh SQLite ledger, pre-signs evidence puts and \
            key-value writes, submits them in batches over several connections while a prober measures commit latency \
            of single transactions, and prints the figures with the bound they are compared with: committed TPS must \
            reach half of the all-core signature verifications per second of the same suite. \
            `civic bench contracts` compares WebAssembly and native contract calls instead.
            """,
        subcommands: [ContractBenchCommand.self, DatashareBenchCommand.self])

    @Option(help: "Suites to measure: sm, intl, or both.")
    var suite: String = "both"

    @Option(help: "Transactions per suite.")
    var transactions: Int = 20_000

    @Option(help: "Transactions per batch request.")
    var batch: Int = 500

    @Option(help: "Concurrent submitting connections.")
    var connections: Int = 4

    @Option(help: "Seconds to measure the signature bound.")
    var boundSeconds: Double = 2

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(help: "Validators: 1 measures one node in-process-free; N > 1 starts a devnet of N validator processes.")
    var nodes: Int = 1

    @Option(help: "With --nodes: seconds of paced load at half the peak rate, for the latency figures.")
    var halfRateSeconds: Int = 10

    @Flag(help: "With --nodes: also measure proposals that carry transaction bodies (the before of the data/ordering split).")
    var compareBodies = false

    @Option(help: "With --nodes: the chain's block interval in milliseconds.")
    var blockIntervalMs: UInt32 = ChainParameters().blockIntervalMilliseconds

    @Option(help: "With --nodes: most transactions per block.")
    var blockTransactionsMax: UInt32 = ChainParameters().blockTransactionsMax

    func run() async throws {
        let suites: [CryptoSuite] = switch suite {
        case "both": [.intl, .sm]
        case let name: try [CryptoSuite(name: name) ?? { throw ValidationError("--suite must be sm, intl or both.") }()]
        }
        if nodes > 1 {
            try await runNetwork(suites)
            return
        }
        var results: [BenchResult] = []
        for suite in suites {
            let result = try await BenchRun(suite: suite, transactions: transactions, batch: batch, connections: connections,
                                            boundSeconds: boundSeconds, progress: !json).run()
            results.append(result)
            if !json { result.print() }
        }
        if json { CLI.printJSON(results) }
        if let intl = results.first(where: { $0.suite == "intl" }), intl.ratio < 0.5 {
            throw CLIError(description: "intl committed TPS is below 50% of the signature bound.")
        }
    }
}

/// The figures of one benchmark run.
struct BenchResult: Codable {
    var suite: String
    var transactions: Int
    var committedTPS: Double
    var latencyP50Milliseconds: Double
    var latencyP99Milliseconds: Double
    var latencySamples: Int
    var verificationsPerSecondAllCores: Double
    var cores: Int
    var ratio: Double
    var blocks: UInt64

    func print() {
        Swift.print("""
            suite \(suite): \(transactions) transactions in \(blocks) blocks
              committed TPS:          \(String(format: "%.0f", committedTPS))
              commit latency:         p50 \(String(format: "%.1f", latencyP50Milliseconds)) ms, p99 \(String(format: "%.1f", latencyP99Milliseconds)) ms (\(latencySamples) probes)
              signature bound:        \(String(format: "%.0f", verificationsPerSecondAllCores)) verifications/s on \(cores) cores
              committed / bound:      \(String(format: "%.1f", ratio * 100))%  (target >= 50%\(suite == "intl" ? "" : ", reported"))
            """)
    }
}

extension BenchCommand {
    /// `--nodes N`: each suite on a fresh devnet, proposals with hashes (and with bodies if asked).
    func runNetwork(_ suites: [CryptoSuite]) async throws {
        var results: [ClusterBenchResult] = []
        for suite in suites {
            for carry in compareBodies ? [true, false] : [false] {
                let result = try await ClusterBench(
                    suite: suite, nodes: nodes, transactions: transactions, batch: batch, connections: connections,
                    boundSeconds: boundSeconds, halfRateSeconds: halfRateSeconds, carryTransactions: carry,
                    parameters: ChainParameters(blockTransactionsMax: blockTransactionsMax, blockIntervalMilliseconds: blockIntervalMs),
                    progress: !json).run()
                results.append(result)
                if !json { result.print() }
            }
        }
        if json { CLI.printJSON(results) }
        if let missed = results.first(where: { !$0.carryTransactions && ($0.ratio < 0.5 || $0.latencyP99Milliseconds > 1_000) }) {
            throw CLIError(description: "\(missed.suite) with \(missed.nodes) validators missed a target (>= 50% of the bound, p99 <= 1 s at half of peak).")
        }
    }
}

