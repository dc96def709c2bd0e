/// The named maxima and timings of the peer network, in one place.
///
/// Relations between them are checked by ``PeerNetworkConfiguration/validate()`` at start-up.
public enum NetworkLimits {
    /// Default largest frame body a link accepts or sends, in bytes (4 MiB: a full block with headroom).
    public static let frameBytesMaxDefault = 4 * 1024 * 1024
    /// The largest value ``PeerNetworkConfiguration/frameBytesMax`` may take (the length prefix is 32 bits, and a
    /// frame is held in memory whole).
    public static let frameBytesMaxCeiling = 64 * 1024 * 1024
    /// Largest encoded ``PeerHello`` in bytes (version, chain id of at most 64 bytes, key, signature).
    public static let helloBytesMax = 256
    /// Bytes of each side's channel-binding nonce.
    public static let nonceBytes = 32
    /// Default frames waiting per link before the oldest is dropped.
    public static let outboundQueueFramesMaxDefault = 1024
    /// Frames received but not yet taken from ``PeerNetwork/inbound`` before new ones are dropped.
    public static let inboundQueueFramesMax = 8192
    /// Default time from an open connection to an authenticated link (TLS handshake, challenge, hello); a link
    /// that takes longer is closed.
    public static let handshakeTimeoutMillisecondsDefault: Int64 = 10_000
    /// TCP connect timeout of one dial attempt.
    public static let connectTimeoutMilliseconds: Int64 = 3_000
    /// First dial back-off after a failure, and the delay before redialing a link that was up.
    public static let dialBackoffInitialMilliseconds: Int64 = 100
    /// Largest dial back-off; the back-off doubles from the initial value up to this.
    public static let dialBackoffMaxMilliseconds: Int64 = 5_000
    /// Each back-off is moved by a random amount of up to this percentage, up or down, so that nodes that lost
    /// each other at the same moment do not redial in lockstep.
    public static let dialBackoffJitterPercent: Int64 = 10
}
