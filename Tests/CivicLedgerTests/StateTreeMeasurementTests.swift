#if canImport(Glibc)
import CivicTesting
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CivicCrypto
import Testing
import CivicLedger

/// Measurements of the state tree, run only when `CIVIC_MEASURE=1` (they are slow in debug builds):
/// `CIVIC_MEASURE=1 swift test -c release --filter StateTreeMeasurementTests`.
/// Each prints its figure and still checks the result, so it can fail.
@Suite(.enabled(if: getenv("CIVIC_MEASURE") != nil, "set CIVIC_MEASURE=1 to run measurements"))
struct StateTreeMeasurementTests {
    static func entries(count: Int) -> [(key: [UInt8], value: [UInt8])] {
        (0..<count).map { index in
            (key: Array("account/\(index)".utf8), value: Array("balance=\(index &* 7919)".utf8))
        }
    }

    @Test(arguments: CryptoSuite.allCases) func bulkBuildOfOneMillionEntries(suite: CryptoSuite) {
        let entries = Self.entries(count: 1_000_000)
        let clock = ContinuousClock()
        var tree = StateTree(suite: suite)
        let elapsed = clock.measure { tree = StateTree(suite: suite, entries: entries) }
        print("StateTree(\(suite)): bulk build of 1,000,000 entries in \(elapsed)")
        #expect(tree.count == 1_000_000)
        for index in stride(from: 0, to: 1_000_000, by: 99_991) {
            let entry = entries[index]
            #expect(tree.proof(forKey: entry.key).verify(key: entry.key, value: entry.value, root: tree.root,
                                                         suite: suite))
        }
    }

    @Test(arguments: CryptoSuite.allCases) func batchedWritesOnAMillionKeyTree(suite: CryptoSuite) {
        let base = StateTree(suite: suite, entries: Self.entries(count: 1_000_000))
        var random = SeededGenerator(seed: 10_000)
        let batches = (0..<50).map { _ in
            (0..<1_000).map { _ in
                StateWrite(key: Array("account/\(Int.random(in: 0..<1_200_000, using: &random))".utf8),
                           value: random.bytes(count: 32))
            }
        }
        let clock = ContinuousClock()
        var tree = base
        let elapsed = clock.measure {
            for batch in batches { tree = tree.applying(batch) }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("StateTree(\(suite)): 50,000 writes in batches of 1,000 on 1M keys in \(elapsed)"
              + " (\(Int(50_000 / seconds)) writes/s)")
        #expect(tree.count > base.count)
        #expect(base.count == 1_000_000, "the base version is untouched")
        let last = batches[49][999]
        #expect(tree.valueHash(forKey: last.key) == suite.hash(last.value!))
    }
}
