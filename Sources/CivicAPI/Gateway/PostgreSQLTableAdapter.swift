import CivicApps
import CPostgreSQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// Serves a table (or view) of a PostgreSQL database through libpq, with one connection per query.
///
/// Column and table names (`table` or `schema.table`) are checked and quoted; filter values are sent as
/// parameters of `PQexecParams` (text format) and never enter the SQL text. Columns are compared as text
/// (`"col"::text = $1`), so a filter on an integer column matches its decimal form. The session is read-only
/// (`default_transaction_read_only`). Values come back in PostgreSQL's text format, NULL as `nil`. Runs on NIO's
/// blocking thread pool; give the connection a `connect_timeout`.
public struct PostgreSQLTableAdapter: DataSourceAdapter {
    /// A libpq connection string, e.g. `host=127.0.0.1 port=5432 dbname=civil user=gateway connect_timeout=5`.
    public var connection: String
    /// The table or view, `name` or `schema.name`.
    public var table: String

    /// Creates an adapter; nothing connects until a query.
    public init(connection: String, table: String) {
        self.connection = connection
        self.table = table
    }

    /// Runs the parameterized `SELECT`.
    public func rows(for query: AdapterQuery) async throws(AdapterError) -> [DataRow] {
        try query.checkNames()
        let sql = try SQLIdentifier.select(query, table: table, placeholder: { "$\($0)" }, compare: { "\($0)::text" })
        let connection = connection
        do {
            return try await NIOThreadPool.singleton.runIfActive { try Self.run(sql: sql, query: query, connection: connection) }
        } catch let error as AdapterError {
            throw error
        } catch {
            throw .source("the thread pool refused the query: \(error)")
        }
    }

    private static func run(sql: String, query: AdapterQuery, connection: String) throws(AdapterError) -> [DataRow] {
        // The session is read-only and gives up on slow statements.
        let options = connection + " options='-c default_transaction_read_only=on -c statement_timeout=10000'"
        guard let handle = PQconnectdb(options) else { throw .source("libpq could not allocate a connection") }
        defer { PQfinish(handle) }
        guard PQstatus(handle) == CONNECTION_OK else { throw .source("cannot connect: \(message(handle))") }
        let values = query.filter.map(\.value)
        let result = withCStrings(values) { pointers in
            PQexecParams(handle, sql, Int32(values.count), nil, pointers, nil, nil, 0)
        }
        guard let result else { throw .source(message(handle)) }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw .source(String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines)
        }
        var rows: [DataRow] = []
        for row in 0..<PQntuples(result) {
            var values = DataRow()
            for (column, field) in query.fields.enumerated() {
                let isNull = PQgetisnull(result, row, Int32(column)) == 1
                values.updateValue(isNull ? nil : String(cString: PQgetvalue(result, row, Int32(column))), forKey: field)
            }
            rows.append(values)
        }
        return rows
    }

    private static func message(_ handle: OpaquePointer) -> String {
        String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines
    }

    /// Calls `body` with C strings of `values` that live until it returns.
    private static func withCStrings<R>(_ values: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = values.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) })
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
