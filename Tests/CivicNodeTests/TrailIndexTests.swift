@testable import CivicAPI
import CivicApps
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
@testable import CivicNode
import Foundation
import Logging
import Testing

/// The usage-trail index (Docs/0016, "Usage trail") fed from a real node: the three questions, paging, windows,
/// restarts, idempotent re-indexing and a write cut off in the middle.
@Suite("Trail index")
struct TrailIndexTests {
    /// A node with the populated catalog (heights 1–9) and an index on a temporary file, caught up.
    static func populated(_ directory: TrailDirectory) throws -> (TrailChain, Node, TrailIndex) {
        let chain = TrailChain()
        let node = try chain.makeNode(store: MemoryLedgerStore())
        try chain.populate(node)
        let index = try TrailIndex(path: directory.indexPath)
        try index.catchUp(reader: node.reader, through: node.snapshot.head.height)
        return (chain, node, index)
    }

    @Test("Who accessed a resource, what a department used and why, every access naming a subject")
    func threeQuestions() throws {
        let directory = try TrailDirectory()
        defer { directory.remove() }
        let (chain, node, index) = try Self.populated(directory)
        defer { index.close() }
        #expect(try index.indexedHeight() == node.snapshot.head.height.rawValue)

        let marriage = try index.rows(.resource, key: TrailChain.marriage, limit: 100).rows
        #expect(marriage.map(\.entry.name) == ["catalog.requested", "catalog.granted", "catalog.access", "catalog.access",
                                               "catalog.access"])
        #expect(marriage.map(\.time) == marriage.map(\.time).sorted())
        let refused = try #require(marriage.last)
        #expect(refused.entry.text(.outcome) == "gateway.no_grant" && refused.entry.text(.consumerOrganization) == "tax")
        let served = marriage[2]
        #expect(served.entry.integer(.number) == 1 && served.entry.text(.outcome) == "served")
        #expect(served.entry.text(.purpose) == "housing purchase check")
        #expect(served.entry.text(.serviceItem) == "housing.purchase-qualification")
        #expect(served.entry.text(.consumer) == Address(publicKey: chain.housingKey.publicKey).hex)
        #expect(served.entry.text(.served) == chain.suite.hash(Array("rows".utf8)).hex)
        #expect(served.entry.subjects == [chain.subject("320102199001011234"), chain.subject("32010219851231567X")])
        // The row names the transaction whose receipt holds the event.
        let location = try #require(try node.reader.location(of: served.transactionHash))
        #expect(location.height.rawValue == served.position.height && location.index == served.position.transaction)

        let housing = try index.rows(.department, key: "housing", limit: 100).rows
        #expect(housing.map(\.entry.name) == ["catalog.requested", "catalog.granted", "catalog.access", "catalog.access"])
        let housingUsage = try index.usage(of: "housing")
        #expect(housingUsage == [TrailUsageView(
            event: "catalog.access", resource: TrailChain.marriage, provider: "civil-affairs", purpose: "housing purchase check",
            serviceItem: "housing.purchase-qualification", uses: 2, refusals: 0, firstTimeMs: housing[2].time,
            lastTimeMs: housing[3].time)])
        let taxUsage = try index.usage(of: "tax").sorted { $0.resource < $1.resource }
        #expect(taxUsage.map { [$0.resource, $0.serviceItem, String($0.uses), String($0.refusals)] } == [
            [TrailChain.births, "tax.household", "1", "0"], [TrailChain.marriage, "", "0", "1"],
        ])

        let citizenA = try index.rows(.subject, key: chain.subject("320102199001011234").hex, limit: 100).rows
        #expect(citizenA.map { $0.entry.integer(.number) } == [1, 2])
        let citizenB = try index.rows(.subject, key: chain.subject("32010219851231567X").hex, limit: 100).rows
        #expect(citizenB.map { $0.entry.text(.resource) } == [TrailChain.marriage, TrailChain.births])
        #expect(try index.rows(.subject, key: chain.subject("110101200001010000").hex, limit: 100).rows.isEmpty)
        #expect(try index.rows(.provider, key: "civil-affairs", limit: 100).rows.count == 8)
    }

    @Test("Pages follow the cursor without gaps or repeats; since and until bound the block time")
    func pagingAndWindows() throws {
        let directory = try TrailDirectory()
        defer { directory.remove() }
        let (_, _, index) = try Self.populated(directory)
        defer { index.close() }
        let all = try index.rows(.provider, key: "civil-affairs", limit: 100).rows
        #expect(all.count == 8)
        var paged: [TrailRow] = []
        var cursor: TrailCursor?
        repeat {
            let page = try index.rows(.provider, key: "civil-affairs", after: cursor, limit: 2)
            #expect(page.rows.count <= 2)
            paged += page.rows
            cursor = page.next
            #expect(cursor.map { TrailCursor($0.description) == $0 } ?? true)
        } while cursor != nil
        #expect(paged == all)
        // Window: the blocks of the second through fourth access, both ends inclusive.
        let accesses = all.filter { $0.entry.name == "catalog.access" }
        let window = try index.rows(.provider, key: "civil-affairs", since: accesses[1].time, until: accesses[3].time, limit: 100)
        #expect(window.rows == Array(accesses[1...3]))
        let windowPage = try index.rows(.provider, key: "civil-affairs", since: accesses[1].time, until: accesses[3].time,
                                        limit: 2)
        #expect(windowPage.rows == Array(accesses[1...2]) && windowPage.next != nil)
        let rest = try index.rows(.provider, key: "civil-affairs", since: accesses[1].time, until: accesses[3].time,
                                  after: windowPage.next, limit: 2)
        #expect(rest.rows == [accesses[3]] && rest.next == nil)
        #expect(try index.rows(.provider, key: "civil-affairs", since: 5, until: 4, limit: 10).rows.isEmpty)
    }

    @Test("Indexing a block again changes nothing; a gap is refused")
    func idempotentReindexing() throws {
        let directory = try TrailDirectory()
        defer { directory.remove() }
        let (_, node, index) = try Self.populated(directory)
        defer { index.close() }
        let rows = try index.rowCount()
        let usage = try index.usage(of: "housing")
        let blocks = try (1...node.snapshot.head.height.rawValue).map { height throws(QueryError) in
            try TrailIndex.block(at: Height(height), reader: node.reader)
        }
        #expect(try index.apply(blocks) == node.snapshot.head.height.rawValue)
        #expect(try index.apply(Array(blocks.suffix(3))) == node.snapshot.head.height.rawValue)
        #expect(try index.rowCount() == rows)
        #expect(try index.usage(of: "housing") == usage)
        // A block beyond the next height is a gap.
        let gap = TrailBlock(height: node.snapshot.head.height.rawValue + 2, time: 1, rows: [])
        #expect(throws: StoreError.outOfOrder(expected: Height(node.snapshot.head.height.rawValue + 1),
                                              got: Height(gap.height))) { try index.apply([gap]) }
        #expect(try index.indexedHeight() == node.snapshot.head.height.rawValue)
    }

    @Test("After a restart the index catches up from the height it remembers: nothing missed, nothing twice")
    func restartCatchesUp() throws {
        let directory = try TrailDirectory()
        defer { directory.remove() }
        let chain = TrailChain()
        var store = try SQLiteLedgerStore(path: directory.ledgerPath)
        var node = try chain.makeNode(store: store)
        try chain.populate(node)
        var index = try TrailIndex(path: directory.indexPath)
        try index.catchUp(reader: node.reader, through: Height(5))
        #expect(try index.indexedHeight() == 5)
        index.close()
        // The node goes on without the index (it was down), then both restart.
        try chain.run("record_access", chain.access(TrailChain.births, grant: 2, by: chain.taxKey, organization: "tax",
                                                   subjects: [chain.subject("320102199001011234")]),
                      by: chain.civilKey, on: node)
        let head = node.snapshot.head.height
        store.close()
        store = try SQLiteLedgerStore(path: directory.ledgerPath)
        defer { store.close() }
        node = try chain.makeNode(store: store)
        index = try TrailIndex(path: directory.indexPath)
        defer { index.close() }
        #expect(try index.indexedHeight() == 5)
        #expect(try index.catchUp(reader: node.reader, through: node.snapshot.head.height) == head.rawValue)
        let accesses = try index.rows(.provider, key: "civil-affairs", limit: 100).rows.filter { $0.entry.name == "catalog.access" }
        #expect(accesses.map { $0.entry.integer(.number) } == [1, 2, 3, 4, 5])
        #expect(try index.rowCount() == 9)
        #expect(try index.usage(of: "tax").first { $0.resource == TrailChain.births }?.uses == 2)
    }

    @Test("A write cut off before its commit (kill -9) leaves the index at its last height; it then catches up")
    func killInTheMiddle() throws {
        let directory = try TrailDirectory()
        defer { directory.remove() }
        let chain = TrailChain()
        let node = try chain.makeNode(store: MemoryLedgerStore())
        try chain.populate(node)
        var index = try TrailIndex(path: directory.indexPath)
        try index.catchUp(reader: node.reader, through: Height(6))
        index.close()
        // Another process writes rows and a height but dies before COMMIT: SQLite rolls the journal back.
        do {
            let connection = try SQLiteConnection(path: directory.indexPath)
            try connection.execute("BEGIN IMMEDIATE")
            try connection.execute("""
                INSERT INTO trail_event SELECT position + 1000000, name, time, transaction_hash, subjects, number, resource,
                provider, consumer_organization, consumer, fields, outcome, purpose, service_item, served, rows, "grant"
                FROM trail_event;
                UPDATE trail_height SET height = 9;
                """)
            connection.close()
        }
        index = try TrailIndex(path: directory.indexPath)
        defer { index.close() }
        #expect(try index.indexedHeight() == 6)
        try index.catchUp(reader: node.reader, through: node.snapshot.head.height)
        #expect(try index.indexedHeight() == 9)
        #expect(try index.rowCount() == 8)
    }

    @Test("The follower service indexes each block after its commit")
    func follower() async throws {
        let directory = try TrailDirectory()
        defer { directory.remove() }
        let chain = TrailChain()
        let node = try chain.makeNode(store: MemoryLedgerStore())
        let index = try TrailIndex(path: directory.indexPath)
        defer { index.close() }
        let follower = Task { try await TrailIndexer(index: index, node: node, logger: Logger(label: "civic.test")).run() }
        defer { follower.cancel() }
        try chain.populate(node)
        let head = node.snapshot.head.height.rawValue
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while try index.indexedHeight() < head, clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try index.indexedHeight() == head)
        #expect(try index.rowCount() == 8)
    }
}
