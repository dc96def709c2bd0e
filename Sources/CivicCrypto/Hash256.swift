/// A 256-bit digest of the chain's hash function (SM3 or SHA-256).
///
/// Stored inline as four big-endian words so that hashing-heavy code (Merkle trees, the state
/// tree) neither allocates nor compares through arrays.
public struct Hash256: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Byte count of every digest.
    public static let byteCount = 32
    /// The all-zero value, used as the hash of an empty state subtree.
    public static let zero = Hash256(words: (0, 0, 0, 0))

    private var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        (w0, w1, w2, w3) = words
    }

    /// Creates a digest from exactly 32 bytes.
    /// - Precondition: `bytes.count == 32`.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) {
        precondition(bytes.count == Hash256.byteCount, "a Hash256 has 32 bytes, got \(bytes.count)")
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() { words[index / 8] = words[index / 8] << 8 | UInt64(byte) }
        (w0, w1, w2, w3) = (words[0], words[1], words[2], words[3])
    }

    /// Creates a digest from 32 bytes, or `nil` for any other count.
    public init?(validating bytes: [UInt8]) {
        guard bytes.count == Hash256.byteCount else { return nil }
        self.init(bytes: bytes)
    }

    /// The 32 bytes, most significant first.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return out
    }

    /// Bit `index` counted from the most significant bit of the first byte (0...255).
    public func bit(_ index: Int) -> Bool {
        precondition((0..<256).contains(index), "bit index \(index) outside 0..<256")
        let word = [w0, w1, w2, w3][index / 64]
        return (word >> UInt64(63 - index % 64)) & 1 == 1
    }

    /// Lower-case hexadecimal.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hexadecimal.
    public var description: String { hex }

    /// Orders digests as unsigned big-endian numbers (byte-wise lexicographic order).
    public static func < (lhs: Hash256, rhs: Hash256) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}
