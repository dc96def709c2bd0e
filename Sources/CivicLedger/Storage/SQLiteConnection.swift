import CSQLite

/// One SQLite connection with its cache of prepared statements and the mapping from SQLite result codes to
/// ``StoreError``.
///
/// Not thread-safe on its own: ``SQLiteLedgerStore`` keeps it inside a ``StoreLock`` and is its only user. `package`
/// so that other SQLite files of the node (the trail index, Docs/0016) use this wrapper too, each behind its own lock.
package final class SQLiteConnection {
    /// The database file, as given to `open`; used in error messages.
    package let path: String
    private var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]
    /// Set once the file is known to be damaged or a failed write left the connection in doubt; from then on
    /// every call throws this error instead of touching the file.
    package private(set) var failure: StoreError?

    /// Opens (creating if needed) the database file at `path` with extended result codes.
    /// - Throws: ``StoreError/io(_:)`` if the file cannot be opened, ``StoreError/corrupted(file:detail:)``.
    package init(path: String) throws(StoreError) {
        self.path = path
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        handle = opened
        guard code == SQLITE_OK else {
            let error = storeError(code)
            close()
            throw error
        }
        sqlite3_extended_result_codes(opened, 1)
        sqlite3_busy_timeout(opened, 2_000)
    }

    deinit { close() }

    /// Finalizes every cached statement and closes the file. Closing twice is harmless.
    package func close() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Throws the recorded failure, if any, so that a damaged or doubtful file serves nothing.
    package func checkUsable() throws(StoreError) {
        if let failure { throw failure }
        guard handle != nil else { throw .closed }
    }

    /// Marks the connection unusable with `error` (the first failure wins).
    package func markFailed(_ error: StoreError) {
        if failure == nil { failure = error }
    }

    /// Runs one or more SQL statements that return no rows.
    package func execute(_ sql: String) throws(StoreError) {
        try checkUsable()
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        sqlite3_free(message)
        guard code == SQLITE_OK else { throw storeError(code) }
    }

    /// The prepared statement for `sql`, compiled once per connection and reset before it is handed out.
    package func statement(_ sql: String) throws(StoreError) -> SQLiteStatement {
        try checkUsable()
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else { throw storeError(code) }
        let statement = SQLiteStatement(handle: prepared, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Runs a query that returns one integer (for example a PRAGMA).
    package func integer(_ sql: String) throws(StoreError) -> Int64 {
        let statement = try statement(sql)
        defer { statement.reset() }
        guard try statement.step() else { throw .io("\(path): '\(sql)' returned no row") }
        return statement.int64(0)
    }

    /// Runs a query and returns the first text column of every row (for PRAGMA quick_check and journal_mode).
    package func texts(_ sql: String) throws(StoreError) -> [String] {
        let statement = try statement(sql)
        defer { statement.reset() }
        var rows: [String] = []
        while try statement.step() { rows.append(statement.text(0)) }
        return rows
    }

    /// True while a transaction is open.
    package var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Rolls back the open transaction, if any; if even that fails, the connection is marked failed.
    package func rollback() {
        guard isInTransaction else { return }
        let code = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
        if code != SQLITE_OK {
            markFailed(.io("\(path): rollback failed (\(message(for: code))); reopen the store"))
        }
    }

    /// The ``StoreError`` for a SQLite result code, using the connection's last error message.
    ///
    /// SQLITE_CORRUPT and SQLITE_NOTADB also mark the connection failed: a damaged file serves no more data.
    package func storeError(_ code: Int32) -> StoreError {
        let detail = message(for: code)
        switch code & 0xff {
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            let error = StoreError.corrupted(file: path, detail: detail)
            markFailed(error)
            return error
        case SQLITE_FULL:
            return .diskFull
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .busy(file: path)
        default:
            return .io("\(path): \(detail)")
        }
    }

    private func message(for code: Int32) -> String {
        let text = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return "\(text) (SQLite code \(code))"
    }
}
