import CivicFormats
import CivicLedger

/// The tables of a ``TrailIndex`` file (schema version in `PRAGMA user_version`).
///
/// - `trail_event`: one row per kept event; the rowid is the packed position (``pack(_:)``), so rows sort by position
///   and every secondary index ends in it. Its columns after the fixed ones are ``TrailColumn/allCases``, in order.
/// - indexes `(resource, time)`, `(consumer_organization, time)`, `(provider, time)`: the questions by resource,
///   department and provider read one index range in time order.
/// - `trail_subject`: `(subject, time, position)`, one row per subject named by an event: the subject question.
/// - `trail_usage`: per department, event, resource, purpose and service item, the uses and refusals counted at
///   indexing time: what a department used and why, without scanning its accesses.
/// - `trail_height`: the last indexed height, written in the same transaction as the rows.
enum TrailSchema {
    /// The version this build writes and reads.
    static let version = 1

    /// Bits of a packed position below the height: 14 for the transaction index, 6 for the event index.
    static let transactionBits = 14
    static let eventBits = 6

    /// The position as one integer: `height << 20 | transaction << 6 | event`; order-preserving.
    /// - Precondition: the transaction and event indexes fit (``Limits/blockTransactionsMax`` and
    ///   ``Limits/eventsPerTransactionMax`` do), and the height is below 2^43.
    static func pack(_ position: EventPosition) -> Int64 {
        precondition(position.transaction < 1 << transactionBits && position.event < 1 << eventBits
                     && position.height < 1 << (63 - transactionBits - eventBits),
                     "position \(position) does not fit the trail index")
        return Int64(position.height) << (transactionBits + eventBits) | Int64(position.transaction) << eventBits
            | Int64(position.event)
    }

    /// The position of a packed integer.
    static func unpack(_ value: Int64) -> EventPosition {
        EventPosition(height: UInt64(value >> (transactionBits + eventBits)),
                      transaction: UInt32((value >> eventBits) & (1 << transactionBits - 1)),
                      event: UInt32(value & (1 << eventBits - 1)))
    }

    /// A column's quoted name (`grant` is an SQL keyword).
    static func quoted(_ column: TrailColumn) -> String { "\"\(column.rawValue)\"" }

    /// The mapped columns' definitions.
    private static var columnDefinitions: String {
        TrailColumn.allCases.map { "\(quoted($0)) \($0.isInteger ? "INTEGER" : "TEXT") NOT NULL" }
            .joined(separator: ",\n    ")
    }

    /// Statements that create version 1 in an empty file.
    static var creation: String {
        """
        CREATE TABLE trail_height(height INTEGER NOT NULL);
        INSERT INTO trail_height(height) VALUES (0);
        CREATE TABLE trail_event(
            position INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            time INTEGER NOT NULL,
            transaction_hash BLOB NOT NULL,
            subjects BLOB NOT NULL,
            \(columnDefinitions));
        CREATE INDEX trail_by_resource ON trail_event(resource, time);
        CREATE INDEX trail_by_consumer ON trail_event(consumer_organization, time);
        CREATE INDEX trail_by_provider ON trail_event(provider, time);
        CREATE TABLE trail_subject(
            subject BLOB NOT NULL,
            time INTEGER NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY(subject, time, position)) WITHOUT ROWID;
        CREATE TABLE trail_usage(
            consumer_organization TEXT NOT NULL,
            name TEXT NOT NULL,
            resource TEXT NOT NULL,
            purpose TEXT NOT NULL,
            service_item TEXT NOT NULL,
            provider TEXT NOT NULL,
            uses INTEGER NOT NULL,
            refusals INTEGER NOT NULL,
            first_time INTEGER NOT NULL,
            last_time INTEGER NOT NULL,
            PRIMARY KEY(consumer_organization, name, resource, purpose, service_item)) WITHOUT ROWID;
        PRAGMA user_version = \(version);
        """
    }

    /// The columns every row query selects, in the order ``TrailIndex`` reads them.
    static func selectedColumns(_ table: String) -> String {
        (["position", "name", "time", "transaction_hash", "subjects"] + TrailColumn.allCases.map(quoted))
            .map { "\(table).\($0)" }.joined(separator: ", ")
    }

    /// Inserts a row unless its position is present: ?1 position … ?5 subjects, then the mapped columns.
    static var insertEvent: String {
        let names = (["position", "name", "time", "transaction_hash", "subjects"] + TrailColumn.allCases.map(quoted))
        let values = (1...names.count).map { "?\($0)" }
        return "INSERT OR IGNORE INTO trail_event(\(names.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
    }

    /// Counts one use: ?1 department, ?2 event, ?3 resource, ?4 purpose, ?5 service item, ?6 provider, ?7 uses,
    /// ?8 refusals, ?9 time.
    static let upsertUsage = """
        INSERT INTO trail_usage(consumer_organization, name, resource, purpose, service_item, provider, uses, refusals,
                                first_time, last_time)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
        ON CONFLICT(consumer_organization, name, resource, purpose, service_item) DO UPDATE SET
            uses = uses + excluded.uses, refusals = refusals + excluded.refusals,
            first_time = min(first_time, excluded.first_time), last_time = max(last_time, excluded.last_time)
        """

    /// The tables of version 1.
    static let tables = ["trail_event", "trail_height", "trail_subject", "trail_usage"]

    /// Creates the tables in a new file, or checks an existing one.
    /// - Throws: ``StoreError/schemaMismatch(found:expected:)`` for another version or a file that is not a trail
    ///   index; ``StoreError/corrupted(file:detail:)`` when tables are missing.
    static func prepare(_ connection: SQLiteConnection) throws(StoreError) {
        let found = try Int(connection.integer("PRAGMA user_version"))
        if found == 0 {
            try connection.execute("BEGIN IMMEDIATE")
            do throws(StoreError) {
                let tables = try connection.integer("SELECT count(*) FROM sqlite_schema")
                guard tables == 0 else { throw StoreError.schemaMismatch(found: 0, expected: version) }
                try connection.execute(creation)
                try connection.execute("COMMIT")
            } catch {
                connection.rollback()
                throw error
            }
        } else if found != version {
            throw .schemaMismatch(found: found, expected: version)
        }
        let present = try connection.texts("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        let missing = tables.filter { !present.contains($0) }
        guard missing.isEmpty else {
            throw .corrupted(file: connection.path, detail: "trail index version \(version) without the tables \(missing)")
        }
    }
}
