// The contract's own key-value namespace (Docs/0012: `state_get`, `state_set`, `state_delete`,
// `state_next`). Keys are 1–256 bytes, values at most 64 KiB.

/// The contract's persistent state.
public enum State {
    /// The value of `key`, or nil when it is absent.
    public static func get(_ key: [UInt8]) -> [UInt8]? {
        readResult(withBytes(key) { civic_state_get($0, $1) })
    }

    /// The value of the UTF-8 key `key`, or nil when it is absent.
    public static func get(_ key: String) -> [UInt8]? {
        readResult(withUTF8(key) { civic_state_get($0, $1) })
    }

    /// Writes `value` under `key`.
    public static func set(_ key: [UInt8], _ value: [UInt8]) {
        withBytes(key) { keyPointer, keyLength in
            withBytes(value) { civic_state_set(keyPointer, keyLength, $0, $1) }
        }
    }

    /// Writes `value` under the UTF-8 key `key`.
    public static func set(_ key: String, _ value: [UInt8]) {
        withUTF8(key) { keyPointer, keyLength in
            withBytes(value) { civic_state_set(keyPointer, keyLength, $0, $1) }
        }
    }

    /// Deletes `key` (nothing happens when it is absent).
    public static func delete(_ key: [UInt8]) {
        withBytes(key) { civic_state_delete($0, $1) }
    }

    /// Deletes the UTF-8 key `key`.
    public static func delete(_ key: String) {
        withUTF8(key) { civic_state_delete($0, $1) }
    }

    /// The smallest key greater than `key` in byte order (`[]` starts at the beginning), or nil at
    /// the end. Sees this call's own writes.
    public static func next(after key: [UInt8]) -> [UInt8]? {
        readResult(withBytes(key) { civic_state_next($0, $1) })
    }

    /// The keys after `start` in byte order, optionally only those beginning with `prefix`.
    public static func keys(after start: [UInt8] = [], prefix: [UInt8] = []) -> Keys {
        Keys(start: start.isEmpty ? prefix : start, prefix: prefix)
    }

    /// The keys beginning with the UTF-8 text `prefix`, in byte order.
    public static func keys(prefix: String) -> Keys { keys(prefix: Array(prefix.utf8)) }

    /// A lazy walk over keys by `state_next`: each step is one host call.
    public struct Keys: Sequence, IteratorProtocol {
        var current: [UInt8]
        let prefix: [UInt8]
        var started = false

        init(start: [UInt8], prefix: [UInt8]) {
            current = start
            self.prefix = prefix
        }

        /// The next key, or nil past the last key (or past the prefix).
        public mutating func next() -> [UInt8]? {
            if !started {
                started = true
                // A start equal to the prefix may itself be a key.
                if !current.isEmpty, current == prefix, State.get(current) != nil { return current }
            }
            guard let key = State.next(after: current), Bytes.hasPrefix(key, prefix) else { return nil }
            current = key
            return key
        }
    }
}
