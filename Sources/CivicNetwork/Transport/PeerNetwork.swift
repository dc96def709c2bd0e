import CivicCrypto
import CivicLedger
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// The consensus network of one node: mutually authenticated TLS 1.3 links to the chain's other nodes, one per
/// peer, carrying opaque length-prefixed frames.
///
/// A link is usable once both sides have (1) accepted each other's transport certificate with the chain's
/// ``CertificateVerifier`` during the TLS handshake and (2) verified each other's ``PeerHello``: an identity-key
/// signature bound to this TLS session, by a key that `isMember` accepts. Every refusal is logged with the peer's
/// address, a stable code and a sentence (``PeerRefusal``).
///
/// Both nodes of a pair may dial each other; the link dialed by the node with the smaller identity key (byte order
/// of the uncompressed point) is kept on both sides and the other is closed. Listed peers are dialed with
/// exponential back-off (``NetworkLimits/dialBackoffInitialMilliseconds`` doubling to
/// ``NetworkLimits/dialBackoffMaxMilliseconds``, with jitter) and redialed forever after a link drops.
///
/// Trust and this node's transport identity change at runtime without a restart: ``updateTrust(_:revoked:)``
/// replaces the CAs and the revoked fingerprints and closes the links that are no longer accepted;
/// ``replaceTransportIdentity(certificate:key:)`` makes new connections present a new certificate while existing
/// links stay open.
// @unchecked Sendable: all mutable state is in `state`, a lock-protected box; the other stored properties are
// immutable `let`s of Sendable types.
public final class PeerNetwork: @unchecked Sendable {
    /// Frames received from authenticated peers, in arrival order per link.
    public let inbound: AsyncStream<InboundFrame>

    let configuration: PeerNetworkConfiguration
    let inboundContinuation: AsyncStream<InboundFrame>.Continuation
    let state: NIOLockedValueBox<State>

    /// Mutable state, only touched under the lock.
    struct State {
        var phase = Phase.created
        var serverChannel: (any Channel)?
        var listeningPort: Int?
        var nextLinkID: UInt64 = 0
        var openLinks: [UInt64: OpenLink] = [:]
        var links: [PublicKey: PeerLink] = [:]
        var dialers: [Dialer] = []
        var statistics = PeerNetworkStatistics()
        /// What peers' transport certificates are checked against, now.
        var trust: TransportTrust
        /// The certificate new connections present (that of ``tls`` once built).
        var transportCertificate: X509Certificate
        /// The TLS contexts new connections use; each connection keeps the contexts it started with.
        var tls: TLSContexts?
    }

    /// An open connection (authenticated or not) and its handler, usable on the channel's event loop.
    struct OpenLink {
        let channel: any Channel
        let handler: NIOLoopBound<PeerLinkHandler>
    }

    enum Phase { case created, running, stopped }

    /// One listed peer's dial state.
    struct Dialer {
        let endpoint: PeerEndpoint
        /// The identity learned on the last authenticated link through this endpoint.
        var knownPeer: PublicKey?
        var backoff = DialBackoff()
        /// Whether a connection attempt or a link of this dialer is open.
        var busy = false
        var scheduled: Scheduled<Void>?
    }

    /// A network that does nothing until ``start()``.
    public init(configuration: PeerNetworkConfiguration) {
        self.configuration = configuration
        (inbound, inboundContinuation) = AsyncStream.makeStream(
            of: InboundFrame.self, bufferingPolicy: .bufferingOldest(NetworkLimits.inboundQueueFramesMax))
        state = NIOLockedValueBox(State(
            dialers: configuration.peers.map { Dialer(endpoint: $0) },
            trust: TransportTrust(verifier: configuration.trust),
            transportCertificate: configuration.transportCertificate))
    }

    /// The port the network listens on, once started (useful with port 0).
    public var listeningPort: Int? { state.withLockedValue { $0.listeningPort } }

    /// The identity keys of the peers with a link now, in byte order of their points.
    public var connectedPeers: [PublicKey] {
        state.withLockedValue { Array($0.links.keys) }.sorted {
            $0.rawRepresentation.lexicographicallyPrecedes($1.rawRepresentation)
        }
    }

    /// The configured endpoints this network dials, in configuration order, each with the identity learned on the
    /// last authenticated link through it (`nil` until one opened).
    public var dialedEndpoints: [(endpoint: PeerEndpoint, peer: PublicKey?)] {
        state.withLockedValue { $0.dialers.map { ($0.endpoint, $0.knownPeer) } }
    }

    /// Counters of dropped frames and refusals.
    public var statistics: PeerNetworkStatistics { state.withLockedValue { $0.statistics } }

    /// Listens and starts dialing the listed peers.
    /// - Throws: ``NetworkError`` if the configuration is invalid, TLS cannot use the transport key, or the port
    ///   cannot be bound.
    public func start() async throws(NetworkError) {
        try configuration.validate()
        // A transport identity replaced before start is kept; otherwise the configured one is used.
        let initial: TLSContexts
        if let replaced = state.withLockedValue({ $0.tls }) {
            initial = replaced
        } else {
            initial = try TLSContexts(certificate: configuration.transportCertificate, key: configuration.transportKey)
        }
        state.withLockedValue { state in
            if state.tls == nil { state.tls = initial }
        }
        let bootstrap = ServerBootstrap(group: configuration.eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                // The contexts current when the connection is accepted: a replaced identity applies to new
                // connections only.
                let tls = state.withLockedValue { $0.tls } ?? initial
                return channel.eventLoop.makeCompletedFuture {
                    try self.installLink(on: channel, tls: tls, dialerIndex: nil,
                                         address: channel.remoteAddress.map { "\($0)" } ?? "unknown")
                }
            }
        let server: any Channel
        do {
            server = try await bootstrap.bind(host: configuration.listenHost, port: configuration.listenPort).get()
        } catch {
            throw .bindFailed(host: configuration.listenHost, port: configuration.listenPort, reason: "\(error)")
        }
        let started = state.withLockedValue { state -> Bool in
            guard state.phase == .created else { return false }
            state.phase = .running
            state.serverChannel = server
            state.listeningPort = server.localAddress?.port
            return true
        }
        guard started else {
            try? await server.close()
            throw .invalidConfiguration("a peer network can be started once")
        }
        configuration.logger.info("peer network listening", metadata: [
            "address": .string("\(configuration.listenHost):\(listeningPort ?? 0)"),
            "chain": .string(configuration.chainID),
        ])
        for index in configuration.peers.indices { dial(index) }
    }

    /// Queues `frame` for the peer with identity key `peer`; counted as unroutable if there is no link to it.
    /// - Precondition: `frame.count <= frameBytesMax`.
    public func send(_ frame: [UInt8], to peer: PublicKey) {
        precondition(frame.count <= configuration.frameBytesMax, "frame larger than frameBytesMax")
        let link = state.withLockedValue { state -> PeerLink? in
            guard let link = state.links[peer] else {
                state.statistics.framesUnroutable += 1
                return nil
            }
            return link
        }
        guard let link else { return }
        link.channel.eventLoop.execute { link.handler.value.enqueue(frame) }
    }

    /// Queues `frame` for every connected peer.
    /// - Precondition: `frame.count <= frameBytesMax`.
    public func broadcast(_ frame: [UInt8]) {
        precondition(frame.count <= configuration.frameBytesMax, "frame larger than frameBytesMax")
        for link in state.withLockedValue({ Array($0.links.values) }) {
            link.channel.eventLoop.execute { link.handler.value.enqueue(frame) }
        }
    }

    /// Stops dialing, closes the listener and every link, and finishes ``inbound``.
    public func shutdown() async {
        let (server, channels, scheduled) = state.withLockedValue { state in
            state.phase = .stopped
            let scheduled = state.dialers.compactMap(\.scheduled)
            for index in state.dialers.indices { state.dialers[index].scheduled = nil }
            return (state.serverChannel, state.openLinks.values.map(\.channel), scheduled)
        }
        for task in scheduled { task.cancel() }
        try? await server?.close()
        for channel in channels { try? await channel.close() }
        for channel in channels { try? await channel.closeFuture.get() }
        inboundContinuation.finish()
        configuration.logger.info("peer network stopped")
    }
}
