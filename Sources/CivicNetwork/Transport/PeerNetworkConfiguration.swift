import CivicCrypto
import CivicLedger
import Logging
import NIOCore
import NIOPosix

/// Everything a ``PeerNetwork`` needs: where to listen, whom to dial, who this node is, whom to trust.
public struct PeerNetworkConfiguration: Sendable {
    /// Address to listen on.
    public var listenHost: String
    /// Port to listen on; 0 picks a free port (see ``PeerNetwork/listeningPort``).
    public var listenPort: Int
    /// Peers to dial (and redial forever). Peers that dial this node need not be listed.
    public var peers: [PeerEndpoint]
    /// This node's identity key (the chain's suite), which signs the hello.
    public var identityKey: PrivateKey
    /// This node's transport certificate at start, issued by its organization CA
    /// (``PeerNetwork/replaceTransportIdentity(certificate:key:)`` rotates it).
    public var transportCertificate: X509Certificate
    /// The P-256 key of ``transportCertificate``, used by TLS.
    public var transportKey: PrivateKey
    /// The chain's organization CAs and chain id at start; ``PeerNetwork/updateTrust(_:revoked:)`` replaces the CAs
    /// (same chain and suite) and adds revoked fingerprints at runtime.
    public var trust: CertificateVerifier
    /// Whether an identity key may join (a validator or member of the chain). Consulted at each hello and by
    /// ``PeerNetwork/revalidateLinks()`` (and ``PeerNetwork/updateTrust(_:revoked:)``), so it may read membership
    /// that changes on chain; it runs on event loops and must not block.
    public var isMember: @Sendable (PublicKey) -> Bool
    /// Largest frame body sent or accepted.
    public var frameBytesMax: Int = NetworkLimits.frameBytesMaxDefault
    /// Frames queued per link before the oldest is dropped.
    public var outboundQueueFramesMax: Int = NetworkLimits.outboundQueueFramesMaxDefault
    /// Time from an open connection to an authenticated link before the link is closed.
    public var handshakeTimeoutMilliseconds: Int64 = NetworkLimits.handshakeTimeoutMillisecondsDefault
    /// Where refusals and link events are logged.
    public var logger: Logger
    /// The clock for certificate validity checks (the wall clock by default; tests may move it).
    public var now: @Sendable () -> Timestamp = { UTCTime.now() }
    /// The event loops that run the sockets.
    public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    /// A configuration with the default limits.
    public init(
        listenHost: String, listenPort: Int, peers: [PeerEndpoint], identityKey: PrivateKey,
        transportCertificate: X509Certificate, transportKey: PrivateKey, trust: CertificateVerifier,
        isMember: @escaping @Sendable (PublicKey) -> Bool, logger: Logger
    ) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.peers = peers
        self.identityKey = identityKey
        self.transportCertificate = transportCertificate
        self.transportKey = transportKey
        self.trust = trust
        self.isMember = isMember
        self.logger = logger
    }

    /// The chain id (the trust store's).
    public var chainID: String { trust.chainID }

    /// Checks the limits and that the keys fit the chain.
    /// - Throws: ``NetworkError/invalidConfiguration(_:)`` naming the first problem.
    public func validate() throws(NetworkError) {
        guard (NetworkLimits.helloBytesMax...NetworkLimits.frameBytesMaxCeiling).contains(frameBytesMax) else {
            throw .invalidConfiguration("frameBytesMax must be between \(NetworkLimits.helloBytesMax) and "
                + "\(NetworkLimits.frameBytesMaxCeiling)")
        }
        guard outboundQueueFramesMax >= 1 else { throw .invalidConfiguration("outboundQueueFramesMax must be >= 1") }
        guard handshakeTimeoutMilliseconds >= 1 else {
            throw .invalidConfiguration("handshakeTimeoutMilliseconds must be >= 1")
        }
        guard (0...65_535).contains(listenPort) else { throw .invalidConfiguration("listenPort must be 0...65535") }
        guard identityKey.suite == trust.suite else {
            throw .invalidConfiguration("the identity key is '\(identityKey.suite)' but the chain is '\(trust.suite)'")
        }
        guard transportKey.suite == .intl, transportCertificate.publicKey == transportKey.publicKey else {
            throw .invalidConfiguration("the transport key must be the P-256 key of the transport certificate")
        }
    }
}
