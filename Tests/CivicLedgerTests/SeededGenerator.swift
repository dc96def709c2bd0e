import CivicCrypto

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, seeded generator so that property tests are reproducible.
/// Tests print the seed with every failure; rerun with that seed to reproduce.
struct SeededGenerator: RandomNumberGenerator {
    /// The seed the generator started from.
    let seed: UInt64
    private var state: UInt64

    /// Starts the sequence of `seed`.
    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The next 64 pseudo-random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }

    /// `count` pseudo-random bytes.
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// Pseudo-random bytes of a length in `lengths`.
    mutating func bytes(lengths: ClosedRange<Int>) -> [UInt8] {
        bytes(count: Int.random(in: lengths, using: &self))
    }
}

/// Shared helpers of the ledger tests.
enum TestSupport {
    /// The seeds property tests run with (fixed, so that every run checks the same cases).
    static let seeds: [UInt64] = [1, 0xC1C1_1ED6_E500_0001, 20_261_121]

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
