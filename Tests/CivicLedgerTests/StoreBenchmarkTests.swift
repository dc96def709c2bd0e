import CivicTesting
import CivicCrypto
import Foundation
import Testing
@testable import CivicLedger

/// Throughput and start-up check figures of the SQLite store. They take a while and need a quiet machine, so they
/// run only with `CIVIC_STORE_BENCHMARK=1 swift test --filter StoreBenchmark`; each prints its figure and the bound
/// it is held to.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CIVIC_STORE_BENCHMARK"] == "1"))
struct StoreBenchmarkTests {
    /// Transactions per committed block in the benchmarks.
    static let transactionsPerBatch = 2_000
    /// The brief's bound: transactions + receipts + state writes committed per second.
    static let itemsPerSecondMin = 20_000.0

    /// A block of `transactionsPerBatch` transactions with 200-byte receipts and one 100-byte state value each,
    /// keyed by a 32-byte hash-like key, so that inserts land all over the state b-tree.
    static func batch(_ height: UInt64) -> CommitBatch {
        let count = transactionsPerBatch
        var generator = SeededGenerator(seed: height)
        let hashes = (0..<count).map { StoreSamples.transactionHash(height, $0) }
        let receipts = (0..<count).map { index in
            (0..<200).map { UInt8(truncatingIfNeeded: $0 &+ index) }
        }
        let writes = (0..<count).map { _ in
            StoreStateWrite(key: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) },
                            value: [UInt8](repeating: UInt8(truncatingIfNeeded: height), count: 100))
        }
        return CommitBatch(height: Height(height), blockHash: StoreSamples.blockHash(height),
                           blockBytes: [UInt8](repeating: 0x42, count: count * 250),
                           certificateBytes: height == 0 ? [] : [UInt8](repeating: 0x43, count: 3_000),
                           transactionHashes: hashes, receiptBytes: receipts, stateWrites: writes)
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    @Test func commitThroughput() throws {
        let fixture = try StoreFixture(.sqlite)
        let store = fixture.store
        let batchCount: UInt64 = 30
        let batches = (0..<batchCount).map { Self.batch($0) }
        let elapsed = try Self.seconds {
            for batch in batches { try store.commit(batch) }
        }
        let transactions = Double(Int(batchCount) * Self.transactionsPerBatch)
        let itemsPerSecond = transactions * 3 / elapsed
        print("""
            StoreBenchmark commit: \(Int(batchCount)) batches of \(Self.transactionsPerBatch) transactions \
            in \(String(format: "%.2f", elapsed)) s = \(Int(transactions / elapsed)) transactions/s, \
            \(Int(itemsPerSecond)) transactions+receipts+state writes/s \
            (bound \(Int(Self.itemsPerSecondMin))), file \(try store.storageBytes() / 1_000_000) MB
            """)
        #expect(itemsPerSecond >= Self.itemsPerSecondMin)
        #expect(try store.latestHeight() == Height(batchCount - 1))
    }

    @Test func quickCheckOnAHundredMegabyteFile() throws {
        let fixture = try StoreFixture(.sqlite)
        let sqlite = try #require(fixture.store as? SQLiteLedgerStore)
        var height: UInt64 = 0
        while try sqlite.pageCount() * 4_096 < 101_000_000 {
            try sqlite.commit(Self.batch(height))
            height += 1
        }
        try sqlite.checkpoint()
        fixture.store.close()
        let fileBytes = try #require(try FileManager.default.attributesOfItem(atPath: fixture.path)[.size] as? Int)
        let unchecked = try Self.seconds { try SQLiteLedgerStore(path: fixture.path, verifyOnOpen: false).close() }
        let checked = try Self.seconds { try SQLiteLedgerStore(path: fixture.path).close() }
        let store = try SQLiteLedgerStore(path: fixture.path, verifyOnOpen: false)
        defer { store.close() }
        let integrity = try Self.seconds { try store.checkIntegrity() }
        print("""
            StoreBenchmark open of a \(fileBytes / 1_000_000) MB file (\(height) blocks): \
            \(String(format: "%.3f", unchecked)) s without quick_check, \(String(format: "%.3f", checked)) s with \
            quick_check (bound 10 s, OS page cache warm); integrity_check \(String(format: "%.3f", integrity)) s
            """)
        #expect(fileBytes >= 100_000_000)
        #expect(checked < 10)
    }
}
