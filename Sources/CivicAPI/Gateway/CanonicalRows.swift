/// The bytes the gateway seals and fingerprints: the served rows as canonical JSON.
///
/// An array of objects; each object's keys sorted by their UTF-8 bytes; values are JSON strings or `null`; no
/// whitespace; strings escape `"`, `\` and the control characters below U+0020 (as `\b \f \n \r \t` or `\u00XX`)
/// and nothing else, so one set of rows has exactly one encoding (RFC 8785's rules for strings). The consumer
/// fingerprints the bytes it opens, never a re-encoding.
public enum CanonicalRows {
    /// The canonical JSON of `rows`.
    public static func encode(_ rows: [DataRow]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        for (index, row) in rows.enumerated() {
            if index > 0 { out.append(0x2C) }
            out.append(0x7B)
            for (position, key) in row.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
                if position > 0 { out.append(0x2C) }
                appendString(key, to: &out)
                out.append(0x3A)
                if let value = row[key] ?? nil { appendString(value, to: &out) } else { out += Array("null".utf8) }
            }
            out.append(0x7D)
        }
        out.append(0x5D)
        return out
    }

    private static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, 0x62]
            case 0x0C: out += [0x5C, 0x66]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
