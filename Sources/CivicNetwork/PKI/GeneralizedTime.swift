import CivicLedger

/// ASN.1 GeneralizedTime text for RFC 3161's genTime, computed from the block time without any calendar library
/// or locale (the Determinism rule): `YYYYMMDDhhmmss[.f]Z` in UTC, where the fraction holds the milliseconds with
/// trailing zeros removed and is absent for whole seconds (RFC 3161 §2.4.2 and X.690 §11.7 DER rules).
enum GeneralizedTime {
    /// The text of `time`.
    /// - Precondition: `time` is before the year 10000.
    static func text(_ time: Timestamp) -> String {
        let seconds = time.milliseconds / 1000
        let milliseconds = Int(time.milliseconds % 1000)
        let (year, month, day) = civilDate(daysSinceEpoch: Int64(seconds / 86_400))
        precondition(year < 10_000, "GeneralizedTime has four year digits")
        let second = Int(seconds % 86_400)
        var text = pad(Int(year), 4) + pad(month, 2) + pad(day, 2)
            + pad(second / 3600, 2) + pad(second / 60 % 60, 2) + pad(second % 60, 2)
        if milliseconds != 0 {
            var fraction = pad(milliseconds, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// The instant of a DER GeneralizedTime text, or `nil` if it is not `YYYYMMDDhhmmss[.f{1,3}]Z` (finer fractions
    /// than milliseconds are refused: the chain's time has millisecond precision).
    static func timestamp(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 15, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(8..<10), let minute = number(10..<12), let second = number(12..<14),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60, year >= 1970
        else { return nil }
        var milliseconds = 0
        if bytes.count > 15 {
            let digits = bytes.count - 16
            guard bytes[14] == UInt8(ascii: "."), (1...3).contains(digits), let fraction = number(15..<(15 + digits))
            else { return nil }
            milliseconds = fraction * [100, 10, 1][digits - 1]
        }
        let days = daysSinceEpoch(year: Int64(year), month: month, day: day)
        let total = ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60 + Int64(second)
        return Timestamp(milliseconds: UInt64(total) * 1000 + UInt64(milliseconds))
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int64, month: Int, day: Int) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * Int64(month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
