import CivicCodec
import CivicCrypto

/// What a client signs: who calls what, on which chain, until when.
///
/// Replay protection: the transaction's hash (over these fields) may be committed only once,
/// and only before `expiresAt`; `nonce` lets a client send the same call twice on purpose.
/// An expiry at most ``Limits/transactionLifetimeMillisecondsMax`` after the block time keeps
/// the set of hashes a node must remember for replay checks bounded.
public struct TransactionBody: Hashable, Sendable, CanonicalCodable {
    /// The only encoding version this build writes and reads.
    public static let currentVersion: UInt8 = 1

    /// The chain this transaction is for (from genesis); a transaction for another chain is refused.
    public var chainID: String
    /// The signer's public key; its suite must be the chain's.
    public var signer: PublicKey
    /// A number chosen by the client so that two identical calls have different hashes.
    public var nonce: UInt64
    /// The transaction may be included only in a block whose time is before this.
    public var expiresAt: Timestamp
    /// The contract call.
    public var call: ContractCall

    /// Creates a body.
    public init(chainID: String, signer: PublicKey, nonce: UInt64, expiresAt: Timestamp, call: ContractCall) {
        self.chainID = chainID
        self.signer = signer
        self.nonce = nonce
        self.expiresAt = expiresAt
        self.call = call
    }

    /// version, chain id, signer, nonce, expiry, call.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(TransactionBody.currentVersion)
        encoder.encode(string: chainID)
        encoder.encode(signer)
        encoder.encode(nonce)
        encoder.encode(expiresAt)
        encoder.encode(call)
    }

    /// Reads a body of version 1.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let version = try decoder.decodeUInt8("transaction.version")
        guard version == TransactionBody.currentVersion else {
            throw .unsupportedVersion(type: "transaction", version: version)
        }
        chainID = try decoder.decodeString("transaction.chain_id", maxBytes: Limits.chainIDBytesMax)
        signer = try decoder.decode(PublicKey.self)
        nonce = try decoder.decodeUInt64("transaction.nonce")
        expiresAt = try decoder.decode(Timestamp.self)
        call = try decoder.decode(ContractCall.self)
    }
}

/// A signed transaction, as submitted, gossiped and stored in blocks.
public struct Transaction: Hashable, Sendable, CanonicalCodable {
    /// Domain tag in front of the signed bytes, so a transaction signature can never be read as a vote.
    public static let domain = Array("CivicLedger/tx/v1".utf8)

    /// The signed content.
    public var body: TransactionBody
    /// The signer's signature over ``signBytes``.
    public var signature: Signature

    /// Wraps a body and its signature.
    public init(body: TransactionBody, signature: Signature) {
        self.body = body
        self.signature = signature
    }

    /// Signs `body` with `key`.
    /// - Throws: ``CryptoError`` if signing fails.
    public init(signing body: TransactionBody, with key: PrivateKey) throws(CryptoError) {
        self.body = body
        self.signature = try key.signature(for: Transaction.signBytes(of: body))
    }

    /// The exact bytes a client signs: `"CivicLedger/tx/v1" || canonical(body)`.
    public static func signBytes(of body: TransactionBody) -> [UInt8] {
        body.domainTaggedBytes(domain)
    }

    /// The bytes signed for this transaction.
    public var signBytes: [UInt8] { Transaction.signBytes(of: body) }

    /// The transaction's identity: the suite hash of ``signBytes``. It does not cover the
    /// signature, so re-encoding a signature can never make a replay look new.
    public func hash(suite: CryptoSuite) -> Hash256 { suite.hash(signBytes) }

    /// Whether the signature is valid for the body and the signer's key.
    public var hasValidSignature: Bool { body.signer.isValidSignature(signature, for: signBytes) }

    /// The transaction's hash if its signature is valid, else `nil`: one encoding of the signed
    /// bytes serves both checks (admission's hot path).
    public func verifiedHash(suite: CryptoSuite) -> Hash256? {
        let bytes = signBytes
        guard body.signer.isValidSignature(signature, for: bytes) else { return nil }
        return suite.hash(bytes)
    }

    /// body, signature.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(body)
        encoder.encode(signature)
    }

    /// Reads a signed transaction (the signature is checked by admission, not here).
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        body = try decoder.decode(TransactionBody.self)
        signature = try decoder.decode(Signature.self)
    }
}
