import CivicLedger
import Synchronization

/// Reads committed (or block-pending) state by full key.
public protocol StateReader {
    /// The value stored under `key`, or `nil`.
    func value(forKey key: [UInt8]) -> [UInt8]?

    /// The smallest present key that is greater than `key` (bytewise) and starts with `prefix`, or `nil`: the
    /// key-ordered iteration behind the contracts' `state_next` (Docs/0012). Deleted keys are absent.
    func nextKey(after key: [UInt8], prefix: [UInt8]) -> [UInt8]?
}

/// Pending writes layered over a reader: a block's writes over committed state, and each
/// transaction's writes over its block's. Lookups use a dictionary; output is sorted by key,
/// so nothing observable depends on dictionary order.
public struct StateOverlay: StateReader {
    private let base: any StateReader
    private var pending: [[UInt8]: [UInt8]?] = [:]
    /// The pending keys in order, built on first use by ``nextKey(after:prefix:)``. A fresh index comes with each
    /// ``apply(_:)`` (once per transaction on a block's overlay, whose keys then stay put while the transaction
    /// iterates); ``set(_:_:)`` drops it, and an overlay without one scans its (small) pending writes instead.
    private var index: SortedKeyIndex?

    /// Creates an empty overlay over `base`.
    public init(base: any StateReader) { self.base = base }

    /// The pending value if any, else the base's.
    public func value(forKey key: [UInt8]) -> [UInt8]? {
        if let entry = pending[key] { return entry }
        return base.value(forKey: key)
    }

    /// The smallest key after `key` with `prefix`, merging the pending writes with the base's keys: a pending
    /// write adds its key, a pending delete hides the base's. Costs a scan of the pending writes plus one base
    /// lookup per hidden key.
    public func nextKey(after key: [UInt8], prefix: [UInt8]) -> [UInt8]? {
        var best: [UInt8]?
        if let index {
            best = index.firstKey(after: key, prefix: prefix, pending: pending)
        } else {
            for (candidate, value) in pending where value != nil && candidate.starts(with: prefix)
                && key.lexicographicallyPrecedes(candidate) {
                if best.map({ candidate.lexicographicallyPrecedes($0) }) ?? true { best = candidate }
            }
        }
        var cursor = key
        while let next = base.nextKey(after: cursor, prefix: prefix) {
            if let best, !next.lexicographicallyPrecedes(best) { break }
            if let entry = pending[next], entry == nil {
                cursor = next
                continue
            }
            return next
        }
        return best
    }

    /// Records a write (`nil` deletes).
    public mutating func set(_ key: [UInt8], _ value: [UInt8]?) {
        pending[key] = .some(value)
        index = nil
    }

    /// The writes recorded in this overlay (`nil` values delete), for applying to the layer below.
    public var pendingWrites: [[UInt8]: [UInt8]?] { pending }

    /// Applies `writes` on top of this overlay's.
    ///
    /// Callers pass writes rather than an overlay: an overlay built over this one holds a copy of
    /// it as its base, and mutating this one while that copy is alive would copy every pending
    /// write (quadratic work over a block).
    public mutating func apply(_ writes: [[UInt8]: [UInt8]?]) {
        for (key, value) in writes { pending[key] = .some(value) }
        index = SortedKeyIndex()
    }

    /// Whether nothing is pending.
    public var isEmpty: Bool { pending.isEmpty }

    /// The pending writes, sorted by key (byte-wise).
    public var sortedWrites: [(key: [UInt8], value: [UInt8]?)] {
        pending.map { (key: $0.key, value: $0.value) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }
}

/// A contract's view of state during one call: keys are confined to the contract's namespace
/// (`<contract name>/`), so a contract can never write another's data.
public struct ContractState {
    /// The namespace prefix, `<contract>/`.
    public let prefix: [UInt8]
    var overlay: StateOverlay

    init(contract: String, overlay: StateOverlay) {
        prefix = Array((contract + "/").utf8)
        self.overlay = overlay
    }

    /// The full state key of a key in this namespace.
    public func fullKey(_ key: [UInt8]) -> [UInt8] { prefix + key }

    /// The value under `key` in this namespace.
    public func get(_ key: [UInt8]) -> [UInt8]? { overlay.value(forKey: fullKey(key)) }

    /// Writes `value` under `key` in this namespace.
    /// - Throws: ``ContractFailure`` if the key or value exceeds ``Limits``.
    public mutating func put(_ key: [UInt8], _ value: [UInt8]) throws(ContractFailure) {
        let full = fullKey(key)
        guard full.count <= Limits.stateKeyBytesMax else {
            throw ContractFailure(code: "state.key_too_large", message: "A state key is longer than \(Limits.stateKeyBytesMax) bytes.")
        }
        guard value.count <= Limits.stateValueBytesMax else {
            throw ContractFailure(code: "state.value_too_large", message: "A state value is larger than \(Limits.stateValueBytesMax) bytes.")
        }
        overlay.set(full, value)
    }

    /// Deletes `key` in this namespace.
    public mutating func delete(_ key: [UInt8]) { overlay.set(fullKey(key), nil) }

    /// The value under `key` in another contract's namespace, read-only: a contract may read what another
    /// decided (the certificates contract reads governance's trusted issuers) but never write there.
    public func value(inNamespace namespace: String, key: [UInt8]) -> [UInt8]? {
        overlay.value(forKey: Array((namespace + "/").utf8) + key)
    }
}

/// The sorted pending keys of a ``StateOverlay``, computed once and shared by its copies (which have the same
/// pending writes until one of them mutates and drops or replaces its index). A lock makes filling it safe even if
/// copies are read on several threads.
final class SortedKeyIndex: Sendable {
    private let keys = Mutex<[[UInt8]]?>(nil)

    /// The smallest pending key after `key` with `prefix` whose pending value is not a delete.
    func firstKey(after key: [UInt8], prefix: [UInt8], pending: [[UInt8]: [UInt8]?]) -> [UInt8]? {
        let sorted = keys.withLock { keys in
            if let keys { return keys }
            let built = pending.keys.sorted { $0.lexicographicallyPrecedes($1) }
            keys = built
            return built
        }
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if key.lexicographicallyPrecedes(sorted[middle]) { high = middle } else { low = middle + 1 }
        }
        for candidate in sorted[low...] {
            guard candidate.starts(with: prefix) else {
                if candidate.lexicographicallyPrecedes(prefix) { continue }
                return nil
            }
            if let value = pending[candidate], value != nil { return candidate }
        }
        return nil
    }
}
