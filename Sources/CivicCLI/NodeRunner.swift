import ArgumentParser
import CivicAPI
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import CivicNode
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization

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
    /// How a node joins its peers: its p2p address, whom to dial, and its TLS transport identity.
    struct NetworkOptions {
        var host: String
        var port: Int
        var peers: [PeerEndpoint]
        var certificatePath: String
        var keyPath: String
        var carryTransactions = false
    }

    static func run(genesis: Genesis, key: PrivateKey, dataDirectory: String, host: String, port: Int,
                    network options: NetworkOptions? = nil, timeStamps: TimeStampAuthority? = nil,
                    gatewayConfiguration: GatewayConfiguration? = nil, logLevel: Logger.Level,
                    onStarted: @escaping @Sendable (Node) async -> Void = { _ in }) async throws {
        let registry = bootstrap(logLevel: logLevel)
        let logger = Logger(label: "civic.node")
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let store: SQLiteLedgerStore
        do { store = try SQLiteLedgerStore(path: databasePath(dataDirectory: dataDirectory)) } catch {
            throw CLIError(description: error.description)
        }
        // The usage-trail index beside the ledger (Docs/0016): derived data, rebuilt from the ledger if deleted.
        let trail: TrailIndex
        do { trail = try TrailIndex(path: dataDirectory + "/" + TrailIndex.fileName) } catch {
            throw CLIError(description: "The trail index: \(error.description)")
        }
        defer { trail.close() }
        let transport = try options.map { try makeNetwork($0, genesis: genesis, key: key) }
        let network = transport?.network
        let certificates = transport.map {
            [MonitoredCertificate(name: "tls", subject: $0.certificate.subject, notAfter: $0.certificate.validity.notAfter)]
        } ?? []
        if let network {
            do { try await network.start() } catch { throw CLIError(description: error.description) }
        }
        let node: Node
        do {
            var configuration = Node.Configuration(genesis: genesis, validatorKey: key, consensusDirectory: dataDirectory,
                                                   peers: network, proposalsCarryTransactions: options?.carryTransactions ?? false)
            configuration.certificates = certificates
            if let transport {
                configuration.onTrustChange = { trust in transport.apply(trust, logger: logger) }
            }
            node = try Node(configuration: configuration, store: store, logger: logger)
        } catch {
            await network?.shutdown()
            throw CLIError(description: error.description)
        }
        var watcher: Task<Void, Never>?
        if let transport, let options {
            watcher = Task {
                await transport.watchFiles(certificatePath: options.certificatePath, keyPath: options.keyPath,
                                           node: node, logger: logger)
            }
        }
        defer { watcher?.cancel() }
        // The exchange gateway (Docs/0016), when configured.
        let gateway: ExchangeGateway?
        do {
            gateway = try gatewayConfiguration.map { configuration throws(GatewayConfigurationError) in
                try ExchangeGateway(node: node, configuration: configuration, logger: Logger(label: "civic.gateway"))
            }
        } catch {
            await network?.shutdown()
            throw CLIError(description: error.description)
        }
        let description = NodeDescription(
            files: NodeDescription.StoredFile.sqlite(kind: "ledger", path: databasePath(dataDirectory: dataDirectory))
                + NodeDescription.StoredFile.sqlite(kind: "trail", path: dataDirectory + "/" + TrailIndex.fileName)
                + ["signer-state", "valid-value"].map { NodeDescription.StoredFile(kind: "consensus", path: dataDirectory + "/" + $0) },
            peerEndpoints: { network?.dialedEndpoints ?? [] })
        let router = CivicAPI.router(node: node, metrics: registry, timeStamps: timeStamps, trail: trail, gateway: gateway,
                                     description: description)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "civic"),
            services: [node, TrailIndexer(index: trail, node: node, logger: Logger(label: "civic.trail"))],
            onServerRunning: { _ in
                logger.info("API listening", metadata: ["url": "http://\(host):\(port)"])
                // The server accepts connections only after this callback returns, so work that
                // talks to the API runs in its own task.
                Task { await onStarted(node) }
            },
            logger: logger)
        try await app.runService()
        await network?.shutdown()
        store.close()
    }

    /// The mutual-TLS peer network of a node: its certificate and key, the genesis organizations'
    /// CAs as the first trust, and the validators (and validator or observer identities) as the
    /// first members; the node replaces both from its committed state (``Transport/apply(_:logger:)``).
    static func makeNetwork(_ options: NetworkOptions, genesis: Genesis, key: PrivateKey) throws -> Transport {
        guard !genesis.organizations.isEmpty else {
            throw CLIError(description: "The genesis file lists no organizations, so no peer certificate can be trusted; create the chain with `civic devnet up` or add organizations with their CA certificates.")
        }
        let certificate: X509Certificate
        let trust: CertificateVerifier
        do {
            certificate = try X509Certificate(pemRepresentation: try CLI.readText(options.certificatePath))
            trust = try CertificateVerifier(chainID: genesis.chainID, suite: genesis.suite, authorityPEMs: genesis.organizations.flatMap {
                $0.caCertificates.map { PEMBlock.encode(der: $0, label: "CERTIFICATE") }
            })
        } catch let error as PKIError {
            throw CLIError(description: error.description)
        }
        let members = Transport.Members(Set(genesis.validators.validators.map(\.publicKey)
            + genesis.identities.filter { $0.role == .validator || $0.role == .observer }.map(\.publicKey)))
        var configuration = PeerNetworkConfiguration(
            listenHost: options.host, listenPort: options.port, peers: options.peers, identityKey: key,
            transportCertificate: certificate, transportKey: try CLI.loadKey(options.keyPath), trust: trust,
            isMember: { members.contains($0) }, logger: Logger(label: "civic.network"))
        configuration.frameBytesMax = Limits.messageBytesMax
        return Transport(network: PeerNetwork(configuration: configuration), certificate: certificate, members: members,
                         chainID: genesis.chainID, suite: genesis.suite)
    }

    /// A node's peer network with the trust it was last given.
    struct Transport: Sendable {
        /// The keys that may hold a peer link, replaced as the chain changes.
        final class Members: Sendable {
            private let keys: Mutex<Set<PublicKey>>
            init(_ keys: Set<PublicKey>) { self.keys = Mutex(keys) }
            func contains(_ key: PublicKey) -> Bool { keys.withLock { $0.contains(key) } }
            func replace(with keys: Set<PublicKey>) { self.keys.withLock { $0 = keys } }
        }

        let network: PeerNetwork
        let certificate: X509Certificate
        let members: Members
        let chainID: String
        let suite: CryptoSuite

        /// Takes the chain's committed trust: its members, the organizations' CAs and the revoked
        /// certificates; links the new trust no longer accepts are closed.
        func apply(_ trust: ChainTrust, logger: Logger) {
            members.replace(with: trust.members)
            let revoked = Set(trust.revocations.map {
                CertificateFingerprint(suite: $0.algorithm.suite, digest: $0.fingerprint)
            })
            do {
                let authorities = try trust.organizations.flatMap(\.caCertificates).map { der throws(PKIError) in
                    try X509Certificate(derRepresentation: der)
                }
                let verifier = try CertificateVerifier(chainID: chainID, suite: suite, authorities: authorities)
                try network.updateTrust(verifier, revoked: revoked)
            } catch {
                // The chain's records must never stop the node: keep the previous trust, re-check members.
                logger.error("the chain's organization CAs could not be used; the previous peer trust stays",
                             metadata: ["reason": "\(error)"])
                network.revalidateLinks()
            }
        }

        /// Every `interval`, looks at the TLS certificate and key files; when they hold a new matching
        /// pair, new connections present it (open links stay up) and the node's expiry watch follows
        /// it. A pair caught half-replaced, or refused, is logged once and looked at again later.
        func watchFiles(certificatePath: String, keyPath: String, node: Node, logger: Logger,
                        interval: Duration = .seconds(2)) async {
            var presented = certificate.derRepresentation
            var lastProblem: String?
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let pem = try? CLI.readText(certificatePath),
                      let candidate = try? X509Certificate(pemRepresentation: pem),
                      candidate.derRepresentation != presented else { continue }
                do {
                    try network.replaceTransportIdentity(certificate: candidate, key: try CLI.loadKey(keyPath))
                    presented = candidate.derRepresentation
                    lastProblem = nil
                    node.replaceCertificate(MonitoredCertificate(name: "tls", subject: candidate.subject,
                                                                 notAfter: candidate.validity.notAfter))
                    logger.notice("transport certificate replaced", metadata: [
                        "subject": "\(candidate.subject)", "serial": "\(candidate.serialNumber)",
                        "not_after_ms": "\(candidate.validity.notAfter.milliseconds)",
                    ])
                } catch {
                    let problem = "\(error)"
                    if problem != lastProblem {
                        logger.warning("a new transport certificate is in place but cannot be used yet; the current one stays",
                                       metadata: ["reason": "\(problem)"])
                    }
                    lastProblem = problem
                }
            }
        }
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

        @Option(help: "Peer-to-peer address to listen on, HOST:PORT (with --tls-cert and --tls-key).")
        var p2pListen: String?

        @Option(name: .customLong("peer"), help: "A peer's p2p address, HOST:PORT (repeatable).")
        var peers: [String] = []

        @Option(help: "This node's TLS transport certificate (PEM), issued by its organization's CA.")
        var tlsCert: String?

        @Option(help: "The TLS transport certificate's private key (PEM, P-256).")
        var tlsKey: String?

        @Option(help: "A time-stamping certificate (PEM, extended key usage timeStamping only) for RFC 3161 tokens of evidence.")
        var tsaCert: String?

        @Option(help: "The time-stamping certificate's private key (PEM, of the chain's suite).")
        var tsaKey: String?

        @Option(help: "The TSA policy OID written in tokens.")
        var tsaPolicy: String = EvidenceCommand.defaultTimeStampPolicy

        @Flag(help: "Send transaction bodies inside proposals instead of only their hashes (for comparison).")
        var carryTransactions = false

        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
        var logLevel: String = "info"

        @Option(help: "Run the exchange gateway with this configuration (JSON; Docs/0016, \"Exchange gateway\").")
        var gatewayConfig: String?

        func run() async throws {
            let genesis: Genesis
            do { genesis = try GenesisFile.load(path: self.genesis) } catch { throw CLIError(description: error.description) }
            let key = try CLI.loadKey(key)
            let (host, port) = try Start.parseListen(listen)
            guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("Unknown --log-level '\(logLevel)'.") }
            var network: NodeRunner.NetworkOptions?
            if let p2pListen {
                guard let tlsCert, let tlsKey else { throw ValidationError("--p2p-listen needs --tls-cert and --tls-key.") }
                let (p2pHost, p2pPort) = try Start.parseListen(p2pListen)
                network = NodeRunner.NetworkOptions(
                    host: p2pHost, port: p2pPort,
                    peers: try peers.map { let (host, port) = try Start.parseListen($0); return PeerEndpoint(host: host, port: port) },
                    certificatePath: tlsCert, keyPath: tlsKey, carryTransactions: carryTransactions)
            } else if !peers.isEmpty {
                throw ValidationError("--peer needs --p2p-listen.")
            }
            let timeStamps = try EvidenceCommand.loadTimeStampAuthority(certificate: tsaCert, key: tsaKey,
                                                                        policy: tsaPolicy, genesis: genesis)
            let gatewayConfiguration: GatewayConfiguration?
            do { gatewayConfiguration = try gatewayConfig.map(GatewayConfiguration.load(path:)) } catch {
                throw CLIError(description: error.description)
            }
            try await NodeRunner.run(genesis: genesis, key: key, dataDirectory: data, host: host, port: port,
                                     network: network, timeStamps: timeStamps, gatewayConfiguration: gatewayConfiguration,
                                     logLevel: level)
        }

        static func parseListen(_ text: String) throws -> (String, Int) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
                throw ValidationError("--listen must be HOST:PORT, for example 127.0.0.1:8080.")
            }
            return (String(text[..<colon]), port)
        }
    }
}
