import Foundation

/// A value reachable only while holding a lock: the single serial owner of a store's mutable state.
///
/// `Synchronization.Mutex` would do the same, but it needs macOS 15 and the package supports macOS 14.
///
/// `@unchecked Sendable` is safe because `value` is private and touched only inside ``withLock(_:)``, which holds
/// `lock` for the whole closure; the closure cannot let `value` escape except by copying out a `Sendable` result.
final class StoreLock<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// Wraps `value`; from now on it is reached only through ``withLock(_:)``.
    init(_ value: consuming Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result: Sendable, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
