import CivicClient
import CivicCodec
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Foundation
import Logging
import Synchronization
import Testing

/// A store whose commits can be made to fail: the node dies after the validator locked on a block and
/// before the block was stored, as with kill -9 at the worst moment.
final class FailingCommitStore: LedgerStore, Sendable {
    let base = MemoryLedgerStore()
    let failCommits = Mutex(false)

    func latestHeight() throws(StoreError) -> Height? { try base.latestHeight() }
    func commit(_ batch: CommitBatch) throws(StoreError) {
        if failCommits.withLock({ $0 }) { throw .io("injected commit failure") }
        try base.commit(batch)
    }
    func blockBytes(at height: Height) throws(StoreError) -> [UInt8]? { try base.blockBytes(at: height) }
    func height(ofBlock hash: Hash256) throws(StoreError) -> Height? { try base.height(ofBlock: hash) }
    func certificateBytes(at height: Height) throws(StoreError) -> [UInt8]? { try base.certificateBytes(at: height) }
    func transactionLocation(_ hash: Hash256) throws(StoreError) -> TransactionLocation? { try base.transactionLocation(hash) }
    func receiptBytes(at height: Height, index: UInt32) throws(StoreError) -> [UInt8]? { try base.receiptBytes(at: height, index: index) }
    func receiptsBytes(at height: Height) throws(StoreError) -> [[UInt8]]? { try base.receiptsBytes(at: height) }
    func stateValue(forKey key: [UInt8]) throws(StoreError) -> [UInt8]? { try base.stateValue(forKey: key) }
    func stateEntries(after key: [UInt8]?, limit: Int) throws(StoreError) -> [StoreStateEntry] {
        try base.stateEntries(after: key, limit: limit)
    }
    func metadata(_ name: String) throws(StoreError) -> [UInt8]? { try base.metadata(name) }
    func setMetadata(_ name: String, _ value: [UInt8]) throws(StoreError) { try base.setMetadata(name, value) }
    func storageBytes() throws(StoreError) -> UInt64 { try base.storageBytes() }
    func close() { base.close() }
}

@Suite struct NodeLockRecoveryTests {
    @Test("A lone validator that died locked on an unstored block commits it after a restart", arguments: [CryptoSuite.sm, .intl])
    func lockedBlockSurvivesRestart(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FailingCommitStore()
        func makeNode() throws -> Node {
            try Node(configuration: .init(genesis: fixture.genesis, validatorKey: fixture.validatorKey, clock: fixture.clock,
                                          consensusDirectory: directory),
                     store: store, logger: Logger(label: "civic.test"))
        }
        let first = try makeNode()
        let transactions = try (0..<3).map { _ in try fixture.evidence(by: fixture.memberKey) }
        for transaction in transactions { try first.submit(transaction.canonicalBytes) }
        store.failCommits.withLock { $0 = true }
        #expect(throws: NodeError.self) { try first.produceBlock() }
        #expect(try store.latestHeight() == .genesis, "nothing was stored")

        // The restarted node has an empty mempool, a signer that precommitted, and a valid value on disk.
        store.failCommits.withLock { $0 = false }
        let second = try makeNode()
        #expect(second.pendingCount == transactions.count, "the locked block's bodies are back in the mempool")
        try second.produceBlock()
        #expect(second.snapshot.head.height == Height(1))
        for transaction in transactions {
            #expect(try second.reader.location(of: transaction.hash(suite: suite)) != nil)
        }
        // And the chain goes on.
        try second.submit(try fixture.evidence(by: fixture.memberKey).canonicalBytes)
        try second.produceBlock()
        #expect(second.snapshot.head.height == Height(2))
    }

    @Test("Dying twice while locked on the same block: the restored block is proposed, locked on and stored again")
    func lockedTwice() throws {
        let fixture = Fixture(suite: .intl)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FailingCommitStore()
        func makeNode() throws -> Node {
            try Node(configuration: .init(genesis: fixture.genesis, validatorKey: fixture.validatorKey, clock: fixture.clock,
                                          consensusDirectory: directory),
                     store: store, logger: Logger(label: "civic.test"))
        }
        let transaction = try fixture.evidence(by: fixture.memberKey)
        try makeNode().submit(transaction.canonicalBytes)
        store.failCommits.withLock { $0 = true }
        // The first life: the submitted node was a different instance; this one restores nothing yet.
        let first = try makeNode()
        try first.submit(transaction.canonicalBytes)
        #expect(throws: NodeError.self) { try first.produceBlock() }
        // The second life re-proposes the restored block, locks on it again (storing it again), and dies.
        let second = try makeNode()
        #expect(second.pendingCount == 1)
        #expect(throws: NodeError.self) { try second.produceBlock() }
        // The third life commits it.
        store.failCommits.withLock { $0 = false }
        let third = try makeNode()
        try third.produceBlock()
        #expect(try third.reader.location(of: transaction.hash(suite: .intl)) != nil)
    }
}
