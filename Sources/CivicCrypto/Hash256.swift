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

    /// Creates a digest from four big-endian words.
    init(words: (UInt64, UInt64, UInt64, UInt64)) {
        (w0, w1, w2, w3) = words
    }

    /// Creates a digest from exactly 32 bytes.
    /// - Precondition: `bytes.count == 32`.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) {
        let fast: Hash256? = bytes.withContiguousStorageIfAvailable { buffer in
            precondition(buffer.count == Hash256.byteCount, "a Hash256 has 32 bytes, got \(buffer.count)")
            return Hash256(unsafeBytes: UnsafeRawBufferPointer(buffer))
        }
        if let fast {
            self = fast
            return
        }
        precondition(bytes.count == Hash256.byteCount, "a Hash256 has 32 bytes, got \(bytes.count)")
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        self.init(words: (UInt64(bigEndian: words.0), UInt64(bigEndian: words.1),
                          UInt64(bigEndian: words.2), UInt64(bigEndian: words.3)))
    }

    /// Creates a digest from 32 bytes in memory.
    /// - Precondition: `raw.count == 32`.
    public init(unsafeBytes raw: UnsafeRawBufferPointer) {
        precondition(raw.count == Hash256.byteCount, "a Hash256 has 32 bytes, got \(raw.count)")
        w0 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        w1 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        w2 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        w3 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// Creates a digest from 32 bytes, or `nil` for any other count.
    public init?(validating bytes: [UInt8]) {
        guard bytes.count == Hash256.byteCount else { return nil }
        self.init(bytes: bytes)
    }

    /// The 32 bytes, most significant first (one allocation: the array).
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Calls `body` with the 32 bytes, most significant first, without allocating.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var bigEndian = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        return try Swift.withUnsafeBytes(of: &bigEndian, body)
    }

    /// Bit `index` counted from the most significant bit of the first byte (0...255).
    public func bit(_ index: Int) -> Bool {
        precondition((0..<256).contains(index), "bit index \(index) outside 0..<256")
        let word: UInt64
        switch index / 64 {
        case 0: word = w0
        case 1: word = w1
        case 2: word = w2
        default: word = w3
        }
        return (word >> UInt64(63 - index % 64)) & 1 == 1
    }

    /// Lower-case hexadecimal.
    public var hex: String {
        withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: 64) { out in
                let digits: StaticString = "0123456789abcdef"
                for (index, byte) in raw.enumerated() {
                    out[2 * index] = digits.utf8Start[Int(byte >> 4)]
                    out[2 * index + 1] = digits.utf8Start[Int(byte & 0x0f)]
                }
                return 64
            }
        }
    }

    /// Lower-case hexadecimal.
    public var description: String { hex }

    /// Orders digests as unsigned big-endian numbers (byte-wise lexicographic order).
    public static func < (lhs: Hash256, rhs: Hash256) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}

extension Hash256: ContiguousBytesView {
    /// Calls `body` with the 32 bytes, so a digest can be hashed or signed without copying it into an array.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}
