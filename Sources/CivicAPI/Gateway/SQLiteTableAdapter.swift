import CivicApps
import CSQLite
import NIOPosix

/// Serves a table of a SQLite file, opened read-only for each query (the provider's own file; nothing is written).
///
/// Column and table names are checked (`[a-z0-9_]`, and against the resource's schema) and quoted; filter values
/// are bound as parameters and never enter the SQL text. Values come back as text (`sqlite3_column_text`;
/// blobs as lowercase hex), NULL as `nil`. Runs on NIO's blocking thread pool.
public struct SQLiteTableAdapter: DataSourceAdapter {
    /// The SQLite file.
    public var path: String
    /// The table (or view).
    public var table: String

    /// Creates an adapter; the file is opened only when queried.
    public init(path: String, table: String) {
        self.path = path
        self.table = table
    }

    /// Runs the parameterized `SELECT`.
    public func rows(for query: AdapterQuery) async throws(AdapterError) -> [DataRow] {
        try query.checkNames()
        let sql = try SQLIdentifier.select(query, table: table, placeholder: { "?\($0)" })
        let path = path
        do {
            return try await NIOThreadPool.singleton.runIfActive { try Self.run(sql: sql, query: query, path: path) }
        } catch let error as AdapterError {
            throw error
        } catch {
            throw .source("the thread pool refused the query: \(error)")
        }
    }

    /// Tells SQLite to copy bound text (`SQLITE_TRANSIENT` is a C macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func run(sql: String, query: AdapterQuery, path: String) throws(AdapterError) -> [DataRow] {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw .source("cannot open \(path) read-only: \(reason)")
        }
        defer { sqlite3_close(handle) }
        sqlite3_busy_timeout(handle, 2_000)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw .source(String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        for (index, condition) in query.filter.enumerated() {
            guard sqlite3_bind_text(statement, Int32(index + 1), condition.value, -1, transient) == SQLITE_OK else {
                throw .source(String(cString: sqlite3_errmsg(handle)))
            }
        }
        var rows: [DataRow] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw .source(String(cString: sqlite3_errmsg(handle))) }
            var row = DataRow()
            for (column, field) in query.fields.enumerated() {
                row.updateValue(value(statement, Int32(column)), forKey: field)
            }
            rows.append(row)
        }
        return rows
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> String? {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            return nil
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return "" }
            let buffer = UnsafeRawBufferPointer(start: bytes, count: count)
            return buffer.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        default:
            guard let text = sqlite3_column_text(statement, column) else { return nil }
            return String(cString: text)
        }
    }
}
