import CivicTesting
import CivicCrypto

/// The seeded generator of the test-support product, under the name these tests use.
typealias SeededGenerator = SplitMix64

/// Shared helpers of the ledger tests.
enum TestSupport {
    /// The seeds property tests run with (fixed, so that every run checks the same cases).
    static let seeds = SplitMix64.propertySeeds

    /// `hash` with bit `bitIndex` (0 = most significant bit of the first byte) inverted.
    static func flipping(_ hash: Hash256, bit bitIndex: Int) -> Hash256 {
        Hash256(bytes: flipping(hash.bytes, bit: bitIndex))
    }

    /// `bytes` with bit `bitIndex` (0 = most significant bit of the first byte) inverted.
    static func flipping(_ bytes: [UInt8], bit bitIndex: Int) -> [UInt8] {
        var copy = bytes
        copy[bitIndex / 8] ^= 0x80 >> UInt8(bitIndex % 8)
        return copy
    }

    /// Decodes hexadecimal test data.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        precondition(digits.count % 2 == 0, "odd-length hex in test data")
        func nibble(_ digit: UInt8) -> UInt8 {
            digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : (digit | 0x20) - UInt8(ascii: "a") + 10
        }
        return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }
}
