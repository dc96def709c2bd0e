/// An enumeration stored as one byte (its raw value) with a lower-case name for files, the CLI and the API: the
/// encoding, the strict decoding (an unknown byte is ``CodecError/unknownTag(field:tag:)``) and the lookup by name
/// in one place.
public protocol CanonicalByteEnum: RawRepresentable<UInt8>, CaseIterable, CanonicalCodable {
    /// The field name a decoding error reports, e.g. `request.status`.
    static var canonicalField: String { get }
    /// The name in files, the CLI and the API.
    var name: String { get }
}

extension CanonicalByteEnum {
    /// The raw value, one byte.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }

    /// Reads the byte; refuses one that names no case.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let byte = try decoder.decodeUInt8(Self.canonicalField)
        guard let value = Self(rawValue: byte) else { throw .unknownTag(field: Self.canonicalField, tag: UInt64(byte)) }
        self = value
    }

    /// The case called `name`, or `nil`.
    public init?(name: String) {
        guard let value = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = value
    }
}
