import CivicCrypto

/// Everything one committed block changes, written by ``LedgerStore/commit(_:)`` in one atomic, durable step.
///
/// State writes apply in array order, so when a key appears twice the last write wins.
public struct CommitBatch: Sendable {
    /// The block's height: latest + 1, or 0 (genesis) when the store is empty.
    public var height: Height
    /// The block's hash, computed by the layer above.
    public var blockHash: Hash256
    /// The canonical encoding of the whole block.
    public var blockBytes: [UInt8]
    /// The canonical commit certificate: empty for genesis, never empty for any other block.
    public var certificateBytes: [UInt8]
    /// The block's transaction hashes in block order; a hash's position is its index.
    public var transactionHashes: [Hash256]
    /// The receipts in transaction order; exactly one per transaction.
    public var receiptBytes: [[UInt8]]
    /// The state changes of the block, applied in order.
    public var stateWrites: [StoreStateWrite]
    /// Metadata blobs to set in the same atomic step (for example the validator set that takes effect).
    public var metadata: [String: [UInt8]]

    /// Creates a batch.
    public init(
        height: Height,
        blockHash: Hash256,
        blockBytes: [UInt8],
        certificateBytes: [UInt8],
        transactionHashes: [Hash256],
        receiptBytes: [[UInt8]],
        stateWrites: [StoreStateWrite],
        metadata: [String: [UInt8]] = [:]
    ) {
        self.height = height
        self.blockHash = blockHash
        self.blockBytes = blockBytes
        self.certificateBytes = certificateBytes
        self.transactionHashes = transactionHashes
        self.receiptBytes = receiptBytes
        self.stateWrites = stateWrites
        self.metadata = metadata
    }

    /// Checks the rules a batch must meet on its own, before any store looks at it.
    /// - Throws: ``StoreError/invalidBatch(reason:)`` or ``StoreError/duplicateTransaction(_:)`` for a hash that
    ///   appears twice in the batch.
    public func validate() throws(StoreError) {
        guard height.rawValue <= UInt64(Int64.max) else {
            throw .invalidBatch(reason: "height \(height) is beyond the largest storable height")
        }
        guard !blockBytes.isEmpty, blockBytes.count <= Limits.blockBytesMax else {
            throw .invalidBatch(reason: "the block has \(blockBytes.count) bytes; 1...\(Limits.blockBytesMax) allowed")
        }
        guard certificateBytes.isEmpty == (height == .genesis) else {
            throw .invalidBatch(reason: height == .genesis
                ? "the genesis block has no commit certificate" : "block \(height) has no commit certificate")
        }
        guard transactionHashes.count <= Limits.blockTransactionsMax else {
            throw .invalidBatch(reason: "the block has \(transactionHashes.count) transactions; "
                + "at most \(Limits.blockTransactionsMax) allowed")
        }
        guard receiptBytes.count == transactionHashes.count else {
            throw .invalidBatch(reason: "there are \(receiptBytes.count) receipts for "
                + "\(transactionHashes.count) transactions")
        }
        var seen = Set<Hash256>(minimumCapacity: transactionHashes.count)
        for hash in transactionHashes where !seen.insert(hash).inserted {
            throw .duplicateTransaction(hash)
        }
        for write in stateWrites {
            try Limits.checkStateWrite(write)
        }
        for (name, value) in metadata {
            try Limits.checkMetadata(name: name, value: value)
        }
    }

    /// Checks that this batch's height directly follows `latest` (`nil` for an empty store).
    /// - Throws: ``StoreError/outOfOrder(expected:got:)``.
    public func checkFollows(_ latest: Height?) throws(StoreError) {
        let expected = latest.map { $0.next } ?? .genesis
        guard height == expected else { throw .outOfOrder(expected: expected, got: height) }
    }
}
