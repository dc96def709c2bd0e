import CivicCodec
import CivicCrypto
import CivicLedger

/// The second frame each side sends on a new link: who it is on the chain, bound to this TLS session.
///
/// ```
/// Hello   ::= version u8 (1) || chainID string || identityKey PublicKey || signature Signature   (canonical codec)
/// signed  ::= "CivicLedger/peer-hello/v1" || chainID string
///             || H(signer's transport certificate DER) || H(verifier's transport certificate DER)
///             || signer's nonce (32) || verifier's nonce (32)
/// ```
///
/// `H` is the chain's hash (SM3 or SHA-256) and the signature is the identity key's (SM2-with-SM3 or ECDSA P-256).
/// swift-nio-ssl does not expose the TLS exporter (RFC 8446 §7.5), so the binding is to both certificates, each
/// proven by TLS 1.3 CertificateVerify to belong to a key held by its side, and to a fresh nonce from each side
/// (the first frame of each side). A hello cannot be replayed on another session (other nonces) nor moved to a
/// session whose transport keys differ (other certificate hashes).
public struct PeerHello: Hashable, Sendable, CanonicalCodable {
    /// The only hello version this build writes and reads.
    public static let currentVersion: UInt8 = 1
    /// Domain tag in front of the signed bytes.
    public static let domain = Array("CivicLedger/peer-hello/v1".utf8)

    /// The chain the sender runs.
    public var chainID: String
    /// The sender's node identity key (the chain's suite).
    public var identityKey: PublicKey
    /// The identity key's signature of the bytes that
    /// ``signedBytes(chainID:signerCertificate:verifierCertificate:signerNonce:verifierNonce:suite:)`` gives.
    public var signature: Signature

    /// Creates a hello.
    public init(chainID: String, identityKey: PublicKey, signature: Signature) {
        self.chainID = chainID
        self.identityKey = identityKey
        self.signature = signature
    }

    /// The bytes the sender signs: the domain tag, the chain id, both certificates' hashes and both nonces, the
    /// signer's first.
    public static func signedBytes(
        chainID: String, signerCertificate: [UInt8], verifierCertificate: [UInt8], signerNonce: [UInt8],
        verifierNonce: [UInt8], suite: CryptoSuite
    ) -> [UInt8] {
        var encoder = CanonicalEncoder(capacity: 192)
        encoder.encode(fixed: domain)
        encoder.encode(string: chainID)
        encoder.encode(suite.hash(signerCertificate))
        encoder.encode(suite.hash(verifierCertificate))
        encoder.encode(fixed: signerNonce)
        encoder.encode(fixed: verifierNonce)
        return encoder.bytes
    }

    /// version, chain id, identity key, signature.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(PeerHello.currentVersion)
        encoder.encode(string: chainID)
        encoder.encode(identityKey)
        encoder.encode(signature)
    }

    /// Reads a hello.
    /// - Throws: ``CodecError`` for another version or malformed fields.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let version = try decoder.decodeUInt8("hello.version")
        guard version == PeerHello.currentVersion else {
            throw .invalidValue(field: "hello.version", reason: "version \(version) is not supported")
        }
        chainID = try decoder.decodeString("hello.chain_id", maxBytes: Limits.chainIDBytesMax)
        identityKey = try decoder.decode(PublicKey.self)
        signature = try decoder.decode(Signature.self)
    }
}
