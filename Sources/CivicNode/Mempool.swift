import CivicCrypto
import CivicLedger

/// Admitted transactions waiting for a block, in arrival order (first come, first proposed).
///
/// With BFT a proposal may fail and another validator's block commit instead, so proposing does not
/// remove anything: ``reap(upTo:)`` reads the oldest entries and only ``remove(_:)`` (a committed
/// or expired transaction) takes them out. Lookups by hash rebuild a proposal from its outline.
struct Mempool {
    /// One waiting transaction.
    struct Entry {
        var transaction: Transaction
        var hash: Hash256
        /// The canonical bytes as received (they hash and Merkle-hash without re-encoding).
        var encoded: [UInt8]
    }

    /// Entries in arrival order; removed ones are `nil` until compaction drops them.
    private var slots: [Entry?] = []
    /// Slots before this index are all `nil`.
    private var firstLive = 0
    /// Absolute position (including compacted slots) of `slots[0]`.
    private var dropped = 0
    /// Absolute position of each entry.
    private var positions: [Hash256: Int] = [:]
    /// Most entries held.
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "the mempool needs room for at least one transaction")
        self.capacity = capacity
    }

    /// How many transactions wait.
    var count: Int { positions.count }

    /// Whether `hash` waits here.
    func contains(_ hash: Hash256) -> Bool { positions[hash] != nil }

    /// The waiting entry with `hash`.
    func entry(_ hash: Hash256) -> Entry? {
        positions[hash].flatMap { slots[$0 - dropped] }
    }

    /// Adds `entry` at the back.
    /// - Throws: ``SubmissionError/duplicate`` or ``SubmissionError/mempoolFull``.
    mutating func insert(_ entry: Entry) throws(SubmissionError) {
        guard positions[entry.hash] == nil else { throw .duplicate }
        guard positions.count < capacity else { throw .mempoolFull }
        positions[entry.hash] = dropped + slots.count
        slots.append(entry)
    }

    /// The oldest entries, at most `count` of them and at most `bytes` encoded bytes, left in place.
    func reap(upTo count: Int, bytes: Int = .max) -> [Entry] {
        var batch: [Entry] = []
        batch.reserveCapacity(min(count, positions.count))
        var total = 0
        var slot = firstLive
        while batch.count < count && slot < slots.count {
            if let entry = slots[slot] {
                total += entry.encoded.count
                if total > bytes { break }
                batch.append(entry)
            }
            slot += 1
        }
        return batch
    }

    /// Takes out committed or expired transactions (unknown hashes are ignored).
    mutating func remove(_ hashes: some Sequence<Hash256>) {
        for hash in hashes {
            guard let position = positions.removeValue(forKey: hash) else { continue }
            slots[position - dropped] = nil
        }
        while firstLive < slots.count && slots[firstLive] == nil { firstLive += 1 }
        if firstLive > 4_096 && firstLive * 2 > slots.count {
            slots.removeFirst(firstLive)
            dropped += firstLive
            firstLive = 0
        }
        assert(positions.isEmpty == (firstLive == slots.count), "live entries and positions agree")
    }
}
