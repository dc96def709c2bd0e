/// The tables of a ``SQLiteLedgerStore`` file and its schema version (kept in `PRAGMA user_version`).
///
/// Heights and indexes are SQLite INTEGERs (signed 64-bit; ``CommitBatch/validate()`` keeps heights below 2^63).
/// Keys and values are BLOBs, which SQLite compares with `memcmp`, so key order is bytewise order.
/// Tables with small rows that are always reached by their key are `WITHOUT ROWID` (one b-tree instead of a table
/// plus an index); `blocks` and `receipts` keep a rowid because their rows are large.
enum SQLiteSchema {
    /// The version this build writes and reads.
    static let version = 1

    /// Statements that create version 1 in an empty file.
    static let creation = """
        CREATE TABLE blocks(
            height INTEGER PRIMARY KEY,
            hash BLOB NOT NULL UNIQUE,
            bytes BLOB NOT NULL,
            certificate BLOB NOT NULL);
        CREATE TABLE transactions(
            hash BLOB PRIMARY KEY,
            height INTEGER NOT NULL,
            idx INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE receipts(
            height INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            PRIMARY KEY(height, idx));
        CREATE TABLE state(
            key BLOB PRIMARY KEY,
            value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE metadata(
            name TEXT PRIMARY KEY,
            value BLOB NOT NULL) WITHOUT ROWID;
        PRAGMA user_version = 1;
        """

    /// Creates the tables in a new file, or checks the version of an existing one.
    /// - Throws: ``StoreError/schemaMismatch(found:expected:)`` for another version, or for a file that has tables
    ///   but no version (not a CivicLedger store).
    static func prepare(_ connection: SQLiteConnection) throws(StoreError) {
        let found = try Int(connection.integer("PRAGMA user_version"))
        if found == version { return try checkTables(connection) }
        guard found == 0 else { throw .schemaMismatch(found: found, expected: version) }
        try connection.execute("BEGIN IMMEDIATE")
        do throws(StoreError) {
            // Checked again inside the write lock: another process may have created the schema meanwhile.
            let tables = try connection.integer("SELECT count(*) FROM sqlite_schema")
            let versionNow = try Int(connection.integer("PRAGMA user_version"))
            if versionNow == version {
                connection.rollback()
                return
            }
            guard tables == 0 else { throw StoreError.schemaMismatch(found: versionNow, expected: version) }
            try connection.execute(creation)
            try connection.execute("COMMIT")
        } catch {
            connection.rollback()
            throw error
        }
        let written = try Int(connection.integer("PRAGMA user_version"))
        precondition(written == version, "schema version \(written) after creating version \(version)")
        try checkTables(connection)
    }

    /// The tables of version 1.
    static let tables = ["blocks", "metadata", "receipts", "state", "transactions"]

    /// Checks that a file claiming this version has every table of it.
    /// - Throws: ``StoreError/corrupted(file:detail:)`` naming the missing tables.
    private static func checkTables(_ connection: SQLiteConnection) throws(StoreError) {
        let present = try connection.texts("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        let missing = tables.filter { !present.contains($0) }
        guard missing.isEmpty else {
            throw .corrupted(file: connection.path, detail: "schema version \(version) without the tables \(missing)")
        }
    }
}
