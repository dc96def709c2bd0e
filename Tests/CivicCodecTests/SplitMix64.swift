/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator so that property tests are reproducible.
/// Every property test prints its seed with a failure; rerun with that seed to reproduce.
struct SplitMix64: RandomNumberGenerator {
    /// The seed the sequence started from.
    let seed: UInt64
    private var state: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

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

    /// A value biased towards the edges of 64 bits (small, near powers of two, maximal), where varint bugs live.
    mutating func interestingUInt64() -> UInt64 {
        switch next() % 4 {
        case 0: return next() % 300
        case 1: return next() >> (next() % 64)
        case 2:
            let power = UInt64(1) << (next() % 64)
            return power &+ UInt64(next() % 3) &- 1
        default: return next()
        }
    }
}

/// The seeds property tests run with; fixed so that every run checks the same cases.
let propertySeeds: [UInt64] = [1, 0xC1C1_1ED6_E500_0001, 20_261_121]
