/// One write to the state: set `key` to `value`, or delete `key` when `value` is `nil`.
///
/// Execution collects the writes of a block and applies them in one batch with ``StateTree/applying(_:)``.
public struct StateWrite: Hashable, Sendable {
    /// The state key (for example a contract's storage slot), at most `Limits.stateKeyBytesMax` bytes.
    public var key: [UInt8]
    /// The new value, or `nil` to delete the key.
    public var value: [UInt8]?

    /// Creates a write; `value == nil` deletes `key`.
    public init(key: [UInt8], value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
