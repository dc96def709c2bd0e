import CivicCodec
import CivicCrypto

/// Everything a court, auditor or citizen needs to check, offline and holding only the genesis
/// file, that a transaction was committed with a given receipt:
/// 1. the header is certified by more than 2/3 of the genesis validators' voting power;
/// 2. the transaction's RFC 6962 path leads to the header's transactions root, in a tree of
///    `header.transactionCount` leaves (the size comes from the certified header, never the proof);
/// 3. the receipt's path, at the same index, leads to the header's receipts root;
/// 4. the receipt names the transaction's hash, and the transaction's signature verifies.
public struct TransactionProof: Hashable, Sendable, CanonicalCodable {
    /// The certified block header.
    public var anchor: CertifiedHeader
    /// The transaction.
    public var transaction: Transaction
    /// Its path in the transactions tree.
    public var transactionPath: MerkleProof
    /// Its receipt.
    public var receipt: Receipt
    /// The receipt's path in the receipts tree.
    public var receiptPath: MerkleProof

    /// Creates a proof.
    public init(anchor: CertifiedHeader, transaction: Transaction, transactionPath: MerkleProof, receipt: Receipt,
                receiptPath: MerkleProof) {
        self.anchor = anchor
        self.transaction = transaction
        self.transactionPath = transactionPath
        self.receipt = receipt
        self.receiptPath = receiptPath
    }

    /// Runs every check above.
    /// - Throws: ``ProofError`` naming the first check that fails.
    public func verify(genesis: Genesis) throws(ProofError) {
        try anchor.verify(genesis: genesis)
        let suite = genesis.suite
        let header = anchor.header
        let size = UInt64(header.transactionCount)
        guard transactionPath.verify(leaf: transaction.canonicalBytes, treeSize: size,
                                     root: header.transactionsRoot, suite: suite) else { throw .transactionNotInBlock }
        guard receiptPath.leafIndex == transactionPath.leafIndex,
              receipt.transactionHash == transaction.hash(suite: suite) else { throw .receiptMismatch }
        guard receiptPath.verify(leaf: receipt.canonicalBytes, treeSize: size,
                                 root: header.receiptsRoot, suite: suite) else { throw .receiptNotInBlock }
        guard transaction.hasValidSignature else { throw .badTransactionSignature }
    }

    /// anchor, transaction, path, receipt, path.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(anchor)
        encoder.encode(transaction)
        encoder.encode(transactionPath)
        encoder.encode(receipt)
        encoder.encode(receiptPath)
    }

    /// Reads a proof.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        anchor = try decoder.decode(CertifiedHeader.self)
        transaction = try decoder.decode(Transaction.self)
        transactionPath = try decoder.decode(MerkleProof.self)
        receipt = try decoder.decode(Receipt.self)
        receiptPath = try decoder.decode(MerkleProof.self)
    }
}

/// Proof of a state entry (or of its absence) at a certified height: the header's state root
/// is the root of the authenticated state tree after that block.
public struct StateEntryProof: Hashable, Sendable, CanonicalCodable {
    /// The certified block header.
    public var anchor: CertifiedHeader
    /// The full state key.
    public var key: [UInt8]
    /// The value, or `nil` to prove the key absent.
    public var value: [UInt8]?
    /// The state-tree path.
    public var proof: StateProof

    /// Creates a proof.
    public init(anchor: CertifiedHeader, key: [UInt8], value: [UInt8]?, proof: StateProof) {
        self.anchor = anchor
        self.key = key
        self.value = value
        self.proof = proof
    }

    /// Checks the anchor, then that the state proof shows `key` holding `value` (or absent).
    /// - Throws: ``ProofError``.
    public func verify(genesis: Genesis) throws(ProofError) {
        try anchor.verify(genesis: genesis)
        guard proof.verify(key: key, value: value, root: anchor.header.stateRoot, suite: genesis.suite) else {
            throw .stateMismatch
        }
    }

    /// anchor, key, optional value, proof.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(anchor)
        encoder.encode(bytes: key)
        encoder.encode(Bool(value != nil))
        if let value { encoder.encode(bytes: value) }
        encoder.encode(proof)
    }

    /// Reads a proof.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        anchor = try decoder.decode(CertifiedHeader.self)
        key = try decoder.decodeBytes("state.key", max: Limits.stateKeyBytesMax)
        value = try decoder.decodeBool("state.has_value")
            ? try decoder.decodeBytes("state.value", max: Limits.stateValueBytesMax) : nil
        proof = try decoder.decode(StateProof.self)
    }
}

/// The file `civic verify` reads: a magic prefix, a version, and one proof.
public enum ProofFile: Hashable, Sendable, CanonicalCodable {
    /// The first bytes of every proof file: `CIVICPROOF`.
    public static let magic = Array("CIVICPROOF".utf8)
    /// The only version this build writes and reads.
    public static let currentVersion: UInt8 = 1

    /// A committed transaction and its receipt.
    case transaction(TransactionProof)
    /// A state entry or its absence.
    case state(StateEntryProof)

    /// Checks the proof against `genesis`.
    /// - Throws: ``ProofError``.
    public func verify(genesis: Genesis) throws(ProofError) {
        switch self {
        case .transaction(let proof): try proof.verify(genesis: genesis)
        case .state(let proof): try proof.verify(genesis: genesis)
        }
    }

    /// Decodes a proof file's bytes.
    /// - Throws: ``ProofError/malformed(_:)``.
    public static func decode(_ bytes: [UInt8]) throws(ProofError) -> ProofFile {
        do { return try ProofFile(canonicalBytes: bytes) } catch { throw .malformed(error.description) }
    }

    /// magic, version, tag, proof.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(fixed: ProofFile.magic)
        encoder.encode(ProofFile.currentVersion)
        switch self {
        case .transaction(let proof):
            encoder.encodeVarint(1)
            encoder.encode(proof)
        case .state(let proof):
            encoder.encodeVarint(2)
            encoder.encode(proof)
        }
    }

    /// Reads a proof file.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        guard try decoder.decodeFixed("magic", count: ProofFile.magic.count) == ProofFile.magic else {
            throw .invalidValue(field: "magic", reason: "not a CivicLedger proof file")
        }
        let version = try decoder.decodeUInt8("proof.version")
        guard version == ProofFile.currentVersion else { throw .unsupportedVersion(type: "proof file", version: version) }
        switch try decoder.decodeVarint("proof.kind") {
        case 1: self = .transaction(try decoder.decode(TransactionProof.self))
        case 2: self = .state(try decoder.decode(StateEntryProof.self))
        case let tag: throw .unknownTag(field: "proof.kind", tag: tag)
        }
    }
}
