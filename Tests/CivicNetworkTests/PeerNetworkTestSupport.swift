import CivicCrypto
import CivicLedger
import CivicNetwork
import Logging
import NIOConcurrencyHelpers

/// Log entries captured by a test ``LogHandler``.
final class LogCapture: Sendable {
    /// One captured entry.
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let box = NIOLockedValueBox<[Entry]>([])

    /// Everything logged so far.
    var entries: [Entry] { box.withLockedValue { $0 } }

    /// A logger that writes into this capture.
    func logger(_ label: String) -> Logger {
        Logger(label: label) { _ in Handler(capture: self) }
    }

    /// The warnings whose `code` metadata is `code`.
    func refusals(code: String) -> [Entry] {
        entries.filter { $0.level >= .warning && $0.metadata["code"] == .string(code) }
    }

    fileprivate func append(_ entry: Entry) { box.withLockedValue { $0.append(entry) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(Entry(level: event.level, message: event.message.description,
                                 metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}

/// Collects a network's inbound frames in the background.
final class Inbox: Sendable {
    private let box = NIOLockedValueBox<[InboundFrame]>([])
    private let task: Task<Void, Never>

    /// Starts reading `network.inbound`.
    init(_ network: PeerNetwork) {
        let box = self.box
        task = Task {
            for await frame in network.inbound { box.withLockedValue { $0.append(frame) } }
        }
    }

    deinit { task.cancel() }

    /// The frames received so far.
    var frames: [InboundFrame] { box.withLockedValue { $0 } }
}

/// A chain with one trusted organization CA, for network tests.
struct TestChain {
    let suite: CryptoSuite
    let chainID = "civic-test"
    let authority: OrganizationCA
    let verifier: CertificateVerifier

    init(suite: CryptoSuite) throws {
        self.suite = suite
        authority = try OrganizationCA.create(organization: "City Hall", suite: suite,
                                              validity: NetworkTestSupport.currentWindow(days: 365))
        verifier = try CertificateVerifier(chainID: chainID, suite: suite,
                                           authorityPEMs: [authority.certificate.pemRepresentation])
    }

    /// A node's configuration: a fresh transport key and certificate from `issuer` (default: the chain's CA).
    func node(
        _ name: String, identity: PrivateKey, members: Set<PublicKey>, peers: [PeerEndpoint] = [], port: Int = 0,
        logs: LogCapture, issuer: OrganizationCA? = nil, certificateChainID: String? = nil,
        validity: ValidityWindow = NetworkTestSupport.currentWindow()
    ) throws -> PeerNetworkConfiguration {
        let transportKey = PrivateKey.generate(suite: .intl)
        let certificate = try (issuer ?? authority).issueTransportCertificate(
            nodeName: name, chainID: certificateChainID ?? chainID, transportKey: transportKey.publicKey,
            validity: validity)
        return PeerNetworkConfiguration(
            listenHost: "127.0.0.1", listenPort: port, peers: peers, identityKey: identity,
            transportCertificate: certificate, transportKey: transportKey, trust: verifier,
            isMember: { members.contains($0) }, logger: logs.logger(name))
    }
}

/// Waits until `condition` holds, polling every 20 ms, for at most `seconds`; returns whether it held.
func eventually(seconds: Double = 15, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

extension PeerNetwork {
    /// This network's listening endpoint on loopback.
    var endpoint: PeerEndpoint { PeerEndpoint(host: "127.0.0.1", port: listeningPort ?? 0) }
}
