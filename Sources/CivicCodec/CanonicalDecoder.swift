/// Reads a canonical encoding written by ``CanonicalEncoder``, refusing anything that is not
/// exactly what the encoder would have written.
///
/// Because every rule is strict (shortest varints, 0/1 markers, known tags, valid UTF-8,
/// no trailing bytes), a successful decode re-encodes to the very same bytes. Every length
/// is checked against a caller-given maximum before anything is allocated.
public struct CanonicalDecoder: Sendable {
    private let bytes: [UInt8]
    /// The index of the next byte to read.
    public private(set) var position: Int

    /// Creates a decoder over `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
    }

    /// How many bytes are left.
    public var remaining: Int { bytes.count - position }

    /// Throws unless every byte has been read.
    public func finish() throws(CodecError) {
        if remaining != 0 { throw .trailingBytes(count: remaining) }
    }

    /// Reads one byte.
    public mutating func decodeUInt8(_ field: String) throws(CodecError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(field: field) }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads a 16-bit big-endian integer.
    public mutating func decodeUInt16(_ field: String) throws(CodecError) -> UInt16 {
        UInt16(try readBigEndian(width: 2, field: field))
    }

    /// Reads a 32-bit big-endian integer.
    public mutating func decodeUInt32(_ field: String) throws(CodecError) -> UInt32 {
        UInt32(try readBigEndian(width: 4, field: field))
    }

    /// Reads a 64-bit big-endian integer.
    public mutating func decodeUInt64(_ field: String) throws(CodecError) -> UInt64 {
        try readBigEndian(width: 8, field: field)
    }

    /// Reads a boolean byte; only 0 and 1 are accepted.
    public mutating func decodeBool(_ field: String) throws(CodecError) -> Bool {
        let byte = try decodeUInt8(field)
        guard byte <= 1 else { throw .invalidMarker(field: field, byte: byte) }
        return byte == 1
    }

    /// Reads an unsigned LEB128 integer, refusing non-shortest forms and overflow.
    public mutating func decodeVarint(_ field: String) throws(CodecError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try decodeUInt8(field)
            let payload = UInt64(byte & 0x7f)
            if shift == 63 && payload > 1 { throw .nonCanonicalInteger(field: field) }
            result |= payload << shift
            if byte & 0x80 == 0 {
                // A final zero byte after the first is a padded (non-shortest) form.
                if byte == 0 && shift > 0 { throw .nonCanonicalInteger(field: field) }
                return result
            }
            shift += 7
            if shift > 63 { throw .nonCanonicalInteger(field: field) }
        }
    }

    /// Reads a varint count and checks it against `max`.
    public mutating func decodeCount(_ field: String, max: Int) throws(CodecError) -> Int {
        let count = try decodeVarint(field)
        guard count <= UInt64(max) else { throw .tooLarge(field: field, count: count, max: max) }
        return Int(count)
    }

    /// Reads a length-prefixed byte string of at most `max` bytes.
    public mutating func decodeBytes(_ field: String, max: Int) throws(CodecError) -> [UInt8] {
        let count = try decodeCount(field, max: max)
        return try decodeFixed(field, count: count)
    }

    /// Reads exactly `count` bytes with no length prefix.
    public mutating func decodeFixed(_ field: String, count: Int) throws(CodecError) -> [UInt8] {
        guard remaining >= count else { throw .truncated(field: field) }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Reads a length-prefixed UTF-8 string of at most `maxBytes` bytes.
    public mutating func decodeString(_ field: String, maxBytes: Int) throws(CodecError) -> String {
        let raw = try decodeBytes(field, max: maxBytes)
        guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(field: field) }
        return text
    }

    /// Reads a value that knows its own decoding.
    public mutating func decode<Value: CanonicalDecodable>(_ type: Value.Type) throws(CodecError) -> Value {
        try Value(from: &self)
    }

    /// Reads a 0/1 marker and then the value if the marker is 1.
    public mutating func decodeOptional<Value: CanonicalDecodable>(
        _ type: Value.Type, _ field: String
    ) throws(CodecError) -> Value? {
        try decodeBool(field) ? try Value(from: &self) : nil
    }

    /// Reads a count (at most `max`) followed by that many elements.
    public mutating func decodeSequence<Value: CanonicalDecodable>(
        _ type: Value.Type, _ field: String, max: Int
    ) throws(CodecError) -> [Value] {
        let count = try decodeCount(field, max: max)
        // Each element takes at least one byte: refuse counts the input cannot hold
        // before reserving memory for them.
        guard count <= remaining else { throw .truncated(field: field) }
        var values: [Value] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try Value(from: &self)) }
        return values
    }

    private mutating func readBigEndian(width: Int, field: String) throws(CodecError) -> UInt64 {
        guard remaining >= width else { throw .truncated(field: field) }
        var value: UInt64 = 0
        for offset in 0..<width { value = value << 8 | UInt64(bytes[position + offset]) }
        position += width
        return value
    }
}
