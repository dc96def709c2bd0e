import CivicCodec
import CivicCrypto

/// A short, stable name for an identity: the first 20 bytes of the suite hash of its public key
/// (the 65-byte uncompressed point). Shown as 40 lower-case hex digits.
public struct Address: Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    /// Byte count of an address.
    public static let byteCount = 20

    /// The 20 bytes.
    public let bytes: [UInt8]

    /// Wraps exactly 20 bytes.
    /// - Precondition: `bytes.count == 20`.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == Address.byteCount, "an address has 20 bytes")
        self.bytes = bytes
    }

    /// Parses 40 hex digits, or returns `nil`.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == Address.byteCount else { return nil }
        self.bytes = bytes
    }

    /// The address of `publicKey`.
    public init(publicKey: PublicKey) {
        bytes = Array(publicKey.suite.hash(publicKey.rawRepresentation).bytes.prefix(Address.byteCount))
    }

    /// Lower-case hex.
    public var hex: String { Hex.encode(bytes) }
    /// Lower-case hex.
    public var description: String { hex }

    /// Byte-wise order.
    public static func < (lhs: Address, rhs: Address) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// 20 raw bytes.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(fixed: bytes) }

    /// Reads 20 raw bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        bytes = try decoder.decodeFixed("address", count: Address.byteCount)
    }
}
