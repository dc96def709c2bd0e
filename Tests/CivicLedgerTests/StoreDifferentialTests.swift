import CivicTesting
import CivicCrypto
import Testing
@testable import CivicLedger

/// The memory and the SQLite store fed the same seeded stream of good and bad commits must give the same answer
/// to every call and end with the same contents.
@Suite struct StoreDifferentialTests {
    /// One step of the stream: a batch that is valid or broken in a seeded way.
    private static func nextBatch(
        latest: Height?, generator: inout SeededGenerator, committedHashes: [Hash256]
    ) -> CommitBatch {
        let height = latest.map { $0.rawValue + 1 } ?? 0
        let transactions = height == 0 ? 0 : Int.random(in: 0...6, using: &generator)
        var writes: [StoreStateWrite] = []
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            let key = [UInt8.random(in: 0...15, using: &generator), UInt8.random(in: 0...1, using: &generator)]
            let value: [UInt8]? = Int.random(in: 0..<4, using: &generator) == 0
                ? nil : [UInt8.random(in: 0...255, using: &generator)]
            writes.append(StoreStateWrite(key: key, value: value))
        }
        let metadata: [String: [UInt8]] = Bool.random(using: &generator) ? ["validators": [UInt8(height % 251)]] : [:]
        var batch = StoreSamples.batch(height, transactions: transactions, extraWrites: writes, metadata: metadata)
        switch Int.random(in: 0..<10, using: &generator) {
        case 0:
            batch.height = Height(height + UInt64.random(in: 1...3, using: &generator))
        case 1 where height > 0:
            batch.height = Height(UInt64.random(in: 0..<height, using: &generator))
        case 2 where !committedHashes.isEmpty && transactions > 0:
            batch.transactionHashes[transactions - 1] = committedHashes.randomElement(using: &generator)!
        case 3 where transactions > 1:
            batch.transactionHashes[1] = batch.transactionHashes[0]
        case 4 where height > 0:
            batch.blockHash = StoreSamples.blockHash(UInt64.random(in: 0..<height, using: &generator))
        case 5:
            batch.receiptBytes.append([0])
        default:
            break
        }
        return batch
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func memoryAndSQLiteAgree(seed: UInt64) throws {
        let memory = try StoreFixture(.memory)
        let sqlite = try StoreFixture(.sqlite)
        var generator = SeededGenerator(seed: seed)
        var committedHashes: [Hash256] = []
        var refusals = 0
        for step in 0..<150 {
            let batch = Self.nextBatch(latest: try memory.store.latestHeight(), generator: &generator,
                                       committedHashes: committedHashes)
            let memoryResult = Result { () throws(StoreError) in try memory.store.commit(batch) }
            let sqliteResult = Result { () throws(StoreError) in try sqlite.store.commit(batch) }
            #expect(memoryResult.error == sqliteResult.error, "seed \(seed) step \(step)")
            if memoryResult.error == nil {
                committedHashes += batch.transactionHashes
            } else {
                refusals += 1
            }
            if step % 25 == 24 {
                try sqlite.reopen()
                #expect(try StoreSnapshot(memory.store) == StoreSnapshot(sqlite.store), "seed \(seed) step \(step)")
            }
        }
        #expect(refusals > 10, "the stream should exercise refusals, it had \(refusals)")
        #expect(try StoreSnapshot(memory.store) == StoreSnapshot(sqlite.store))
        for hash in committedHashes {
            #expect(try memory.store.transactionLocation(hash) == sqlite.store.transactionLocation(hash))
        }
    }
}

extension Result {
    /// The error, or `nil` for a success.
    fileprivate var error: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
