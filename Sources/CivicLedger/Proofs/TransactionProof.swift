import CivicCodec
import CivicCrypto

/// Everything a court, auditor or citizen needs to check, offline and holding only the genesis
/// file, that a transaction was committed with a given receipt:
/// 0. the validator-set transitions, from genesis on, each certified by the set before it
///    (``ValidatorSetHistory``);
/// 1. the header is certified by more than 2/3 of the voting power of the set in force at its height;
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
    /// The validator-set changes since genesis that the anchor's certificate depends on, in order.
    public var transitions: [ValidatorSetTransition]

    /// Creates a proof.
    public init(anchor: CertifiedHeader, transaction: Transaction, transactionPath: MerkleProof, receipt: Receipt,
                receiptPath: MerkleProof, transitions: [ValidatorSetTransition] = []) {
        self.anchor = anchor
        self.transaction = transaction
        self.transactionPath = transactionPath
        self.receipt = receipt
        self.receiptPath = receiptPath
        self.transitions = transitions
    }

    /// Runs every check above.
    /// - Returns: the validator sets established, for naming the signers.
    /// - Throws: ``ProofError`` naming the first check that fails.
    @discardableResult
    public func verify(genesis: Genesis) throws(ProofError) -> ValidatorSetHistory {
        let history = try ValidatorSetHistory(genesis: genesis, transitions: transitions)
        try history.verify(anchor)
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
        return history
    }

    /// anchor, transaction, path, receipt, path, transitions.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(anchor)
        encoder.encode(transaction)
        encoder.encode(transactionPath)
        encoder.encode(receipt)
        encoder.encode(receiptPath)
        encoder.encode(sequence: transitions)
    }

    /// Reads a proof.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        try self.init(from: &decoder, withTransitions: true)
    }

    /// Reads a proof; version 1 proof files carry no transitions.
    init(from decoder: inout CanonicalDecoder, withTransitions: Bool) throws(CodecError) {
        anchor = try decoder.decode(CertifiedHeader.self)
        transaction = try decoder.decode(Transaction.self)
        transactionPath = try decoder.decode(MerkleProof.self)
        receipt = try decoder.decode(Receipt.self)
        receiptPath = try decoder.decode(MerkleProof.self)
        transitions = withTransitions ? try ValidatorSetTransition.decodeList(&decoder) : []
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
    /// The validator-set changes since genesis that the anchor's certificate depends on, in order.
    public var transitions: [ValidatorSetTransition]

    /// Creates a proof.
    public init(anchor: CertifiedHeader, key: [UInt8], value: [UInt8]?, proof: StateProof,
                transitions: [ValidatorSetTransition] = []) {
        self.anchor = anchor
        self.key = key
        self.value = value
        self.proof = proof
        self.transitions = transitions
    }

    /// Checks the transitions and the anchor, then that the state proof shows `key` holding `value` (or absent).
    /// - Returns: the validator sets established, for naming the signers.
    /// - Throws: ``ProofError``.
    @discardableResult
    public func verify(genesis: Genesis) throws(ProofError) -> ValidatorSetHistory {
        let history = try ValidatorSetHistory(genesis: genesis, transitions: transitions)
        try history.verify(anchor)
        guard proof.verify(key: key, value: value, root: anchor.header.stateRoot, suite: genesis.suite) else {
            throw .stateMismatch
        }
        return history
    }

    /// anchor, key, optional value, proof, transitions.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(anchor)
        encoder.encode(bytes: key)
        encoder.encode(Bool(value != nil))
        if let value { encoder.encode(bytes: value) }
        encoder.encode(proof)
        encoder.encode(sequence: transitions)
    }

    /// Reads a proof.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        try self.init(from: &decoder, withTransitions: true)
    }

    /// Reads a proof; version 1 proof files carry no transitions.
    init(from decoder: inout CanonicalDecoder, withTransitions: Bool) throws(CodecError) {
        anchor = try decoder.decode(CertifiedHeader.self)
        key = try decoder.decodeBytes("state.key", max: Limits.stateKeyBytesMax)
        value = try decoder.decodeBool("state.has_value")
            ? try decoder.decodeBytes("state.value", max: Limits.stateValueBytesMax) : nil
        proof = try decoder.decode(StateProof.self)
        transitions = withTransitions ? try ValidatorSetTransition.decodeList(&decoder) : []
    }
}
