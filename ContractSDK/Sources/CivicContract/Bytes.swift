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
        let digits = [UInt8](unsafeUninitializedCapacity: 2 * bytes.count) { buffer, initialized in
            if let start = buffer.baseAddress {
                var writer = RawByteWriter(UnsafeMutableRawPointer(start))
                writer.appendHex(bytes)
            }
            initialized = 2 * bytes.count
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

/// Appends little-endian integers and length-prefixed byte strings.
public struct ByteWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer; `capacity` reserves room for that many bytes, so that appends do not grow it.
    public init(capacity: Int = 0) {
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// Appends raw bytes.
    public mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    /// Appends the UTF-8 bytes of `text` (no length prefix).
    public mutating func append(text: String) {
        withUTF8Buffer(text) { bytes.append(contentsOf: $0) }
    }

    /// Appends a 4-byte little-endian integer.
    public mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an 8-byte little-endian integer.
    public mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends `u32 length` then the bytes.
    public mutating func appendLengthPrefixed(_ raw: [UInt8]) {
        append(UInt32(raw.count))
        append(raw)
    }

    /// Appends `u32 length` then the UTF-8 bytes of `text`.
    public mutating func appendLengthPrefixed(_ text: String) {
        append(UInt32(text.utf8.count))
        append(text: text)
    }
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

    /// How many bytes are left to read.
    public var remainingCount: Int { bytes.count - offset }

    /// The next `count` bytes.
    public mutating func read(count: Int) -> [UInt8]? {
        guard count >= 0, remainingCount >= count else { return nil }
        let start = offset
        offset += count
        if count == 0 { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { source in
                let slice = UnsafeRawBufferPointer(rebasing: source[start..<start + count])
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: slice)
            }
            initialized = count
        }
    }

    /// Every byte not read yet (possibly none).
    public mutating func readRemaining() -> [UInt8] { read(count: remainingCount) ?? [] }

    /// A 4-byte little-endian integer.
    public mutating func readUInt32() -> UInt32? {
        guard remainingCount >= 4 else { return nil }
        defer { offset += 4 }
        return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    /// An 8-byte little-endian integer.
    public mutating func readUInt64() -> UInt64? {
        guard remainingCount >= 8 else { return nil }
        defer { offset += 8 }
        return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
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
