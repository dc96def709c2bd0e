import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Testing

/// A proposal from a peer is checked field by field and re-executed; each broken rule has its code.
@Suite struct BlockValidationTests {
    typealias Entry = (transaction: Transaction, hash: Hash256, encoded: [UInt8])

    static func entries(_ fixture: Fixture, count: Int, chainID: String? = nil) throws -> [Entry] {
        try (0..<count).map { _ in
            let transaction = try fixture.sign(TransactionBuilder.evidencePut(fingerprint: Fixture.randomHash(),
                                                                              algorithm: .sha256, label: "x"),
                                               by: fixture.memberKey, chainID: chainID)
            return (transaction, transaction.hash(suite: fixture.suite), transaction.canonicalBytes)
        }
    }

    /// Builds a valid block on a fresh chain, lets `change` break it, and returns the refusal's code.
    static func code(_ change: (inout BlockHeader, inout [Entry], LedgerChain) throws -> Void,
                     proposer: UInt32? = 0, now: Timestamp? = nil, uncommitted: Bool = false) throws -> String? {
        let fixture = Fixture(suite: .intl)
        let chain = try LedgerChain.open(genesis: fixture.genesis, store: MemoryLedgerStore())
        var entries = try entries(fixture, count: 3)
        let pending = chain.build(entries, time: fixture.clock.now(), proposer: 0)
        var header = pending.block.header
        try change(&header, &entries, chain)
        do {
            let validated = try chain.validate(header: header, entries: entries, proposer: proposer,
                                               now: now ?? fixture.clock.now(), uncommitted: uncommitted)
            #expect(validated.hash == header.hash(suite: .intl))
            return nil
        } catch {
            #expect(!error.description.isEmpty)
            return error.code
        }
    }

    @Test func aValidBlockPasses() throws {
        #expect(try Self.code { _, _, _ in } == nil)
    }

    @Test func eachHeaderRuleHasItsRefusal() throws {
        #expect(try Self.code { header, _, _ in header.chainID = "other-chain" } == "block.bad_header")
        #expect(try Self.code { header, _, _ in header.height = Height(2) } == "block.bad_header")
        #expect(try Self.code { header, _, _ in header.previousHash = Fixture.randomHash() } == "block.bad_header")
        #expect(try Self.code { header, _, _ in header.validatorsHash = Fixture.randomHash() } == "block.bad_header")
        #expect(try Self.code { header, _, chain in header.time = Timestamp(milliseconds: chain.head.time.milliseconds - 1) }
                == "block.bad_header")
        #expect(try Self.code({ header, _, _ in header.time = Timestamp(milliseconds: header.time.milliseconds + 11_000) })
                == "block.bad_header", "more than 10 s ahead of the local clock")
        #expect(try Self.code({ _, _, _ in }, proposer: 1) == "block.bad_header", "not the round's proposer")
        #expect(try Self.code { _, entries, _ in entries.removeLast() } == "block.bad_header", "count differs")
    }

    @Test func replaysForeignTransactionsAndWrongExecutionAreRefused() throws {
        #expect(try Self.code { _, entries, _ in entries[2] = entries[0] } == "block.replay")
        let fixture = Fixture(suite: .intl)
        let foreign = try Self.entries(fixture, count: 1, chainID: "other-chain")[0]
        #expect(try Self.code { _, entries, _ in entries[1] = foreign } == "block.bad_transaction")
        #expect(try Self.code { header, _, _ in header.stateRoot = Fixture.randomHash() } == "block.execution_mismatch")
        #expect(try Self.code { header, _, _ in header.receiptsRoot = Fixture.randomHash() } == "block.execution_mismatch")
        #expect(try Self.code { header, _, _ in header.transactionsRoot = Fixture.randomHash() } == "block.execution_mismatch")
    }

    @Test func committedTransactionsAndOverfullBlocksAreRefused() throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        let entries = try Self.entries(fixture, count: 2)
        try commit([entries[0].transaction], on: node)
        let chain = node.engine.chain
        let pending = chain.build(entries, time: fixture.clock.now(), proposer: 0)
        #expect(throws: BlockRejection.replay(index: 0)) {
            try chain.validate(header: pending.block.header, entries: entries, proposer: 0, now: fixture.clock.now(),
                               uncommitted: false)
        }
        let many = try Self.entries(fixture, count: Int(fixture.genesis.parameters.blockTransactionsMax) + 1)
        let header = chain.build(Array(many.prefix(1)), time: fixture.clock.now(), proposer: 0).block.header
        var tooMany = header
        tooMany.transactionCount = UInt32(many.count)
        #expect(throws: BlockRejection.tooManyTransactions(count: many.count, max: 100)) {
            try chain.validate(header: tooMany, entries: many, proposer: 0, now: fixture.clock.now(), uncommitted: true)
        }
    }
}
