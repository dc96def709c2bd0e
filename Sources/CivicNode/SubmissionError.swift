import CivicCodec
import CivicContracts
import CivicCrypto

/// Why a submitted transaction was refused. A refused transaction changes nothing: not the
/// ledger, not the state, not the mempool. Each case has a stable `code` and a sentence.
public enum SubmissionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The encoded transaction is larger than the limit.
    case tooLarge(bytes: Int, max: Int)
    /// The bytes are not the canonical encoding of a transaction.
    case malformed(CodecError)
    /// The transaction names another chain.
    case wrongChain(expected: String, actual: String)
    /// The signer's key is of another suite than the chain's.
    case wrongSuite(expected: CryptoSuite, actual: CryptoSuite)
    /// The signature does not verify.
    case badSignature
    /// The transaction's expiry has passed.
    case expired
    /// The expiry is further away than allowed.
    case expiryTooFar(maxMilliseconds: UInt64)
    /// The same transaction was already committed.
    case replay(height: UInt64)
    /// The same transaction is already waiting in the mempool.
    case duplicate
    /// The mempool is full; try again shortly.
    case mempoolFull
    /// The call would fail: unknown contract or method, bad arguments, unknown caller, missing role,
    /// the signer's identity certificate expired, revoked or of a removed organization, a refused
    /// enrollment… Its ``code`` is the failure's, the code a receipt would carry
    /// (`identity.certificate_expired`, `identity.certificate_revoked`, …).
    case rejected(ContractFailure)

    /// Whether the refusal is about the signer's identity certificate (expired, revoked, its
    /// organization removed): the signer must enroll a new certificate before its transactions are
    /// accepted again.
    public var isCertificateRefusal: Bool {
        guard case .rejected(let failure) = self else { return false }
        return Self.certificateCodes.contains(failure.code)
    }

    /// The codes of refusals caused by the signer's identity certificate, as execution records them.
    public static let certificateCodes: Set<String> = [
        "identity.certificate_expired", "identity.certificate_revoked", "identity.organization_removed",
    ]
    /// The node is shutting down.
    case shuttingDown

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .tooLarge: "transaction.too_large"
        case .malformed: "transaction.malformed"
        case .wrongChain: "transaction.wrong_chain"
        case .wrongSuite: "transaction.wrong_suite"
        case .badSignature: "transaction.bad_signature"
        case .expired: "transaction.expired"
        case .expiryTooFar: "transaction.expiry_too_far"
        case .replay: "transaction.replay"
        case .duplicate: "transaction.duplicate"
        case .mempoolFull: "mempool.full"
        case .rejected(let failure): failure.code
        case .shuttingDown: "node.shutting_down"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .tooLarge(let bytes, let max): "The transaction is \(bytes) bytes; at most \(max) are allowed."
        case .malformed(let error): "The transaction is not well formed: \(error.description)"
        case .wrongChain(let expected, let actual):
            "The transaction is for chain '\(actual)', but this node serves '\(expected)'."
        case .wrongSuite(let expected, let actual):
            "The transaction is signed with a '\(actual)' key, but this chain uses '\(expected)'."
        case .badSignature: "The transaction's signature does not match its content and signer."
        case .expired: "The transaction has expired; sign it again with a later expiry."
        case .expiryTooFar(let max): "The transaction's expiry is too far away; at most \(max / 1000) seconds ahead is allowed."
        case .replay(let height): "This exact transaction was already committed at height \(height); replays are refused."
        case .duplicate: "This exact transaction is already waiting to be committed."
        case .mempoolFull: "The node has too many waiting transactions; try again shortly."
        case .rejected(let failure): failure.message
        case .shuttingDown: "The node is shutting down."
        }
    }
}

/// Why the node cannot start or go on. These stop the node with a message for its operator.
public enum NodeError: Error, Sendable, CustomStringConvertible {
    /// The data directory belongs to another chain.
    case genesisMismatch(stored: String, given: String)
    /// Stored data does not match its hashes: it was damaged or tampered with.
    case corrupted(String)
    /// Storage failed.
    case storage(String)
    /// The configuration is unusable.
    case configuration(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .genesisMismatch: "node.genesis_mismatch"
        case .corrupted: "node.corrupted"
        case .storage: "node.storage"
        case .configuration: "node.configuration"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .genesisMismatch(let stored, let given):
            "The data directory holds chain \(stored), but the genesis file describes chain \(given); use the matching genesis file or an empty directory."
        case .corrupted(let why): "The ledger data is damaged and will not be served: \(why). Restore it from a backup or a peer."
        case .storage(let why): "Storage failed: \(why)"
        case .configuration(let why): "The configuration is unusable: \(why)"
        }
    }
}
