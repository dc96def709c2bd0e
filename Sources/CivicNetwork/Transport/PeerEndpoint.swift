import CivicCrypto

/// A peer's listening address to dial.
public struct PeerEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// Host name or IP address.
    public var host: String
    /// TCP port.
    public var port: Int

    /// An endpoint.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`.
    public var description: String { "\(host):\(port)" }
}

/// One frame received from an authenticated peer.
public struct InboundFrame: Hashable, Sendable {
    /// The sender's node identity key.
    public var peer: PublicKey
    /// The frame's bytes, opaque to the transport.
    public var bytes: [UInt8]

    /// A received frame.
    public init(peer: PublicKey, bytes: [UInt8]) {
        self.peer = peer
        self.bytes = bytes
    }
}

/// Counters of frames the network dropped, refusals and links, for metrics and tests.
public struct PeerNetworkStatistics: Hashable, Sendable {
    /// Frames dropped because a peer's outbound queue was full (the oldest is dropped).
    public var outboundFramesDropped: Int = 0
    /// Frames given to ``PeerNetwork/send(_:to:)`` for a peer without a link.
    public var framesUnroutable: Int = 0
    /// Received frames dropped because ``PeerNetwork/inbound`` was not read fast enough.
    public var inboundFramesDropped: Int = 0
    /// Connections refused (certificate, hello, membership, oversize frame, timeout), including links closed
    /// because a trust update or ``PeerNetwork/revalidateLinks()`` no longer accepts them.
    public var refusals: Int = 0
    /// Authenticated links registered since start (a link that is re-established counts again).
    public var linksEstablished: Int = 0
}
