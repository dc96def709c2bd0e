import CivicContracts
import CivicCrypto
import CivicLedger
import Synchronization

/// Committed state values as execution reads them: the state tree (in memory) answers whether a
/// key exists, a bounded cache answers for recently read or written keys, and only the rest is
/// read from the store. Absent keys (a new evidence fingerprint, a new key–value entry) thus
/// never touch the disk, and the identities every transaction looks up stay in memory.
///
/// Consistency: the block producer applies each committed block's writes to the cache right
/// after the store commit (``apply(_:)``), and a read that raced with a commit does not insert
/// what it read (a generation counter tells), so the cache never holds a value older than the
/// store's.
final class CommittedState: Sendable {
    /// Most values held in the cache; past it the cache starts over.
    static let cachedValuesMax = 200_000

    private struct Cache {
        var values: [[UInt8]: [UInt8]] = [:]
        var generation: UInt64 = 0
    }

    private let store: any LedgerStore
    private let cache = Mutex(Cache())

    init(store: any LedgerStore) { self.store = store }

    /// A reader over the state that `tree` describes (the producer's current tree, or a snapshot's).
    func reader(tree: StateTree) -> some StateReader { Reader(state: self, tree: tree) }

    /// Records a committed block's writes.
    func apply(_ writes: [StateWrite]) {
        cache.withLock { cache in
            cache.generation += 1
            if cache.values.count + writes.count > CommittedState.cachedValuesMax { cache.values.removeAll(keepingCapacity: true) }
            for write in writes { cache.values[write.key] = write.value }
        }
    }

    fileprivate func value(forKey key: [UInt8], tree: StateTree) -> [UInt8]? {
        let (cached, generation) = cache.withLock { ($0.values[key], $0.generation) }
        if let cached { return cached }
        guard tree.contains(key: key) else { return nil }
        let value: [UInt8]?
        do { value = try store.stateValue(forKey: key) } catch {
            preconditionFailure("reading state failed (\(error)); the node stops so that it cannot diverge")
        }
        if let value {
            cache.withLock { cache in
                if cache.generation == generation && cache.values.count < CommittedState.cachedValuesMax { cache.values[key] = value }
            }
        }
        return value
    }

    /// The smallest stored key after `key` with `prefix`, read from the store in key order. The store holds the
    /// latest committed block's state (the producer applies each block's writes right after the store commit), which
    /// is what execution reads; a reader over an older snapshot's tree would see newer keys here.
    fileprivate func nextKey(after key: [UInt8], prefix: [UInt8]) -> [UInt8]? {
        let entries: [StoreStateEntry]
        do { entries = try store.stateEntries(after: key, limit: 1) } catch {
            preconditionFailure("reading state failed (\(error)); the node stops so that it cannot diverge")
        }
        guard let next = entries.first?.key, next.starts(with: prefix) else { return nil }
        return next
    }

    private struct Reader: StateReader {
        let state: CommittedState
        let tree: StateTree

        func value(forKey key: [UInt8]) -> [UInt8]? { state.value(forKey: key, tree: tree) }

        func nextKey(after key: [UInt8], prefix: [UInt8]) -> [UInt8]? { state.nextKey(after: key, prefix: prefix) }
    }
}
