import CivicLedger

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The period in which a certificate is valid, `notBefore...notAfter` inclusive, at one-second precision (X.509
/// stores whole seconds; milliseconds are dropped when a certificate is written).
public struct ValidityWindow: Hashable, Sendable, CustomStringConvertible {
    /// First valid instant.
    public let notBefore: Timestamp
    /// Last valid instant.
    public let notAfter: Timestamp

    /// A window from `notBefore` to `notAfter`.
    /// - Precondition: `notBefore <= notAfter`.
    public init(notBefore: Timestamp, notAfter: Timestamp) {
        precondition(notBefore <= notAfter, "a validity window must not end before it starts")
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// A window that starts at `start` and lasts `days` days.
    public init(starting start: Timestamp, days: UInt64) {
        self.init(notBefore: start, notAfter: Timestamp(milliseconds: start.milliseconds + days * 86_400_000))
    }

    /// `from <notBefore> to <notAfter>` in UTC.
    public var description: String {
        "from \(UTCTime.text(notBefore)) to \(UTCTime.text(notAfter))"
    }
}

/// Wall-clock helpers for the network edge: current time and UTC formatting of a ``Timestamp``.
///
/// Nothing here feeds a hash or a signature; certificate checks and logs are the only users.
enum UTCTime {
    /// The current wall-clock time (`CLOCK_REALTIME`).
    static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: UInt64(max(0, spec.tv_sec)) * 1000 + UInt64(spec.tv_nsec / 1_000_000))
    }

    /// `time` as ISO 8601 UTC to the second, for example `2026-11-21T07:25:26Z`.
    static func text(_ time: Timestamp) -> String {
        let seconds = Int64(time.milliseconds / 1000)
        let (days, secondOfDay) = (seconds / 86_400, seconds % 86_400)
        // Howard Hinnant's civil_from_days: days since 1970-01-01 to a proleptic Gregorian date.
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60))"
            + ":\(two(secondOfDay % 60))Z"
    }
}
