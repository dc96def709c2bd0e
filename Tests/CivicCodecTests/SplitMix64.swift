import CivicTesting

extension SplitMix64 {
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
let propertySeeds = SplitMix64.propertySeeds
