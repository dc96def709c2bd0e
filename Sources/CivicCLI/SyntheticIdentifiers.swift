/// Synthetic identifiers in the real formats, generated in ascending order so that a table keyed by them is written
/// sequentially. No real person or company is named: region codes are Nanjing's districts, everything else is counted.
enum SyntheticIdentifiers {
    /// Nanjing district codes (GB/T 2260), ascending.
    static let regions = ["320102", "320104", "320105", "320106", "320111", "320113", "320114", "320115", "320116",
                          "320117", "320118"]
    /// People born on one synthetic day in one district.
    static let peoplePerDay = 50

    /// The 18-character resident ID number (GB 11643-1999) of person `index` of `count`: district, birth date from
    /// 1940-01-01, sequence (odd for men, even for women), check character. Ascending in `index`.
    static func personID(_ index: Int, count: Int) -> String {
        let (region, within) = split(index, count: count)
        let day = within / peoplePerDay
        let sequence = (within % peoplePerDay) * 19 + 1
        let body = regions[region] + birthDate(day: day, separator: "") + digits(sequence, width: 3)
        return body + String(idCheckCharacter(body))
    }

    /// The birth date of person `index` of `count`, `YYYY-MM-DD`.
    static func personBirthDate(_ index: Int, count: Int) -> String {
        birthDate(day: split(index, count: count).within / peoplePerDay, separator: "-")
    }

    /// The ISO 7064 MOD 11-2 check character of the first 17 characters of an ID number.
    static func idCheckCharacter(_ body: String) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - 0x30) * $1.1 }
        return Array("10X98765432")[sum % 11]
    }

    /// Whether `id` is 17 digits and the right check character.
    static func isValidPersonID(_ id: String) -> Bool {
        let characters = Array(id)
        guard characters.count == 18, characters.prefix(17).allSatisfy(\.isASCII), characters.prefix(17).allSatisfy(\.isNumber)
        else { return false }
        return idCheckCharacter(String(characters.prefix(17))) == characters[17]
    }

    /// The characters of a unified social credit code (GB 32100-2015): digits and capitals without I, O, S, V, Z.
    static let creditCharacters = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// The unified social credit code of company `index` of `count`: `91` (market regulation, enterprise), district,
    /// a 9-character organization code (8 digits and the GB 11714 check), and the check character. Ascending in `index`.
    static func companyCode(_ index: Int, count: Int) -> String {
        let (region, within) = split(index, count: count)
        let organization = digits(10_000_000 + within * 37, width: 8)
        let body = "91" + regions[region] + organization + String(organizationCheckCharacter(organization))
        return body + String(creditCheckCharacter(body))
    }

    /// The GB 11714 check character of an 8-character organization code (digits, and capitals worth 10 for `A` on).
    static func organizationCheckCharacter(_ code: String) -> Character {
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(code.utf8, weights).reduce(0) { $0 + Int($1.0 <= 0x39 ? $1.0 - 0x30 : $1.0 - 55) * $1.1 }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let value: return Character(String(value))
        }
    }

    /// The GB 32100 check character of the first 17 characters of a credit code.
    static func creditCheckCharacter(_ body: String) -> Character {
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let sum = zip(body, weights).reduce(0) { $0 + (creditCharacters.firstIndex(of: $1.0) ?? 0) * $1.1 }
        return creditCharacters[(31 - sum % 31) % 31]
    }

    /// Whether `code` is a credit code with the right check characters.
    static func isValidCompanyCode(_ code: String) -> Bool {
        let characters = Array(code)
        guard characters.count == 18, characters.allSatisfy({ creditCharacters.contains($0) }) else { return false }
        return organizationCheckCharacter(String(characters[8..<16])) == characters[16]
            && creditCheckCharacter(String(characters.prefix(17))) == characters[17]
    }

    /// A synthetic name (pinyin) for row `index`.
    static func name(_ index: Int) -> String {
        let surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu"]
        let given = ["Wei", "Fang", "Na", "Min", "Jing", "Lei", "Qiang", "Jun", "Yang", "Yan", "Jie", "Tao", "Ming",
                     "Chao", "Xiu", "Xia", "Ping", "Gang", "Hua", "Hong", "Yu", "Ting", "Hao", "Kai"]
        return surnames[index % surnames.count] + " " + given[(index / surnames.count) % given.count]
            + (index % 3 == 0 ? given[(index / 7) % given.count].lowercased() : "")
    }

    /// A synthetic street address in the district of row `index` of `count`.
    static func address(_ index: Int, count: Int) -> String {
        let streets = ["Zhongshan Road", "Hanzhong Road", "Beijing East Road", "Jiangdong Road", "Longpan Road",
                       "Hexi Avenue", "Zhujiang Road", "Taiping Road", "Ruanjian Avenue", "Xianlin Avenue"]
        let region = split(index, count: count).region
        return "\(regions[region]) \(streets[(index / 11) % streets.count]) No. \(index % 997 + 1), Room \(index % 37 + 101)"
    }

    /// The district and the position within it of row `index` of `count` (rows fill the districts in order).
    private static func split(_ index: Int, count: Int) -> (region: Int, within: Int) {
        let perRegion = max(1, (max(count, 1) + regions.count - 1) / regions.count)
        return (min(index / perRegion, regions.count - 1), index - min(index / perRegion, regions.count - 1) * perRegion)
    }

    /// `value` in `width` decimal digits, zero-padded.
    private static func digits(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The date `day` days after 1940-01-01 (proleptic Gregorian, Hinnant's days-to-civil).
    private static func birthDate(day: Int, separator: String) -> String {
        let days = day - 10_958 + 719_468   // 1940-01-01 is day -10,958 of the Unix epoch
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return digits(year, width: 4) + separator + digits(month, width: 2) + separator + digits(dayOfMonth, width: 2)
    }
}
