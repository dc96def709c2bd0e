import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Testing

/// Committed state as execution reads it, including the key-ordered iteration of `state_next`.
@Suite struct CommittedStateTests {
    @Test func nextKeyWalksTheStoreInKeyOrderWithinThePrefix() throws {
        let entries: [(key: [UInt8], value: [UInt8])] = [
            (Array("demo/a".utf8), [1]), (Array("demo/b".utf8), [2]), (Array("demo0".utf8), [3]),
            (Array("dema/z".utf8), [4]), (Array("kv/x".utf8), [5]),
        ]
        let store = MemoryLedgerStore()
        try store.commit(CommitBatch(height: .genesis, blockHash: Hash256(bytes: [UInt8](repeating: 1, count: 32)),
                                     blockBytes: [1], certificateBytes: [], transactionHashes: [], receiptBytes: [],
                                     stateWrites: entries.map { StoreStateWrite(key: $0.key, value: $0.value) }))
        let reader = CommittedState(store: store).reader(tree: StateTree(suite: .intl, entries: entries))
        let prefix = Array("demo/".utf8)
        #expect(reader.nextKey(after: prefix, prefix: prefix) == Array("demo/a".utf8))
        #expect(reader.nextKey(after: Array("demo/a".utf8), prefix: prefix) == Array("demo/b".utf8))
        #expect(reader.nextKey(after: Array("demo/b".utf8), prefix: prefix) == nil)
        #expect(reader.nextKey(after: [], prefix: Array("dema/".utf8)) == Array("dema/z".utf8))
        // Over an overlay that deletes one key and adds another.
        var overlay = StateOverlay(base: reader)
        overlay.set(Array("demo/a".utf8), nil)
        overlay.set(Array("demo/c".utf8), [9])
        #expect(overlay.nextKey(after: prefix, prefix: prefix) == Array("demo/b".utf8))
        #expect(overlay.nextKey(after: Array("demo/b".utf8), prefix: prefix) == Array("demo/c".utf8))
    }
}
