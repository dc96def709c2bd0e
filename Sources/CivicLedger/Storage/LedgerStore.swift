import CivicCrypto

/// The ledger's durable storage: committed blocks, their certificates, receipts, the transaction index, the
/// current state and a few named metadata blobs.
///
/// The store is byte-oriented. The layer above encodes blocks, receipts and certificates canonically and
/// verifies hashes; the store keeps the bytes and the indexes, and guarantees that a ``CommitBatch`` is written
/// atomically and durably (fsync) before ``commit(_:)`` returns. A call that throws leaves the store unchanged.
///
/// Two implementations conform: ``MemoryLedgerStore`` for tests and simulation, ``SQLiteLedgerStore`` for nodes.
/// The conformance suite in the tests runs against both.
public protocol LedgerStore: AnyObject, Sendable {
    /// The height of the last committed block, or `nil` when the store is empty.
    func latestHeight() throws(StoreError) -> Height?

    /// Writes everything one block changes in one atomic, durable step.
    /// - Throws: ``StoreError/outOfOrder(expected:got:)`` unless `batch.height` is latest + 1 (0 when empty),
    ///   ``StoreError/duplicateTransaction(_:)`` if a transaction hash is already committed or repeats in the batch,
    ///   ``StoreError/duplicateBlock(_:)``, ``StoreError/invalidBatch(reason:)``, ``StoreError/diskFull``, and
    ///   I/O errors. On any error nothing is written.
    func commit(_ batch: CommitBatch) throws(StoreError)

    /// The canonical bytes of the block at `height`, or `nil` if there is none.
    func blockBytes(at height: Height) throws(StoreError) -> [UInt8]?

    /// The height of the block whose hash is `hash`, or `nil` if no committed block has it.
    func height(ofBlock hash: Hash256) throws(StoreError) -> Height?

    /// The commit certificate bytes of the block at `height` (empty for genesis), or `nil` if there is no block.
    func certificateBytes(at height: Height) throws(StoreError) -> [UInt8]?

    /// Where the transaction with `hash` was committed, or `nil` if it was not.
    func transactionLocation(_ hash: Hash256) throws(StoreError) -> TransactionLocation?

    /// The receipt of transaction `index` in the block at `height`, or `nil` if there is none.
    func receiptBytes(at height: Height, index: UInt32) throws(StoreError) -> [UInt8]?

    /// All receipts of the block at `height` in transaction order, or `nil` if there is no block at `height`.
    func receiptsBytes(at height: Height) throws(StoreError) -> [[UInt8]]?

    /// The current value of a state key, or `nil` if the key is absent.
    func stateValue(forKey key: [UInt8]) throws(StoreError) -> [UInt8]?

    /// Up to `limit` state entries with keys strictly greater than `after` (from the first key when `nil`), in
    /// bytewise key order; for rebuilding the state tree and for range queries.
    /// - Precondition: `limit >= 0`.
    func stateEntries(after key: [UInt8]?, limit: Int) throws(StoreError) -> [StoreStateEntry]

    /// The metadata blob called `name` (for example "genesis"), or `nil` if it was never set.
    func metadata(_ name: String) throws(StoreError) -> [UInt8]?

    /// Sets a metadata blob on its own, atomically and durably; blobs that belong to a block go in
    /// ``CommitBatch/metadata`` instead.
    /// - Throws: ``StoreError/invalidBatch(reason:)`` for a name or value over the limits, and I/O errors.
    func setMetadata(_ name: String, _ value: [UInt8]) throws(StoreError)

    /// The bytes the store occupies (on disk for SQLite, in memory for the memory store); for metrics.
    func storageBytes() throws(StoreError) -> UInt64

    /// Releases the store's resources; every later call throws ``StoreError/closed``. Closing twice is harmless.
    func close()
}

/// Where a committed transaction sits: the block height and its position in the block.
public struct TransactionLocation: Hashable, Sendable, CustomStringConvertible {
    /// The height of the block that contains the transaction.
    public var height: Height
    /// The transaction's position in the block, from 0.
    public var index: UInt32

    /// Creates a location.
    public init(height: Height, index: UInt32) {
        self.height = height
        self.index = index
    }

    /// "height:index".
    public var description: String { "\(height):\(index)" }
}

/// One state key with its value, as returned by ``LedgerStore/stateEntries(after:limit:)``.
public struct StoreStateEntry: Hashable, Sendable {
    /// The key bytes.
    public var key: [UInt8]
    /// The value bytes.
    public var value: [UInt8]

    /// Creates an entry.
    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

/// One state change: `value == nil` deletes `key`.
public struct StoreStateWrite: Hashable, Sendable {
    /// The key bytes.
    public var key: [UInt8]
    /// The new value, or `nil` to delete the key.
    public var value: [UInt8]?

    /// Creates a write; pass `nil` to delete.
    public init(key: [UInt8], value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
