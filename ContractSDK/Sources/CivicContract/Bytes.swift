// Small byte helpers and a little-endian codec (Docs/0012: integers in buffers are little-endian,
// strings UTF-8). No Foundation: this compiles with Embedded Swift.

/// Conversions between text, integers and bytes.
public enum Bytes {
    /// `bytes` as UTF-8 text, or nil when they are not valid UTF-8.
    public static func string(_ bytes: [UInt8]) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// Whether `bytes` begins with `prefix`.
    public static func hasPrefix(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for index in prefix.indices where bytes[index] != prefix[index] { return false }
        return true
    }

    /// The 8 little-endian bytes of `value`.
    public static func uint64(_ value: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.append(value)
        return writer.bytes
    }

    /// The value of 8 little-endian bytes, or nil for another length.
    public static func uint64(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        var reader = ByteReader(bytes)
        return reader.readUInt64()
    }

    /// Lowercase hexadecimal of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Appends little-endian integers and length-prefixed byte strings.
public struct ByteWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends raw bytes.
    public mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    /// Appends a 4-byte little-endian integer.
    public mutating func append(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// Appends an 8-byte little-endian integer.
    public mutating func append(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Appends `u32 length` then the bytes.
    public mutating func appendLengthPrefixed(_ raw: [UInt8]) {
        append(UInt32(raw.count))
        append(raw)
    }

    /// Appends `u32 length` then the UTF-8 bytes of `text`.
    public mutating func appendLengthPrefixed(_ text: String) { appendLengthPrefixed(Array(text.utf8)) }
}

/// Reads what ``ByteWriter`` wrote; every read returns nil when the bytes run out.
public struct ByteReader {
    let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var offset = 0

    /// A reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte was read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// The next `count` bytes.
    public mutating func read(count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A 4-byte little-endian integer.
    public mutating func readUInt32() -> UInt32? {
        guard let raw = read(count: 4) else { return nil }
        var value: UInt32 = 0
        for index in (0..<4).reversed() { value = value << 8 | UInt32(raw[index]) }
        return value
    }

    /// An 8-byte little-endian integer.
    public mutating func readUInt64() -> UInt64? {
        guard let raw = read(count: 8) else { return nil }
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(raw[index]) }
        return value
    }

    /// `u32 length` then that many bytes.
    public mutating func readLengthPrefixed() -> [UInt8]? {
        guard let length = readUInt32() else { return nil }
        return read(count: Int(length))
    }

    /// `u32 length` then that many bytes of UTF-8 text.
    public mutating func readString() -> String? {
        readLengthPrefixed().flatMap { Bytes.string($0) }
    }
}
