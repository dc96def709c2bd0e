import CivicCrypto
import CivicLedger

/// Admitted transactions waiting for a block, in arrival order (first come, first proposed).
///
/// A transaction stays known to the mempool from admission until its block is committed, so a
/// duplicate submitted while its first copy is being proposed is still refused.
struct Mempool {
    /// One waiting transaction.
    struct Entry {
        var transaction: Transaction
        var hash: Hash256
        /// The canonical encoding as submitted (strict decoding makes it equal to re-encoding):
        /// blocks reuse it for their Merkle leaves and bytes instead of encoding again.
        var encoded: [UInt8]
    }

    private var queue: [Entry] = []
    private var queueStart = 0
    private var known: Set<Hash256> = []
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "the mempool needs room for at least one transaction")
        self.capacity = capacity
    }

    /// Transactions waiting to be proposed.
    var waitingCount: Int { queue.count - queueStart }

    /// Transactions waiting or being proposed.
    var knownCount: Int { known.count }

    /// Whether `hash` is waiting or being proposed.
    func contains(_ hash: Hash256) -> Bool { known.contains(hash) }

    /// Adds a transaction.
    /// - Throws: ``SubmissionError/duplicate`` or ``SubmissionError/mempoolFull``; nothing changes then.
    mutating func insert(_ entry: Entry) throws(SubmissionError) {
        guard !known.contains(entry.hash) else { throw .duplicate }
        guard known.count < capacity else { throw .mempoolFull }
        known.insert(entry.hash)
        queue.append(entry)
    }

    /// Removes and returns up to `count` waiting transactions, oldest first; they stay known
    /// until ``finish(_:)``.
    mutating func take(upTo count: Int) -> [Entry] {
        let end = min(queue.count, queueStart + count)
        let batch = Array(queue[queueStart..<end])
        queueStart = end
        if queueStart > 4_096 && queueStart * 2 > queue.count {
            queue.removeFirst(queueStart)
            queueStart = 0
        }
        return batch
    }

    /// Forgets transactions whose block was committed (or that were dropped).
    mutating func finish(_ hashes: some Sequence<Hash256>) {
        for hash in hashes { known.remove(hash) }
    }
}
