import CivicCrypto

/// A ``LedgerStore`` held in memory, for tests and deterministic simulation.
///
/// It follows the same rules as ``SQLiteLedgerStore`` (the conformance suite checks both) but keeps nothing
/// across process restarts. Every call takes one lock for its whole duration, so calls are serialized.
public final class MemoryLedgerStore: LedgerStore {
    /// Everything the store holds, as one value so that a failed commit can simply not assign it.
    private struct Contents: Sendable {
        var blocks: [StoredBlock] = []
        var heightsByHash: [Hash256: Height] = [:]
        var transactions: [Hash256: TransactionLocation] = [:]
        /// State entries sorted by key (bytewise), so that paging is a binary search.
        var state: [StoreStateEntry] = []
        var metadata: [String: [UInt8]] = [:]
        var isClosed = false
    }

    private struct StoredBlock: Sendable {
        var hash: Hash256
        var bytes: [UInt8]
        var certificate: [UInt8]
        var receipts: [[UInt8]]
    }

    /// The serial owner of the contents.
    private let contents = StoreLock(Contents())

    /// Creates an empty store.
    public init() {}

    /// Runs `body` on the contents under the lock; refuses if the store is closed.
    private func withContents<Result: Sendable>(
        _ body: (inout Contents) throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
        try contents.withLock { (contents) throws(StoreError) -> Result in
            guard !contents.isClosed else { throw .closed }
            return try body(&contents)
        }
    }

    /// The height of the last committed block, or `nil` when empty.
    public func latestHeight() throws(StoreError) -> Height? {
        try withContents { contents in contents.blocks.isEmpty ? nil : Height(UInt64(contents.blocks.count - 1)) }
    }

    /// Checks everything that can refuse the batch, then applies it; applying cannot fail, so a refused batch
    /// changes nothing.
    /// - Throws: see ``LedgerStore/commit(_:)``.
    public func commit(_ batch: CommitBatch) throws(StoreError) {
        try batch.validate()
        try withContents { (contents) throws(StoreError) in
            try batch.checkFollows(contents.blocks.isEmpty ? nil : Height(UInt64(contents.blocks.count - 1)))
            guard contents.heightsByHash[batch.blockHash] == nil else { throw .duplicateBlock(batch.blockHash) }
            for hash in batch.transactionHashes where contents.transactions[hash] != nil {
                throw .duplicateTransaction(hash)
            }
            for (index, hash) in batch.transactionHashes.enumerated() {
                contents.transactions[hash] = TransactionLocation(height: batch.height, index: UInt32(index))
            }
            contents.blocks.append(StoredBlock(hash: batch.blockHash, bytes: batch.blockBytes,
                                               certificate: batch.certificateBytes, receipts: batch.receiptBytes))
            contents.heightsByHash[batch.blockHash] = batch.height
            for write in batch.stateWrites { Self.apply(write, to: &contents.state) }
            contents.metadata.merge(batch.metadata) { _, new in new }
            precondition(contents.blocks.count == Int(batch.height.rawValue) + 1, "memory store lost a block")
        }
    }

    /// Inserts, replaces or deletes one entry of the sorted state array.
    private static func apply(_ write: StoreStateWrite, to state: inout [StoreStateEntry]) {
        let position = firstIndex(after: write.key, inclusive: true, in: state)
        let found = position < state.count && state[position].key == write.key
        switch (write.value, found) {
        case (let value?, true): state[position].value = value
        case (let value?, false): state.insert(StoreStateEntry(key: write.key, value: value), at: position)
        case (nil, true): state.remove(at: position)
        case (nil, false): break
        }
    }

    /// The first position whose key is `>= key` (`inclusive`) or `> key` (otherwise), by binary search.
    private static func firstIndex(after key: [UInt8], inclusive: Bool, in state: [StoreStateEntry]) -> Int {
        var low = 0
        var high = state.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = state[middle].key
            let goesRight = inclusive
                ? candidate.lexicographicallyPrecedes(key)
                : !key.lexicographicallyPrecedes(candidate)
            if goesRight { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The block bytes at `height`.
    public func blockBytes(at height: Height) throws(StoreError) -> [UInt8]? {
        try withContents { contents in Self.block(at: height, in: contents)?.bytes }
    }

    /// The height of the block with `hash`.
    public func height(ofBlock hash: Hash256) throws(StoreError) -> Height? {
        try withContents { contents in contents.heightsByHash[hash] }
    }

    /// The certificate bytes at `height`.
    public func certificateBytes(at height: Height) throws(StoreError) -> [UInt8]? {
        try withContents { contents in Self.block(at: height, in: contents)?.certificate }
    }

    /// Where the transaction with `hash` was committed.
    public func transactionLocation(_ hash: Hash256) throws(StoreError) -> TransactionLocation? {
        try withContents { contents in contents.transactions[hash] }
    }

    /// The receipt of transaction `index` at `height`.
    public func receiptBytes(at height: Height, index: UInt32) throws(StoreError) -> [UInt8]? {
        try withContents { contents in
            guard let receipts = Self.block(at: height, in: contents)?.receipts, Int(index) < receipts.count else {
                return nil
            }
            return receipts[Int(index)]
        }
    }

    /// All receipts at `height`.
    public func receiptsBytes(at height: Height) throws(StoreError) -> [[UInt8]]? {
        try withContents { contents in Self.block(at: height, in: contents)?.receipts }
    }

    private static func block(at height: Height, in contents: Contents) -> StoredBlock? {
        height.rawValue < UInt64(contents.blocks.count) ? contents.blocks[Int(height.rawValue)] : nil
    }

    /// The value of a state key.
    public func stateValue(forKey key: [UInt8]) throws(StoreError) -> [UInt8]? {
        try withContents { contents in
            let position = Self.firstIndex(after: key, inclusive: true, in: contents.state)
            guard position < contents.state.count, contents.state[position].key == key else { return nil }
            return contents.state[position].value
        }
    }

    /// Up to `limit` entries after `key` in key order.
    public func stateEntries(after key: [UInt8]?, limit: Int) throws(StoreError) -> [StoreStateEntry] {
        precondition(limit >= 0, "a page limit cannot be negative")
        return try withContents { contents in
            let start = key.map { Self.firstIndex(after: $0, inclusive: false, in: contents.state) } ?? 0
            return Array(contents.state[start..<min(contents.state.count, start + min(limit, contents.state.count))])
        }
    }

    /// The metadata blob `name`.
    public func metadata(_ name: String) throws(StoreError) -> [UInt8]? {
        try withContents { contents in contents.metadata[name] }
    }

    /// Sets the metadata blob `name`.
    public func setMetadata(_ name: String, _ value: [UInt8]) throws(StoreError) {
        try Limits.checkMetadata(name: name, value: value)
        try withContents { contents in contents.metadata[name] = value }
    }

    /// The bytes held: blocks, certificates, receipts, index entries, state and metadata.
    public func storageBytes() throws(StoreError) -> UInt64 {
        try withContents { contents in
            var total = contents.blocks.reduce(0) { sum, block in
                sum + Hash256.byteCount + block.bytes.count + block.certificate.count
                    + block.receipts.reduce(0) { $0 + $1.count }
            }
            total += contents.transactions.count * (Hash256.byteCount + 12)
            total += contents.state.reduce(0) { $0 + $1.key.count + $1.value.count }
            total += contents.metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
            return UInt64(total)
        }
    }

    /// Drops the contents; later calls throw ``StoreError/closed``.
    public func close() {
        contents.withLock { contents in contents = Contents(isClosed: true) }
    }
}
