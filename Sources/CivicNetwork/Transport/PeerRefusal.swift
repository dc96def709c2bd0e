import CivicCrypto

/// Why a connection to or from a peer was refused and closed, with a stable code and a sentence that says what to
/// do. Every refusal is logged with the peer's address, its code and its sentence.
public enum PeerRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The peer's transport certificate failed the chain's checks (refused during the TLS handshake).
    case certificate(CertificateRefusal)
    /// The peer's hello names another chain.
    case wrongChain(expected: String, found: String)
    /// The peer's challenge or hello cannot be read.
    case malformedHello(String)
    /// The hello's signature does not verify for the presented identity key over this session's binding value.
    case badHelloSignature
    /// The identity key is not a member of the chain.
    case notMember(PublicKey)
    /// The peer is this node (same identity key): an endpoint in the peer list points at this node itself.
    case selfConnection
    /// The peer sent a frame larger than the configured maximum.
    case frameTooLarge(bytes: Int, maximum: Int)
    /// The peer did not finish TLS, challenge and hello in time.
    case handshakeTimeout(milliseconds: Int64)

    /// A stable machine-readable code (certificate refusals keep their own `certificate.*` codes).
    public var code: String {
        switch self {
        case .certificate(let refusal): refusal.code
        case .wrongChain: "peer.wrong_chain"
        case .malformedHello: "peer.malformed_hello"
        case .badHelloSignature: "peer.bad_hello_signature"
        case .notMember: "peer.not_member"
        case .selfConnection: "peer.self_connection"
        case .frameTooLarge: "peer.frame_too_large"
        case .handshakeTimeout: "peer.handshake_timeout"
        }
    }

    /// A sentence a person understands, saying what to do.
    public var description: String {
        switch self {
        case .certificate(let refusal):
            refusal.description
        case .wrongChain(let expected, let found):
            "The peer runs chain '\(found)', but this node runs chain '\(expected)'. Check the peer list."
        case .malformedHello(let why):
            "The peer's hello cannot be read (\(why)). It is not a CivicLedger node of this version."
        case .badHelloSignature:
            "The peer's hello signature does not verify for its identity key over this TLS session. Its identity "
                + "key file does not match the key it announces, or the session was tampered with."
        case .notMember(let key):
            "The peer's identity key \(Self.shortHex(key)) is not a member of this chain. Register the node's key on "
                + "chain (or in genesis) before it connects."
        case .selfConnection:
            "The peer is this node itself. Remove this node's own address from its peer list."
        case .frameTooLarge(let bytes, let maximum):
            "The peer sent a frame of \(bytes) bytes; the limit is \(maximum). Check that both nodes use the same "
                + "frame limit."
        case .handshakeTimeout(let milliseconds):
            "The peer did not complete the TLS handshake and hello within \(milliseconds) ms. Check the network "
                + "path and that the peer is a CivicLedger node."
        }
    }

    /// The first 8 bytes of the key's point (after `04`) in hex, enough to find it in a genesis file.
    private static func shortHex(_ key: PublicKey) -> String {
        let digits = Array("0123456789abcdef")
        let bytes = key.rawRepresentation.dropFirst().prefix(8)
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}

/// Why the peer network could not start, or could not take a new trust store or transport identity at runtime.
public enum NetworkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The configuration breaks a limit or is inconsistent.
    case invalidConfiguration(String)
    /// The listening socket could not be opened.
    case bindFailed(host: String, port: Int, reason: String)
    /// The transport key or certificate cannot be used by TLS.
    case tlsSetupFailed(String)
    /// A new trust store is for another chain or suite (``PeerNetwork/updateTrust(_:revoked:)``).
    case invalidTrust(String)
    /// A replacement transport key is not a P-256 key or does not belong to its certificate
    /// (``PeerNetwork/replaceTransportIdentity(certificate:key:)``).
    case invalidTransportIdentity(String)
    /// The current trust store does not accept a replacement transport certificate now, so peers would refuse it
    /// (``PeerNetwork/replaceTransportIdentity(certificate:key:)``).
    case transportCertificateRefused(CertificateRefusal)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .invalidConfiguration: "network.invalid_configuration"
        case .bindFailed: "network.bind_failed"
        case .tlsSetupFailed: "network.tls_setup_failed"
        case .invalidTrust: "network.invalid_trust"
        case .invalidTransportIdentity: "network.invalid_transport_identity"
        case .transportCertificateRefused: "network.transport_certificate_refused"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "The network configuration is not usable: \(why)."
        case .bindFailed(let host, let port, let reason):
            "Cannot listen on \(host):\(port) (\(reason)). Is another process using the port?"
        case .tlsSetupFailed(let why): "The transport key or certificate cannot be used for TLS: \(why)."
        case .invalidTrust(let why): "The new trust store cannot be used by this network: \(why)."
        case .invalidTransportIdentity(let why):
            "The new transport certificate and key cannot be used: \(why). Nothing was changed."
        case .transportCertificateRefused(let refusal):
            "The new transport certificate is not accepted by this chain's trust store ("
                + "\(refusal.code)): \(refusal.description) Nothing was changed."
        }
    }
}
