import CivicCrypto
import Testing
@testable import CivicLedger

/// The rules every ``LedgerStore`` follows, run against the memory and the SQLite implementation.
@Suite struct StoreConformanceTests {
    @Test(arguments: StoreKind.allCases) func emptyStoreHasNothing(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        #expect(try store.latestHeight() == nil)
        #expect(try store.blockBytes(at: .genesis) == nil)
        #expect(try store.certificateBytes(at: .genesis) == nil)
        #expect(try store.receiptsBytes(at: .genesis) == nil)
        #expect(try store.receiptBytes(at: .genesis, index: 0) == nil)
        #expect(try store.height(ofBlock: StoreSamples.blockHash(0)) == nil)
        #expect(try store.transactionLocation(StoreSamples.transactionHash(0, 0)) == nil)
        #expect(try store.stateEntries(after: nil, limit: 10).isEmpty)
        #expect(try store.metadata("genesis") == nil)
    }

    @Test(arguments: StoreKind.allCases) func committedBlocksReadBack(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try store.commit(StoreSamples.batch(0, transactions: 0))
        try store.commit(StoreSamples.batch(1, transactions: 4))
        try store.commit(StoreSamples.batch(2, transactions: 1))
        #expect(try store.latestHeight() == Height(2))
        for height: UInt64 in 0...2 {
            #expect(try store.blockBytes(at: Height(height)) == StoreSamples.block(height))
            #expect(try store.certificateBytes(at: Height(height)) == StoreSamples.certificate(height))
            #expect(try store.height(ofBlock: StoreSamples.blockHash(height)) == Height(height))
        }
        #expect(try store.certificateBytes(at: .genesis) == [], "genesis has an empty certificate, not a missing one")
        #expect(try store.blockBytes(at: Height(3)) == nil)
        #expect(try store.height(ofBlock: StoreSamples.blockHash(3)) == nil)
    }

    @Test(arguments: StoreKind.allCases) func transactionIndexAndReceiptsLookUp(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try StoreSamples.commitChain(store, count: 1, transactions: 0)
        try store.commit(StoreSamples.batch(1, transactions: 5))
        try store.commit(StoreSamples.batch(2, transactions: 0))
        for index in 0..<5 {
            let location = try store.transactionLocation(StoreSamples.transactionHash(1, index))
            #expect(location == TransactionLocation(height: Height(1), index: UInt32(index)))
            #expect(try store.receiptBytes(at: Height(1), index: UInt32(index)) == StoreSamples.receipt(1, index))
        }
        #expect(try store.receiptsBytes(at: Height(1)) == (0..<5).map { StoreSamples.receipt(1, $0) })
        #expect(try store.receiptBytes(at: Height(1), index: 5) == nil)
        #expect(try store.receiptsBytes(at: Height(2)) == [], "a block without transactions has no receipts")
        #expect(try store.receiptsBytes(at: Height(3)) == nil, "a missing block has no receipt list")
        #expect(try store.transactionLocation(StoreSamples.transactionHash(2, 0)) == nil)
    }

    @Test(arguments: StoreKind.allCases) func heightsMustFollowEachOther(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        #expect(throws: StoreError.outOfOrder(expected: .genesis, got: Height(1))) {
            try store.commit(StoreSamples.batch(1))
        }
        #expect(try store.latestHeight() == nil)
        try StoreSamples.commitChain(store, count: 3)
        let before = try StoreSnapshot(store)
        #expect(throws: StoreError.outOfOrder(expected: Height(3), got: Height(5))) {
            try store.commit(StoreSamples.batch(5))
        }
        #expect(throws: StoreError.outOfOrder(expected: Height(3), got: Height(2))) {
            try store.commit(StoreSamples.batch(2))
        }
        #expect(throws: StoreError.outOfOrder(expected: Height(3), got: .genesis)) {
            try store.commit(StoreSamples.batch(0, transactions: 0))
        }
        #expect(try StoreSnapshot(store) == before)
        try store.commit(StoreSamples.batch(3))
        #expect(try store.latestHeight() == Height(3))
    }

    @Test(arguments: StoreKind.allCases) func replayedTransactionIsRefusedAndNothingChanges(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try StoreSamples.commitChain(store, count: 2)
        let before = try StoreSnapshot(store)
        // The replayed hash is last, so the block, the earlier transactions and receipts were already written.
        var replay = StoreSamples.batch(2, transactions: 6, extraWrites: [StoreStateWrite(key: [1], value: [1])])
        let replayed = StoreSamples.transactionHash(1, 2)
        replay.transactionHashes[5] = replayed
        replay.metadata = ["validators": [9]]
        #expect(throws: StoreError.duplicateTransaction(replayed)) { try store.commit(replay) }
        #expect(try StoreSnapshot(store) == before)
        #expect(try store.transactionLocation(StoreSamples.transactionHash(2, 0)) == nil)
        #expect(try store.height(ofBlock: StoreSamples.blockHash(2)) == nil)
        #expect(try store.transactionLocation(replayed) == TransactionLocation(height: Height(1), index: 2))

        var twice = StoreSamples.batch(2, transactions: 3)
        twice.transactionHashes[2] = twice.transactionHashes[0]
        #expect(throws: StoreError.duplicateTransaction(twice.transactionHashes[0])) { try store.commit(twice) }
        #expect(try StoreSnapshot(store) == before)
        try store.commit(StoreSamples.batch(2))
        #expect(try store.latestHeight() == Height(2))
    }

    @Test(arguments: StoreKind.allCases) func repeatedBlockHashIsRefused(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try StoreSamples.commitChain(store, count: 2)
        let before = try StoreSnapshot(store)
        var batch = StoreSamples.batch(2)
        batch.blockHash = StoreSamples.blockHash(1)
        #expect(throws: StoreError.duplicateBlock(StoreSamples.blockHash(1))) { try store.commit(batch) }
        #expect(try StoreSnapshot(store) == before)
    }

    @Test(arguments: StoreKind.allCases) func malformedBatchIsRefusedAndNothingChanges(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try StoreSamples.commitChain(store, count: 1)
        let before = try StoreSnapshot(store)
        var missingReceipt = StoreSamples.batch(1)
        missingReceipt.receiptBytes.removeLast()
        var longKey = StoreSamples.batch(1)
        longKey.stateWrites.append(StoreStateWrite(key: [UInt8](repeating: 7, count: Limits.stateKeyBytesMax + 1),
                                                   value: [1]))
        var emptyBlock = StoreSamples.batch(1)
        emptyBlock.blockBytes = []
        var badMetadata = StoreSamples.batch(1)
        badMetadata.metadata = ["": [1]]
        var uncertified = StoreSamples.batch(1)
        uncertified.certificateBytes = []
        for batch in [missingReceipt, longKey, emptyBlock, badMetadata, uncertified] {
            let error = #expect(throws: StoreError.self) { try store.commit(batch) }
            #expect(error?.code == "store.invalid_batch")
        }
        #expect(try StoreSnapshot(store) == before)
    }

    @Test(arguments: StoreKind.allCases) func genesisCarriesNoCertificate(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        var genesis = StoreSamples.batch(0)
        genesis.certificateBytes = [1]
        let error = #expect(throws: StoreError.self) { try fixture.store.commit(genesis) }
        #expect(error?.code == "store.invalid_batch")
        #expect(try fixture.store.latestHeight() == nil)
    }

    @Test(arguments: StoreKind.allCases) func metadataIsSetAloneOrWithACommit(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try store.setMetadata("genesis", [1, 2, 3])
        #expect(try store.metadata("genesis") == [1, 2, 3])
        try store.setMetadata("genesis", [])
        #expect(try store.metadata("genesis") == [], "an empty blob is a value, not an absence")
        try store.commit(StoreSamples.batch(0, metadata: ["validators": [7, 7]]))
        #expect(try store.metadata("validators") == [7, 7])
        #expect(try store.metadata("unknown") == nil)
        let error = #expect(throws: StoreError.self) {
            try store.setMetadata(String(repeating: "n", count: Limits.metadataNameBytesMax + 1), [1])
        }
        #expect(error?.code == "store.invalid_batch")
    }

    @Test(arguments: StoreKind.allCases) func closedStoreRefusesEveryCall(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try StoreSamples.commitChain(store, count: 1)
        store.close()
        store.close()
        #expect(throws: StoreError.closed) { try store.latestHeight() }
        #expect(throws: StoreError.closed) { try store.commit(StoreSamples.batch(1)) }
        #expect(throws: StoreError.closed) { try store.stateValue(forKey: [1]) }
        #expect(throws: StoreError.closed) { try store.setMetadata("genesis", [1]) }
    }

    @Test(arguments: StoreKind.allCases) func storageGrowsWithCommits(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try StoreSamples.commitChain(store, count: 1)
        let small = try store.storageBytes()
        var big = StoreSamples.batch(1)
        big.blockBytes = [UInt8](repeating: 0xAB, count: 256 * 1024)
        try store.commit(big)
        #expect(try store.storageBytes() >= small + 256 * 1024)
    }

    @Test(arguments: StoreKind.allCases) func readersSeeWholeBlocksWhileOneWriterCommits(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        try StoreSamples.commitChain(store, count: 1)
        let writes: UInt64 = 60
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for height in 1...writes { try store.commit(StoreSamples.batch(height, transactions: 5)) }
            }
            for _ in 0..<3 {
                group.addTask {
                    var seen = Height.genesis
                    while seen.rawValue < writes {
                        let latest = try #require(try store.latestHeight())
                        #expect(latest >= seen, "the latest height never goes back")
                        let receipts = try store.receiptsBytes(at: latest)
                        #expect(receipts?.count == (latest == .genesis ? 3 : 5), "a block is visible whole or not")
                        seen = latest
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.latestHeight() == Height(writes))
    }
}
