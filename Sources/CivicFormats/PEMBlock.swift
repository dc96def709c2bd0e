import Foundation

/// RFC 7468 text armor for DER objects (certificates in genesis files and bundles).
public enum PEMBlock {
    /// `-----BEGIN label-----`, the base64 of `der` in 64-character lines, `-----END label-----`.
    public static func encode(der: [UInt8], label: String) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    /// The DER of every `label` block in `text`, in order.
    public static func decodeAll(_ text: String, label: String) -> [[UInt8]] {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        var blocks: [[UInt8]] = []
        var rest = Substring(text)
        while let start = rest.range(of: begin), let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex) {
            let body = rest[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: String(body)), !data.isEmpty else { return [] }
            blocks.append(Array(data))
            rest = rest[stop.upperBound...]
        }
        return blocks
    }

    /// The DER of the single `label` block in `text`, or `nil` if there is not exactly one.
    public static func decode(_ text: String, label: String) -> [UInt8]? {
        let blocks = decodeAll(text, label: label)
        return blocks.count == 1 ? blocks[0] : nil
    }
}
