import CivicTesting
import CivicCrypto
import Testing
@testable import CivicLedger

/// State writes, deletes, ordering and paging, run against the memory and the SQLite implementation.
@Suite struct StoreStateConformanceTests {
    @Test(arguments: StoreKind.allCases) func writesDeletesAndLastWriteWins(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try store.commit(StoreSamples.batch(0, transactions: 0, extraWrites: [
            StoreStateWrite(key: [1], value: [10]),
            StoreStateWrite(key: [2], value: [20]),
            StoreStateWrite(key: [3], value: []),
        ]))
        #expect(try store.stateValue(forKey: [1]) == [10])
        #expect(try store.stateValue(forKey: [3]) == [], "an empty value is stored, not deleted")
        try store.commit(StoreSamples.batch(1, transactions: 0, extraWrites: [
            StoreStateWrite(key: [1], value: nil),
            StoreStateWrite(key: [2], value: [21]),
            StoreStateWrite(key: [2], value: [22]),
            StoreStateWrite(key: [4], value: [40]),
            StoreStateWrite(key: [4], value: nil),
            StoreStateWrite(key: [9], value: nil),
        ]))
        #expect(try store.stateValue(forKey: [1]) == nil)
        #expect(try store.stateValue(forKey: [2]) == [22], "the last write of a key in a batch wins")
        #expect(try store.stateValue(forKey: [4]) == nil, "a write then a delete in one batch leaves nothing")
        #expect(try store.stateEntries(after: nil, limit: 10)
            == [StoreStateEntry(key: [2], value: [22]), StoreStateEntry(key: [3], value: [])])
    }

    @Test(arguments: StoreKind.allCases) func entriesComeInBytewiseOrder(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        let keys: [[UInt8]] = [[0xFF], [0x00], [], [0x00, 0x00], [0x7F, 0xFF], [0x80], [0x00, 0xFF, 0x01], [0x01]]
        try store.commit(StoreSamples.batch(0, transactions: 0,
                                            extraWrites: keys.map { StoreStateWrite(key: $0, value: $0 + [1]) }))
        let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
        let entries = try store.stateEntries(after: nil, limit: 100)
        #expect(entries.map(\.key) == sorted, "shorter prefixes first, bytes compared unsigned")
        #expect(entries.map(\.value) == sorted.map { $0 + [1] })
        #expect(try store.stateEntries(after: [0x00], limit: 2).map(\.key) == [[0x00, 0x00], [0x00, 0xFF, 0x01]])
        #expect(try store.stateEntries(after: [0x50], limit: 100).map(\.key) == [[0x7F, 0xFF], [0x80], [0xFF]])
        #expect(try store.stateEntries(after: [0xFF], limit: 100).isEmpty)
        #expect(try store.stateEntries(after: nil, limit: 0).isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func pagingVisitsEveryEntryOnce(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        var generator = SeededGenerator(seed: 42)
        var reference: [[UInt8]: [UInt8]] = [:]
        for height: UInt64 in 0..<20 {
            var writes: [StoreStateWrite] = []
            for _ in 0..<40 {
                var key: [UInt8] = []
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    key.append(UInt8.random(in: 0...3, using: &generator))
                }
                let value: [UInt8]? = Bool.random(using: &generator) && Bool.random(using: &generator)
                    ? nil : [UInt8.random(in: 0...255, using: &generator)]
                writes.append(StoreStateWrite(key: key, value: value))
                reference[key] = value
            }
            try store.commit(StoreSamples.batch(height, transactions: 0, extraWrites: writes))
        }
        // Assigning nil above removed deleted keys, so the reference holds exactly the live state.
        let expected = reference.map { StoreStateEntry(key: $0.key, value: $0.value) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        #expect(expected.count > 10, "the random writes should leave a real state behind")
        for pageSize in [1, 3, 7, 1_000] {
            var collected: [StoreStateEntry] = []
            var cursor: [UInt8]?
            for _ in 0...expected.count {  // bounded: a cursor that does not advance must fail, not hang
                let page = try store.stateEntries(after: cursor, limit: pageSize)
                #expect(page.count <= pageSize)
                collected += page
                guard page.count == pageSize, let last = page.last else { break }
                cursor = last.key
            }
            #expect(collected == expected, "page size \(pageSize)")
        }
        for entry in expected { #expect(try store.stateValue(forKey: entry.key) == entry.value) }
    }

    @Test(arguments: StoreKind.allCases) func stateSurvivesRefusedCommit(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try store.commit(StoreSamples.batch(0, extraWrites: [StoreStateWrite(key: [5], value: [50])]))
        var refused = StoreSamples.batch(1, extraWrites: [
            StoreStateWrite(key: [5], value: nil), StoreStateWrite(key: [6], value: [60]),
        ])
        refused.transactionHashes[0] = StoreSamples.transactionHash(0, 1)
        #expect(throws: StoreError.duplicateTransaction(StoreSamples.transactionHash(0, 1))) {
            try store.commit(refused)
        }
        #expect(try store.stateValue(forKey: [5]) == [50])
        #expect(try store.stateValue(forKey: [6]) == nil)
        #expect(try store.stateValue(forKey: StoreSamples.key("tx/1/1")) == nil)
    }
}
