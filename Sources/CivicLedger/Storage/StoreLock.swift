#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value reachable only while holding a mutex: the single serial owner of a store's mutable state.
///
/// `Synchronization.Mutex` would do the same, but it needs macOS 15 (the package supports macOS 14), and
/// `NSLock` would pull Foundation into the ledger target; a pthread mutex needs neither.
///
/// `@unchecked Sendable` is safe because `value` is private and touched only inside ``withLock(_:)``, which holds
/// `mutex` for the whole closure; the closure can hand out only a `Sendable` result, never the value itself.
package final class StoreLock<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Wraps `value`; from now on it is reached only through ``withLock(_:)``.
    package init(_ value: consuming Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let code = pthread_mutex_init(mutex, nil)
        precondition(code == 0, "pthread_mutex_init failed with \(code)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result: Sendable, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
