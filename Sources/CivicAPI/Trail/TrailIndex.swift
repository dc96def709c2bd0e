import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger

/// The usage trail's query index (Docs/0016, "Usage trail"): every event ``TrailEventMapping`` keeps, from committed
/// blocks, in an SQLite file beside the node's ledger (`<data dir>/trail.sqlite`), with the indexes that answer who
/// accessed a resource, what a department used and why, and every access naming a subject, in milliseconds.
///
/// The index is derived data: it can be deleted and rebuilt from the ledger at any time. It remembers the last height
/// it holds; ``apply(_:)`` writes a run of blocks' rows *and* that height in one SQLite transaction and skips heights
/// it already holds, so after a crash (even `kill -9` in the middle of a write) it neither misses nor repeats a block:
/// it goes on from the height it remembers.
///
/// Concurrency: a writer connection and a read-only connection, each behind its own lock (the project's
/// ``SQLiteConnection`` wrapper); in WAL mode queries read the last committed state while a write is in progress.
/// Calls block on disk I/O.
public final class TrailIndex: Sendable {
    /// The index file.
    public let path: String
    let writer: StoreLock<SQLiteConnection?>
    let reader: StoreLock<SQLiteConnection?>
    /// Held for a whole catch-up, so two catch-ups (the follower and a query) do not read the same blocks twice.
    let catchingUp = StoreLock(())

    /// The file name inside a node's data directory.
    public static let fileName = "trail.sqlite"

    /// Opens (creating if needed) the index file at `path`.
    /// - Throws: ``StoreError`` when the file cannot be opened, is damaged, or has another schema version (then
    ///   delete it: it is rebuilt from the ledger).
    public init(path: String) throws(StoreError) {
        self.path = path
        let opened = try SQLiteConnection(path: path)
        do throws(StoreError) {
            _ = try opened.integer("PRAGMA user_version")
            let journalMode = try opened.texts("PRAGMA journal_mode = WAL")
            guard journalMode == ["wal"] else { throw StoreError.io("\(path): WAL mode refused (\(journalMode))") }
            // NORMAL: a power loss may drop the last transactions, never tear one; the index then catches up again.
            try opened.execute("PRAGMA synchronous = NORMAL")
            try opened.execute("PRAGMA cache_size = -32768")
            try TrailSchema.prepare(opened)
        } catch {
            opened.close()
            throw error
        }
        let queries: SQLiteConnection
        do {
            queries = try SQLiteConnection(path: path)
            try queries.execute("PRAGMA query_only = 1")
            try queries.execute("PRAGMA cache_size = -32768")
        } catch {
            opened.close()
            throw error
        }
        writer = StoreLock(opened)
        reader = StoreLock(queries)
    }

    /// Closes both connections; later calls throw ``StoreError/closed``.
    public func close() {
        for lock in [reader, writer] {
            lock.withLock { connection in
                connection?.close()
                connection = nil
            }
        }
    }

    /// The last height the index holds (0 when it holds none).
    public func indexedHeight() throws(StoreError) -> UInt64 {
        try using(reader) { connection throws(StoreError) in try Self.height(connection) }
    }

    /// Writes `blocks` (in increasing height order) and the new indexed height in one transaction.
    ///
    /// Blocks at or below the indexed height are skipped, so applying a block twice changes nothing; the first block
    /// above it must be the next height.
    /// - Throws: ``StoreError/outOfOrder(expected:got:)`` for a gap; the index is then unchanged.
    /// - Returns: the indexed height afterwards.
    @discardableResult
    public func apply(_ blocks: [TrailBlock]) throws(StoreError) -> UInt64 {
        try using(writer) { connection throws(StoreError) in
            try connection.execute("BEGIN IMMEDIATE")
            do throws(StoreError) {
                var height = try Self.height(connection)
                for block in blocks where block.height > height {
                    guard block.height == height + 1 else {
                        throw .outOfOrder(expected: Height(height + 1), got: Height(block.height))
                    }
                    for row in block.rows { try Self.insert(row, time: block.time, into: connection) }
                    height = block.height
                }
                let update = try connection.statement("UPDATE trail_height SET height = ?1")
                try update.bind(1, Int64(height))
                guard try !update.step() else { throw .io("\(connection.path): UPDATE returned a row") }
                update.reset()
                try connection.execute("COMMIT")
                return height
            } catch {
                connection.rollback()
                throw error
            }
        }
    }

    /// Inserts one row unless its position is already there; its subjects and usage follow only a new row.
    private static func insert(_ row: TrailIndexedEvent, time: UInt64, into connection: SQLiteConnection)
        throws(StoreError)
    {
        let statement = try connection.statement(TrailSchema.insertEvent)
        defer { statement.reset() }
        let position = TrailSchema.pack(row.position)
        try statement.bind(1, position)
        try statement.bind(2, row.entry.name)
        try statement.bind(3, Int64(time))
        try statement.bind(4, row.transactionHash.bytes)
        try statement.bind(5, row.entry.subjects.flatMap(\.bytes))
        for (offset, column) in TrailColumn.allCases.enumerated() {
            let index = Int32(6 + offset)
            if column.isInteger {
                try statement.bind(index, Int64(clamping: row.entry.integer(column)))
            } else {
                try statement.bind(index, row.entry.text(column))
            }
        }
        guard try !statement.step() else { throw .io("\(connection.path): INSERT returned a row") }
        statement.reset()
        guard try connection.integer("SELECT changes()") == 1 else { return }
        let subject = try connection.statement(
            "INSERT OR IGNORE INTO trail_subject(subject, time, position) VALUES (?1, ?2, ?3)")
        defer { subject.reset() }
        for fingerprint in row.entry.subjects {
            subject.reset()
            try subject.bind(1, fingerprint.bytes)
            try subject.bind(2, Int64(time))
            try subject.bind(3, position)
            guard try !subject.step() else { throw .io("\(connection.path): INSERT returned a row") }
        }
        guard row.entry.isUse else { return }
        let usage = try connection.statement(TrailSchema.upsertUsage)
        defer { usage.reset() }
        try usage.bind(1, row.entry.text(.consumerOrganization))
        try usage.bind(2, row.entry.name)
        try usage.bind(3, row.entry.text(.resource))
        try usage.bind(4, row.entry.text(.purpose))
        try usage.bind(5, row.entry.text(.serviceItem))
        try usage.bind(6, row.entry.text(.provider))
        try usage.bind(7, Int64(row.entry.isSuccess ? 1 : 0))
        try usage.bind(8, Int64(row.entry.isSuccess ? 0 : 1))
        try usage.bind(9, Int64(time))
        guard try !usage.step() else { throw .io("\(connection.path): upsert returned a row") }
    }

    static func height(_ connection: SQLiteConnection) throws(StoreError) -> UInt64 {
        let value = try connection.integer("SELECT height FROM trail_height")
        precondition(value >= 0, "negative indexed height \(value) in \(connection.path)")
        return UInt64(value)
    }

    /// Runs `body` with an open connection under its lock.
    func using<Result: Sendable>(
        _ lock: StoreLock<SQLiteConnection?>, _ body: (SQLiteConnection) throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
        try lock.withLock { (connection) throws(StoreError) -> Result in
            guard let connection else { throw .closed }
            try connection.checkUsable()
            return try body(connection)
        }
    }
}

/// One indexed event: where it is, its transaction, and its row.
public struct TrailIndexedEvent: Hashable, Sendable {
    /// `H.T.E`.
    public var position: EventPosition
    /// The transaction whose receipt holds the event.
    public var transactionHash: Hash256
    /// The event, read through its mapping.
    public var entry: TrailEntry

    /// Creates an indexed event.
    public init(position: EventPosition, transactionHash: Hash256, entry: TrailEntry) {
        self.position = position
        self.transactionHash = transactionHash
        self.entry = entry
    }
}

/// The rows of one committed block (possibly none: the height still advances).
public struct TrailBlock: Hashable, Sendable {
    /// The block's height.
    public var height: UInt64
    /// The block's time, milliseconds since 1970.
    public var time: UInt64
    /// The block's kept events, in position order.
    public var rows: [TrailIndexedEvent]

    /// Creates a block's rows.
    public init(height: UInt64, time: UInt64, rows: [TrailIndexedEvent]) {
        self.height = height
        self.time = time
        self.rows = rows
    }
}
