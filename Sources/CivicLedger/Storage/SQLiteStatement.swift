import CSQLite

/// A prepared statement owned by a ``SQLiteConnection``: bind, step, read columns, reset.
///
/// Blobs are bound with `SQLITE_TRANSIENT` (SQLite copies them), so the Swift arrays need not outlive the call.
package struct SQLiteStatement {
    /// The compiled statement.
    package let handle: OpaquePointer
    /// The connection that owns the statement; unowned because the connection finalizes its statements.
    package unowned let connection: SQLiteConnection

    /// Tells SQLite to copy bound bytes (`SQLITE_TRANSIENT` is a C macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Clears the previous run and its bindings.
    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Frees the statement; only the owning connection calls this.
    func finalize() {
        sqlite3_finalize(handle)
    }

    /// Binds bytes to parameter `index` (from 1); an empty array binds an empty blob, never NULL.
    package func bind(_ index: Int32, _ bytes: [UInt8]) throws(StoreError) {
        let code = bytes.withUnsafeBytes { buffer in
            buffer.isEmpty
                ? sqlite3_bind_zeroblob(handle, index, 0)
                : sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), Self.transient)
        }
        guard code == SQLITE_OK else { throw connection.storeError(code) }
    }

    /// Binds a 64-bit integer to parameter `index` (from 1).
    package func bind(_ index: Int32, _ value: Int64) throws(StoreError) {
        let code = sqlite3_bind_int64(handle, index, value)
        guard code == SQLITE_OK else { throw connection.storeError(code) }
    }

    /// Binds UTF-8 text to parameter `index` (from 1).
    package func bind(_ index: Int32, _ text: String) throws(StoreError) {
        let code = sqlite3_bind_text(handle, index, text, -1, Self.transient)
        guard code == SQLITE_OK else { throw connection.storeError(code) }
    }

    /// Advances to the next row: `true` for a row, `false` when done.
    /// - Throws: the mapped error of any other result.
    package func step() throws(StoreError) -> Bool {
        let code = stepCode()
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.storeError(code)
        }
    }

    /// Advances and returns SQLite's raw result code, for callers that treat some codes (constraints) specially.
    package func stepCode() -> Int32 {
        sqlite3_step(handle)
    }

    /// The bytes of column `column` (from 0) of the current row; empty for an empty blob or NULL.
    package func bytes(_ column: Int32) -> [UInt8] {
        // SQLite's documented order: fetch the pointer first, then the size.
        let base = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let base else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// True if column `column` (from 0) of the current row is NULL.
    package func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// The integer in column `column` (from 0) of the current row.
    package func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The text in column `column` (from 0) of the current row; empty for NULL.
    package func text(_ column: Int32) -> String {
        guard let characters = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: characters)
    }
}
