import CivicContracts

/// Committed state as a plain dictionary: the simplest possible ``StateReader``, for contract tests.
public struct DictionaryState: StateReader, Sendable {
    /// Every key and value.
    public var entries: [[UInt8]: [UInt8]] = [:]

    /// State holding `writes` (a `nil` value deletes).
    public init(_ writes: [(key: [UInt8], value: [UInt8]?)] = []) { apply(writes) }

    /// The value under `key`.
    public func value(forKey key: [UInt8]) -> [UInt8]? { entries[key] }

    /// The smallest key with `prefix` after `key`.
    public func nextKey(after key: [UInt8], prefix: [UInt8]) -> [UInt8]? {
        entries.keys.filter { $0.starts(with: prefix) && key.lexicographicallyPrecedes($0) }
            .min { $0.lexicographicallyPrecedes($1) }
    }

    /// Applies `writes` in order.
    public mutating func apply(_ writes: [(key: [UInt8], value: [UInt8]?)]) {
        for write in writes { entries[write.key] = write.value }
    }
}
