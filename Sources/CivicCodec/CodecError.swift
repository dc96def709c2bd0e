/// Why a byte string is not the canonical encoding of the expected value.
///
/// Every case names the field being read so that a person can tell which part of a
/// transaction or block was malformed. The `code` is stable: APIs and tests match on it.
public enum CodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before `field` was complete.
    case truncated(field: String)
    /// Bytes were left over after the value was complete.
    case trailingBytes(count: Int)
    /// A variable-length integer used more bytes than needed, or overflowed 64 bits.
    case nonCanonicalInteger(field: String)
    /// A boolean or optional marker byte was neither 0 nor 1.
    case invalidMarker(field: String, byte: UInt8)
    /// An enumeration tag that this version does not define.
    case unknownTag(field: String, tag: UInt64)
    /// A length or count above the limit for `field`.
    case tooLarge(field: String, count: UInt64, max: Int)
    /// A string field that is not valid UTF-8.
    case invalidUTF8(field: String)
    /// An encoding version this build does not understand.
    case unsupportedVersion(type: String, version: UInt8)
    /// The bytes decode, but break a rule of the type (for example keys out of order).
    case invalidValue(field: String, reason: String)

    /// A stable machine-readable code for this error.
    public var code: String {
        switch self {
        case .truncated: "codec.truncated"
        case .trailingBytes: "codec.trailing_bytes"
        case .nonCanonicalInteger: "codec.non_canonical_integer"
        case .invalidMarker: "codec.invalid_marker"
        case .unknownTag: "codec.unknown_tag"
        case .tooLarge: "codec.too_large"
        case .invalidUTF8: "codec.invalid_utf8"
        case .unsupportedVersion: "codec.unsupported_version"
        case .invalidValue: "codec.invalid_value"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .truncated(let field): "The data ended before the field '\(field)' was complete."
        case .trailingBytes(let count): "There are \(count) unexpected bytes after the end of the value."
        case .nonCanonicalInteger(let field):
            "The integer in '\(field)' is not in its shortest form (or does not fit in 64 bits)."
        case .invalidMarker(let field, let byte): "The field '\(field)' has marker byte \(byte); only 0 or 1 is allowed."
        case .unknownTag(let field, let tag): "The field '\(field)' has tag \(tag), which this version does not know."
        case .tooLarge(let field, let count, let max): "The field '\(field)' has \(count) items; at most \(max) are allowed."
        case .invalidUTF8(let field): "The text in '\(field)' is not valid UTF-8."
        case .unsupportedVersion(let type, let version): "Version \(version) of \(type) is not supported by this node."
        case .invalidValue(let field, let reason): "The field '\(field)' is invalid: \(reason)."
        }
    }
}
