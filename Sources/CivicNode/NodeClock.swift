#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CivicLedger

/// Where the node reads wall-clock time: block time proposals and expiry checks at admission.
/// Execution never reads it; tests inject a fixed or stepped clock.
public protocol NodeClock: Sendable {
    /// The current time.
    func now() -> Timestamp
}

/// The system's real-time clock.
public struct SystemClock: NodeClock {
    /// Creates the clock.
    public init() {}

    /// `clock_gettime(CLOCK_REALTIME)` in milliseconds.
    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000)
    }
}
