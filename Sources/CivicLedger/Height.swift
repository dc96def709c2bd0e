import CivicCodec

/// A block height: 0 is genesis, the first block with transactions is 1.
public struct Height: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    /// The height as a number.
    public var rawValue: UInt64
    /// Wraps a number.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// Wraps a number.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    /// The genesis height.
    public static let genesis = Height(0)
    /// The next height.
    public var next: Height { Height(rawValue + 1) }
    /// Orders by number.
    public static func < (lhs: Height, rhs: Height) -> Bool { lhs.rawValue < rhs.rawValue }
    /// The number.
    public var description: String { String(rawValue) }
    /// Eight bytes, big-endian.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }
    /// Reads eight bytes, big-endian.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) { rawValue = try decoder.decodeUInt64("height") }
}

/// A consensus round within one height; starts at 0.
public struct Round: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    /// The round as a number.
    public var rawValue: UInt32
    /// Wraps a number.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Wraps a number.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    /// Orders by number.
    public static func < (lhs: Round, rhs: Round) -> Bool { lhs.rawValue < rhs.rawValue }
    /// The number.
    public var description: String { String(rawValue) }
    /// Four bytes, big-endian.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }
    /// Reads four bytes, big-endian.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) { rawValue = try decoder.decodeUInt32("round") }
}

/// A point in time agreed by consensus: milliseconds since 1970-01-01T00:00:00Z (UTC).
///
/// Only consensus produces block time; execution never reads a clock.
public struct Timestamp: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    /// Milliseconds since the Unix epoch.
    public var rawValue: UInt64
    /// Wraps milliseconds since the Unix epoch.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// Wraps milliseconds since the Unix epoch.
    public init(milliseconds: UInt64) { self.rawValue = milliseconds }
    /// Milliseconds since the Unix epoch.
    public var milliseconds: UInt64 { rawValue }
    /// Orders by time.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.rawValue < rhs.rawValue }
    /// Milliseconds since the Unix epoch.
    public var description: String { "\(rawValue)ms" }
    /// Eight bytes, big-endian.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }
    /// Reads eight bytes, big-endian.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) { rawValue = try decoder.decodeUInt64("timestamp") }
}
