import ArgumentParser
import CivicAPI
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// Starts a node with its HTTP API and runs it until SIGINT or SIGTERM.
enum NodeRunner {
    /// The SQLite file inside a node's data directory.
    static func databasePath(dataDirectory: String) -> String { dataDirectory + "/ledger.sqlite" }

    /// Bootstraps logging and metrics for this process (only the executable does this).
    static func bootstrap(logLevel: Logger.Level) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// Opens the ledger in `dataDirectory` and serves the API on `host:port` until stopped.
    /// `onStarted` runs once the server listens.
    static func run(genesis: Genesis, key: PrivateKey, dataDirectory: String, host: String, port: Int,
                    logLevel: Logger.Level, onStarted: @escaping @Sendable (Node) async -> Void = { _ in }) async throws {
        let registry = bootstrap(logLevel: logLevel)
        let logger = Logger(label: "civic.node")
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let store: SQLiteLedgerStore
        do { store = try SQLiteLedgerStore(path: databasePath(dataDirectory: dataDirectory)) } catch {
            throw CLIError(description: error.description)
        }
        let node: Node
        do {
            node = try Node(configuration: .init(genesis: genesis, validatorKey: key), store: store, logger: logger)
        } catch {
            throw CLIError(description: error.description)
        }
        let router = CivicAPI.router(node: node, metrics: registry)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "civic"),
            services: [node],
            onServerRunning: { _ in
                logger.info("API listening", metadata: ["url": "http://\(host):\(port)"])
                // The server accepts connections only after this callback returns, so work that
                // talks to the API runs in its own task.
                Task { await onStarted(node) }
            },
            logger: logger)
        try await app.runService()
        store.close()
    }
}

/// `civic node`: run a node.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", abstract: "Run a node.", subcommands: [Start.self])

    /// `civic node start`.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a validator node with its HTTP API (runs until SIGINT/SIGTERM).")

        @Option(help: "The chain's genesis file.")
        var genesis: String

        @Option(help: "This node's validator private key (PEM).")
        var key: String

        @Option(help: "Data directory (the SQLite ledger lives there).")
        var data: String

        @Option(help: "Address to listen on, HOST:PORT.")
        var listen: String = "127.0.0.1:8080"

        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
        var logLevel: String = "info"

        func run() async throws {
            let genesis: Genesis
            do { genesis = try GenesisFile.load(path: self.genesis) } catch { throw CLIError(description: error.description) }
            let key = try CLI.loadKey(key)
            let (host, port) = try Start.parseListen(listen)
            guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("Unknown --log-level '\(logLevel)'.") }
            try await NodeRunner.run(genesis: genesis, key: key, dataDirectory: data, host: host, port: port, logLevel: level)
        }

        static func parseListen(_ text: String) throws -> (String, Int) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
                throw ValidationError("--listen must be HOST:PORT, for example 127.0.0.1:8080.")
            }
            return (String(text[..<colon]), port)
        }
    }
}
