/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so that one seed replays one run.
///
/// Never seeded from the system: every simulation names its seed and prints it when it fails.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The seed the sequence started from (print it with a failure to replay the run).
    public let seed: UInt64
    /// The generator's whole state.
    public private(set) var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The seeds property tests run with: fixed, so that every run checks the same cases.
    public static let propertySeeds: [UInt64] = [1, 0xC1C1_1ED6_E500_0001, 20_261_121]

    /// `count` pseudo-random bytes.
    public mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// Pseudo-random bytes of a length in `lengths`.
    public mutating func bytes(lengths: ClosedRange<Int>) -> [UInt8] {
        bytes(count: within(lengths))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number in `0..<bound`.
    /// - Precondition: `bound > 0`.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "an empty range")
        return Int(next() % UInt64(bound))
    }

    /// A number in `range`.
    public mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True with probability `perMille`/1000.
    public mutating func chance(perMille: Int) -> Bool {
        perMille > 0 && below(1000) < perMille
    }
}
