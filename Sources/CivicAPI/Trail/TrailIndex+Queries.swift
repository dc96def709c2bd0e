import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger

/// Where a page of a trail answer resumes: just after the row with this time and position.
public struct TrailCursor: Hashable, Sendable, LosslessStringConvertible {
    /// The last row's block time.
    public var time: UInt64
    /// The last row's position.
    public var position: EventPosition

    /// Creates a cursor.
    public init(time: UInt64, position: EventPosition) {
        self.time = time
        self.position = position
    }

    /// `<time>-<H.T.E>`.
    public var description: String { "\(time)-\(position)" }

    /// Reads `<time>-<H.T.E>`.
    public init?(_ description: String) {
        let parts = description.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let time = UInt64(parts[0]), let position = EventPosition(String(parts[1])) else { return nil }
        self.init(time: time, position: position)
    }
}

/// One row as the index holds it.
public struct TrailRow: Hashable, Sendable {
    /// The event's position.
    public var position: EventPosition
    /// The block time.
    public var time: UInt64
    /// The transaction whose receipt holds the event.
    public var transactionHash: Hash256
    /// The row's columns.
    public var entry: TrailEntry

    /// The JSON view, with `proof` (base64) when given.
    public func view(proof: String? = nil) -> TrailRowView {
        TrailRowView(entry, position: position, time: time, transactionHash: transactionHash, proof: proof)
    }
}

/// One page of rows, oldest first, and where the next one starts.
public struct TrailPage: Sendable {
    /// The rows.
    public var rows: [TrailRow]
    /// Just after the last row, when more rows match.
    public var next: TrailCursor?
}

extension TrailIndex {
    /// Most rows in one page.
    public static let pageRowsMax = 1_000
    /// Most usage lines in a department's answer.
    public static let usageLinesMax = 1_000

    /// The rows answering `question` about `key` (a resource id, an organization, or 64 hex digits of a subject
    /// fingerprint) with block time in `since...until`, after `cursor`, at most `limit` (≤ ``pageRowsMax``).
    /// - Throws: ``StoreError``.
    public func rows(_ question: TrailQuestion, key: String, since: UInt64? = nil, until: UInt64? = nil,
                     after cursor: TrailCursor? = nil, limit: Int) throws(StoreError) -> TrailPage {
        let limit = max(1, min(limit, Self.pageRowsMax))
        let keyValue: [UInt8]? = question == .subject ? Hex.decode(key) : nil
        if question == .subject && keyValue?.count != 32 { return TrailPage(rows: [], next: nil) }
        let lower = max(since ?? 0, cursor?.time ?? 0)
        let upper = min(until ?? .max, UInt64(Int64.max))
        guard lower <= upper else { return TrailPage(rows: [], next: nil) }
        let sql: String
        switch question {
        case .subject:
            sql = """
                SELECT \(TrailSchema.selectedColumns("e")) FROM trail_subject s CROSS JOIN trail_event e
                ON e.position = s.position
                WHERE s.subject = ?1 AND s.time >= ?2 AND s.time <= ?3 AND (s.time > ?4 OR s.position > ?5)
                ORDER BY s.time, s.position LIMIT ?6
                """
        case .resource, .department, .provider:
            let column = question == .resource ? "resource" : question == .department ? "consumer_organization" : "provider"
            sql = """
                SELECT \(TrailSchema.selectedColumns("e")) FROM trail_event e
                WHERE e.\(column) = ?1 AND e.time >= ?2 AND e.time <= ?3 AND (e.time > ?4 OR e.position > ?5)
                ORDER BY e.time, e.position LIMIT ?6
                """
        }
        return try using(reader) { connection throws(StoreError) in
            let statement = try connection.statement(sql)
            defer { statement.reset() }
            if let keyValue { try statement.bind(1, keyValue) } else { try statement.bind(1, key) }
            try statement.bind(2, Int64(clamping: lower))
            try statement.bind(3, Int64(clamping: upper))
            try statement.bind(4, cursor.map { Int64(clamping: $0.time) } ?? -1)
            try statement.bind(5, cursor.map { TrailSchema.pack($0.position) } ?? -1)
            try statement.bind(6, Int64(limit + 1))
            var rows: [TrailRow] = []
            while try statement.step() { rows.append(Self.row(statement)) }
            var next: TrailCursor?
            if rows.count > limit {
                rows.removeLast()
                next = rows.last.map { TrailCursor(time: $0.time, position: $0.position) }
            }
            return TrailPage(rows: rows, next: next)
        }
    }

    /// What `organization` used and why: its usage lines, by resource, purpose and service item, at most
    /// ``usageLinesMax``. Counts cover everything indexed.
    public func usage(of organization: String) throws(StoreError) -> [TrailUsageView] {
        try using(reader) { connection throws(StoreError) in
            let statement = try connection.statement("""
                SELECT name, resource, provider, purpose, service_item, uses, refusals, first_time, last_time
                FROM trail_usage WHERE consumer_organization = ?1 LIMIT ?2
                """)
            defer { statement.reset() }
            try statement.bind(1, organization)
            try statement.bind(2, Int64(Self.usageLinesMax))
            var lines: [TrailUsageView] = []
            while try statement.step() {
                lines.append(TrailUsageView(
                    event: statement.text(0), resource: statement.text(1), provider: statement.text(2),
                    purpose: statement.text(3), serviceItem: statement.text(4), uses: UInt64(statement.int64(5)),
                    refusals: UInt64(statement.int64(6)), firstTimeMs: UInt64(statement.int64(7)),
                    lastTimeMs: UInt64(statement.int64(8))))
            }
            return lines
        }
    }

    /// How many rows the index holds (tests and benchmarks).
    public func rowCount() throws(StoreError) -> Int {
        try using(reader) { connection throws(StoreError) in Int(try connection.integer("SELECT count(*) FROM trail_event")) }
    }

    /// The row under the statement's cursor, in ``TrailSchema/selectedColumns(_:)`` order.
    private static func row(_ statement: SQLiteStatement) -> TrailRow {
        let subjectBytes = statement.bytes(4)
        let subjects = stride(from: 0, to: subjectBytes.count - subjectBytes.count % 32, by: 32).map {
            Hash256(bytes: subjectBytes[$0..<$0 + 32])
        }
        var texts: [TrailColumn: String] = [:]
        var integers: [TrailColumn: UInt64] = [:]
        for (offset, column) in TrailColumn.allCases.enumerated() {
            let index = Int32(5 + offset)
            if column.isInteger { integers[column] = UInt64(max(0, statement.int64(index))) } else {
                texts[column] = statement.text(index)
            }
        }
        let name = statement.text(1)
        let mapping = TrailEventMapping.mapping(for: name)
        let outcome = texts[.outcome] ?? ""
        let entry = TrailEntry(name: name, texts: texts, integers: integers, subjects: subjects,
                               isUse: mapping?.isUse ?? false,
                               isSuccess: mapping?.successOutcomes.contains(outcome) ?? false)
        return TrailRow(position: TrailSchema.unpack(statement.int64(0)), time: UInt64(max(0, statement.int64(2))),
                        transactionHash: Hash256(bytes: statement.bytes(3)), entry: entry)
    }
}
