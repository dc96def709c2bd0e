import CivicAPI
import CivicApps
import CivicClient
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// The trail part of `civic bench datashare`: fill the node's trail index with synthetic access rows up to a size
/// worth measuring, then time the three questions of Docs/0016 ("Usage trail") through the API.
struct DatashareTrail {
    let city: DatashareCity
    let grants: [DatashareLoader.Grant]
    let keys: DatashareLoader.Keys

    /// Synthetic rows per synthetic block.
    static let rowsPerBlock = 1_000

    /// What the fill did.
    struct Fill {
        var existingRows: Int
        var insertedRows: Int
        var seconds: Double
        /// Subjects that synthetic rows name (some of them), for the subject queries.
        var knownSubjects: [Hash256]
    }

    /// Waits, for up to `seconds`, until the node's trail index holds every committed block.
    /// - Throws: ``CLIError`` when it does not in time, or the node's ``ClientError``.
    static func waitUntilIndexed(_ client: NodeClient, seconds: Int = 120) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let answer = try await client.trail(.provider, key: "nanjing-public-security", limit: 1)
            if answer.indexedHeight >= answer.headHeight { return }
            if ContinuousClock.now > deadline { throw CLIError(description: "The trail index did not catch up within \(seconds) s.") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Adds synthetic `catalog.access` rows to the index file at `path` (the node stopped) until it holds `target`
    /// rows. They go through ``TrailIndex/apply(_:)`` as blocks above the indexed height, each row made from an
    /// event as the catalog contract emits it and read through the same ``TrailEventMapping``; they have no receipts,
    /// so they cannot be asked with proofs.
    func fill(path: String, target: Int) throws -> Fill {
        let started = ContinuousClock.now
        let index = try TrailIndex(path: path)
        defer { index.close() }
        let existing = try index.rowCount()
        var height = try index.indexedHeight()
        var time = TransactionBuilder.wallClock().milliseconds
        let mapping = TrailEventMapping.mapping(for: "catalog.access")!
        let usable = grants.filter { $0.item.kind != .cases }
        var known: [Hash256] = []
        var inserted = 0
        while existing + inserted < target {
            height += 1
            time += 1_000
            let count = min(Self.rowsPerBlock, target - existing - inserted)
            var rows: [TrailIndexedEvent] = []
            rows.reserveCapacity(count)
            for position in 0..<count {
                let grant = usable.randomElement()!
                let subject = grant.item.kind == .residents
                    ? city.personFingerprint(Int.random(in: 0..<city.counts.people))
                    : SubjectFingerprint.make(identifier: SyntheticIdentifiers.companyCode(Int.random(in: 0..<city.counts.companies),
                                                                                          count: city.counts.companies),
                                              salt: city.salt, suite: city.suite)
                if known.count < 10_000 && position % 10 == 0 { known.append(subject) }
                let refused = position % 20 == 19
                let event = Event(contract: "catalog", name: "catalog.access", attributes: [
                    EventAttribute("access", String(UInt64(existing + inserted + position + 1) + 1_000_000_000)),
                    EventAttribute("resource", city.resourceID(grant.item.provider, grant.item.kind)),
                    EventAttribute("grant", String(grant.id)), EventAttribute("provider", city.department(grant.item.provider)),
                    EventAttribute("consumer_organization", city.department(grant.item.consumer)),
                    EventAttribute("consumer", Address(publicKey: keys.staff[grant.item.consumer].publicKey).hex),
                    EventAttribute("fields", DatashareCity.fields(grant.item.kind).map(\.name).joined(separator: ",")),
                    EventAttribute("served", refused ? "" : city.suite.hash(Array("row \(height).\(position)".utf8)).hex),
                    EventAttribute("rows", refused ? "0" : "1"), EventAttribute("subjects", subject.hex),
                    EventAttribute("outcome", refused ? "gateway.grant_expired" : "served"),
                    EventAttribute("purpose", "Service item \(grant.item.id)"), EventAttribute("service_item", grant.item.id),
                ])
                rows.append(TrailIndexedEvent(
                    position: EventPosition(height: height, transaction: UInt32(position), event: 0),
                    transactionHash: city.suite.hash(Array("synthetic access \(height).\(position)".utf8)),
                    entry: mapping.entry(of: event)))
            }
            try index.apply([TrailBlock(height: height, time: time, rows: rows)])
            inserted += count
        }
        return Fill(existingRows: existing, insertedRows: inserted, seconds: ContinuousClock.now.seconds(since: started),
                    knownSubjects: known)
    }

    /// Times `count` queries of each question, one at a time, through `GET /v1/trail/...` (first page of 100 rows;
    /// the department's answer includes its usage lines).
    func measure(_ client: NodeClient, count: Int, knownSubjects: [Hash256], bound: Double) async throws
        -> [DatashareBenchReport.TrailQuery] {
        let resources = Array(Set(grants.filter { $0.item.kind != .cases }.map { city.resourceID($0.item.provider, $0.item.kind) }))
        let subjects = knownSubjects.isEmpty ? [city.personFingerprint(0)] : knownSubjects
        var results: [DatashareBenchReport.TrailQuery] = []
        for question in [TrailQuestion.resource, .department, .subject] {
            var latencies: [Double] = []
            for _ in 0..<count {
                let key = switch question {
                case .resource: resources.randomElement()!
                case .subject: subjects.randomElement()!.hex
                default: city.department(Int.random(in: 0..<city.counts.departments))
                }
                let started = ContinuousClock.now
                _ = try await client.trail(question, key: key, limit: 100)
                latencies.append(ContinuousClock.now.seconds(since: started) * 1000)
            }
            latencies.sort()
            let p99 = BenchWorkload.percentile(latencies, 0.99)
            results.append(.init(question: question.rawValue, queries: count, latencyP50Milliseconds: BenchWorkload.percentile(latencies, 0.5),
                                 latencyP99Milliseconds: p99, boundP99Milliseconds: bound, withinBound: p99 <= bound))
        }
        return results
    }
}
