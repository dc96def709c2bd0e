/// The delay before the next dial of one listed peer: ``NetworkLimits/dialBackoffInitialMilliseconds``, doubling
/// after each failed attempt up to ``NetworkLimits/dialBackoffMaxMilliseconds``, back to the initial value once a
/// link was up. The jitter is applied by ``jittered(_:random:)``.
struct DialBackoff: Equatable {
    /// The delay before the next attempt, without jitter.
    private(set) var milliseconds = NetworkLimits.dialBackoffInitialMilliseconds

    /// Returns the delay for the attempt after a failure, and doubles the next one (up to the maximum).
    mutating func failed() -> Int64 {
        let delay = milliseconds
        milliseconds = min(2 * milliseconds, NetworkLimits.dialBackoffMaxMilliseconds)
        return delay
    }

    /// Returns the delay for the attempt after a link that was up, and starts the doubling again.
    mutating func linkEnded() -> Int64 {
        milliseconds = NetworkLimits.dialBackoffInitialMilliseconds
        return milliseconds
    }

    /// `milliseconds` moved by up to ``NetworkLimits/dialBackoffJitterPercent`` percent either way.
    static func jittered(_ milliseconds: Int64, random: (ClosedRange<Int64>) -> Int64 = { .random(in: $0) }) -> Int64 {
        let spread = milliseconds * NetworkLimits.dialBackoffJitterPercent / 100
        return milliseconds + random(-spread...spread)
    }
}
