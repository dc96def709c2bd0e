import Foundation

/// The figures of one `civic bench datashare` run (`--output json` prints this).
struct DatashareBenchReport: Codable {
    /// What was loaded and how long it took.
    struct Loaded: Codable {
        var counts: DatashareCity.Counts
        var resources: Int
        var grants: Int
        var approvals: Int
        var certificateHolders: Int
        /// Signed transactions sent through the API to load the city.
        var transactions: Int
        var apiLoadSeconds: Double
        /// Rows generated into the gateway's SQLite table file (people + companies).
        var offChainRows: Int
        var offChainSeconds: Double
        var offChainBytes: Int
    }

    /// One kind of operation: the median over the rounds of each round's rate and percentiles.
    struct Operation: Codable {
        var kind: String
        var operationsPerSecond: Double
        var latencyP50Milliseconds: Double
        var latencyP99Milliseconds: Double
        /// Over all rounds.
        var operations: Int
        var failures: Int
        /// Grants found active, accesses served, certificates found valid.
        var positive: Int
        var firstFailure: String?
    }

    /// The ledger bytes one access adds, averaged over sampled accesses.
    struct AccessBytes: Codable {
        var sampled: Int
        /// The signed `record_access` transaction, canonical encoding.
        var transactionBytes: Double
        /// Its receipt, with the `catalog.access` event, canonical encoding.
        var receiptBytes: Double
        /// The `catalog/access/<n>` state entry (key and value).
        var recordBytes: Double
        var totalBytes: Double
    }

    /// One trail question.
    struct TrailQuery: Codable {
        var question: String
        var queries: Int
        var latencyP50Milliseconds: Double
        var latencyP99Milliseconds: Double
        var boundP99Milliseconds: Double
        var withinBound: Bool
    }

    var suite: String
    var loaded: Loaded
    var concurrency: Int
    var durationSeconds: Double
    var rounds: Int
    var accessPath: String
    var operations: [Operation]
    /// Accesses the chain recorded during the traffic (`catalog/next/access` after minus before).
    var accessesRecordedOnChain: UInt64
    /// Certificate checks the chain recorded during the traffic (`certificates/next/check`).
    var verificationsRecordedOnChain: UInt64
    var accessBytes: AccessBytes
    /// Growth of the node's data directory over the traffic, per committed traffic transaction (SQLite files: blocks,
    /// transactions, receipts, state, their indexes, the WAL, and the trail index).
    var storeBytesPerTrafficTransaction: Double
    /// Rows in the trail index when it was queried; how many of them the bench inserted directly.
    var trailRows: Int?
    var trailSyntheticRows: Int?
    var trail: [TrailQuery]
    var trailNote: String?

    func print() {
        let counts = loaded.counts
        Swift.print("""
            civic bench datashare, suite \(suite)
            loaded: \(counts.departments) departments, \(loaded.resources) resources, \(counts.serviceItems) service items \
            (\(loaded.grants) grants, \(loaded.approvals) approved by owners), \(counts.certificateTypes) certificate types, \
            \(counts.certificates) certificates of \(loaded.certificateHolders) holders: \(loaded.transactions) transactions \
            through the API in \(String(format: "%.1f", loaded.apiLoadSeconds)) s
            off chain: \(counts.people) people and \(counts.companies) companies (\(loaded.offChainRows) rows, \
            \(loaded.offChainBytes / 1_048_576) MiB) generated into the gateway's SQLite table in \
            \(String(format: "%.1f", loaded.offChainSeconds)) s
            traffic: \(concurrency) workers for \(String(format: "%.0f", durationSeconds)) s, median of \(rounds) rounds; \
            accesses: \(accessPath)
            """)
        Swift.print("  operation                   ops/s    p50 ms    p99 ms   total  failures")
        for operation in operations {
            Swift.print("  " + operation.kind.padding(toLength: 25, withPad: " ", startingAt: 0) + String(format: "%8.0f %9.1f %9.1f %7d %9d",
                               operation.operationsPerSecond, operation.latencyP50Milliseconds,
                               operation.latencyP99Milliseconds, operation.operations, operation.failures))
            if let failure = operation.firstFailure { Swift.print("    first failure: \(failure)") }
        }
        Swift.print("""
              recorded on chain: \(accessesRecordedOnChain) accesses, \(verificationsRecordedOnChain) certificate checks
              ledger bytes per access event: \(String(format: "%.0f", accessBytes.totalBytes)) (transaction \
            \(String(format: "%.0f", accessBytes.transactionBytes)) + receipt with event \
            \(String(format: "%.0f", accessBytes.receiptBytes)) + access record \(String(format: "%.0f", accessBytes.recordBytes)); \
            \(accessBytes.sampled) sampled)
              store growth per traffic transaction: \(String(format: "%.0f", storeBytesPerTrafficTransaction)) bytes \
            (SQLite files incl. indexes)
            """)
        if let trailRows {
            Swift.print("  trail: \(trailRows) access rows indexed (\(trailSyntheticRows ?? 0) inserted directly by the bench)")
        }
        for query in trail {
            Swift.print("  trail " + query.question.padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(format: "p50 %6.2f ms, p99 %6.2f ms over %d queries (bound: p99 <= %.0f ms) %@", query.latencyP50Milliseconds, query.latencyP99Milliseconds,
                               query.queries, query.boundP99Milliseconds, query.withinBound ? "within" : "OVER"))
        }
        if let trailNote { Swift.print("  trail: \(trailNote)") }
    }
}
