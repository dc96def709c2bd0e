/// Writes the one canonical byte encoding of a value.
///
/// The format, used for everything CivicLedger hashes or signs:
/// - fixed-width unsigned integers are big-endian;
/// - variable-length integers are unsigned LEB128 in their shortest form;
/// - byte strings and UTF-8 strings are a varint length followed by the bytes;
/// - booleans and optional markers are one byte, 0 or 1;
/// - sequences are a varint count followed by the elements;
/// - enumerations are a varint tag followed by the case's fields.
/// There are no maps: types that hold a mapping encode it as a sequence sorted by key,
/// so no encoding depends on dictionary order, locale or floating point.
public struct CanonicalEncoder: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty encoder, reserving `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends one byte.
    public mutating func encode(_ value: UInt8) { bytes.append(value) }

    /// Appends a 16-bit integer, big-endian.
    public mutating func encode(_ value: UInt16) { appendBigEndian(UInt64(value), width: 2) }

    /// Appends a 32-bit integer, big-endian.
    public mutating func encode(_ value: UInt32) { appendBigEndian(UInt64(value), width: 4) }

    /// Appends a 64-bit integer, big-endian.
    public mutating func encode(_ value: UInt64) { appendBigEndian(value, width: 8) }

    /// Appends a boolean as one byte, 0 or 1.
    public mutating func encode(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends an unsigned LEB128 integer in its shortest form.
    public mutating func encodeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a length-prefixed byte string.
    public mutating func encode<Bytes: Collection<UInt8>>(bytes value: Bytes) {
        encodeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends bytes with no length prefix; the reader must know the count.
    public mutating func encode<Bytes: Collection<UInt8>>(fixed value: Bytes) {
        bytes.append(contentsOf: value)
    }

    /// Appends a length-prefixed UTF-8 string.
    public mutating func encode(string value: String) {
        encode(bytes: Array(value.utf8))
    }

    /// Appends a value that knows its own encoding.
    public mutating func encode(_ value: some CanonicalEncodable) {
        value.encode(to: &self)
    }

    /// Appends a marker (0 for absent, 1 for present) and then the value if present.
    public mutating func encode(optional value: (some CanonicalEncodable)?) {
        if let value {
            bytes.append(1)
            value.encode(to: &self)
        } else {
            bytes.append(0)
        }
    }

    /// Appends a count followed by each element.
    public mutating func encode(sequence values: some Collection<some CanonicalEncodable>) {
        encodeVarint(UInt64(values.count))
        for value in values { value.encode(to: &self) }
    }

    private mutating func appendBigEndian(_ value: UInt64, width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
