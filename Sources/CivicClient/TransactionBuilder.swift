import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
#if canImport(Glibc)
import Glibc
#endif

/// Builds and signs transactions for one chain and one key.
public struct TransactionBuilder: Sendable {
    /// Default lifetime of a transaction: ten minutes.
    public static let defaultLifetimeMilliseconds: UInt64 = 10 * 60 * 1000

    /// The chain id to sign for.
    public var chainID: String
    /// The signing key.
    public var key: PrivateKey
    /// How long a built transaction stays valid.
    public var lifetimeMilliseconds: UInt64

    /// Creates a builder.
    public init(chainID: String, key: PrivateKey, lifetimeMilliseconds: UInt64 = TransactionBuilder.defaultLifetimeMilliseconds) {
        self.chainID = chainID
        self.key = key
        self.lifetimeMilliseconds = lifetimeMilliseconds
    }

    /// Signs `call` with a random nonce, expiring `lifetimeMilliseconds` after `now`.
    /// - Throws: ``CryptoError`` if signing fails.
    public func sign(_ call: ContractCall, now: Timestamp = TransactionBuilder.wallClock(),
                     nonce: UInt64 = UInt64.random(in: .min ... .max)) throws(CryptoError) -> Transaction {
        let body = TransactionBody(chainID: chainID, signer: key.publicKey, nonce: nonce,
                                   expiresAt: Timestamp(milliseconds: now.milliseconds + lifetimeMilliseconds), call: call)
        return try Transaction(signing: body, with: key)
    }

    /// The local wall clock, in milliseconds since the Unix epoch.
    public static func wallClock() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000)
    }

    /// A call recording a document's fingerprint as evidence.
    public static func evidencePut(fingerprint: Hash256, algorithm: FingerprintAlgorithm, label: String) -> ContractCall {
        ContractCall(contract: "evidence", method: "put",
                     arguments: EvidenceContract.Put(algorithm: algorithm, fingerprint: fingerprint, label: label))
    }

    /// A call recording many fingerprints in one transaction, as the leaves of one Merkle tree (``EvidenceBatch``).
    public static func evidencePutBatch(_ items: [EvidenceContract.Put]) -> ContractCall {
        ContractCall(contract: "evidence", method: "put_batch", arguments: EvidenceContract.PutBatch(items: items))
    }

    /// A call writing `value` under `key` in the signer's key–value space.
    public static func keyValuePut(key: [UInt8], value: [UInt8]) -> ContractCall {
        ContractCall(contract: "kv", method: "put", arguments: KeyValueContract.Put(key: key, value: value))
    }

    /// A call reporting a validator's equivocation to contract `accountability` (any registered identity).
    public static func reportEquivocation(_ equivocation: Equivocation) -> ContractCall {
        ContractCall(contract: "accountability", method: "report", arguments: equivocation)
    }

    /// A call registering an identity (admins only).
    public static func registerIdentity(_ publicKey: PublicKey, name: String, organization: String, role: Role) -> ContractCall {
        ContractCall(contract: "identity", method: "register",
                     arguments: IdentityContract.Register(publicKey: publicKey, name: name, organization: organization, role: role))
    }
}

extension TransactionBuilder {
    /// A call enrolling the signer with its identity certificate (DER), or renewing the certificate of an identity
    /// already registered for the key. The certificate must be issued for this chain by the CA of a member
    /// organization, certify the signing key and carry the role in its `OU` (Docs/0011); the transaction must be
    /// signed with the certified key.
    public static func enroll(certificateDER: [UInt8]) -> ContractCall {
        ContractCall(contract: "identity", method: "enroll", arguments: certificateDER)
    }
}
