import CivicApps

/// One row a provider's system returned: field name → value as text (`nil` for SQL NULL / JSON null).
public typealias DataRow = [String: String?]

/// What the gateway asks a provider's system for: checked fields, an equality filter, a row limit.
public struct AdapterQuery: Sendable, Equatable {
    /// The columns to return (the granted fields asked for, plus the resource's subject field).
    public var fields: [String]
    /// Equality conditions, all of which a row must meet.
    public var filter: [FieldCondition]
    /// Most rows to return.
    public var limit: Int
    /// Every field name of the resource's published schema: adapters refuse any other name.
    public var schema: Set<String>

    /// Creates a query.
    public init(fields: [String], filter: [FieldCondition], limit: Int, schema: Set<String>) {
        self.fields = fields
        self.filter = filter
        self.limit = limit
        self.schema = schema
    }

    /// Checks every field and filter name against the schema and the field-name syntax (`[a-z0-9_]`, 1–64), so a
    /// name can be quoted into SQL as an identifier; values are never put into SQL text.
    /// - Throws: ``AdapterError/invalidQuery(_:)``.
    public func checkNames() throws(AdapterError) {
        for name in fields + filter.map(\.field) {
            guard CatalogContract.isName(name), schema.contains(name) else {
                throw .invalidQuery("'\(name)' is not a field of the resource's schema")
            }
        }
        guard limit > 0 else { throw .invalidQuery("the limit must be positive") }
    }
}

/// Why a provider's system did not answer.
public enum AdapterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The query names something outside the schema.
    case invalidQuery(String)
    /// The adapter's settings are unusable (bad table name, missing file).
    case configuration(String)
    /// The system failed or answered something unexpected.
    case source(String)

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .invalidQuery(let why): "The query was refused: \(why)."
        case .configuration(let why): "The data source is misconfigured: \(why)."
        case .source(let why): "The data source failed: \(why)."
        }
    }
}

/// How a provider plugs an existing system into its exchange gateway without changing it: given checked field
/// names, an equality filter and a limit, return rows. Built in: ``SQLiteTableAdapter``,
/// ``PostgreSQLTableAdapter`` and ``HTTPEndpointAdapter``.
public protocol DataSourceAdapter: Sendable {
    /// At most `query.limit` rows meeting every condition of `query.filter`, each with (at least) `query.fields`.
    /// Implementations call ``AdapterQuery/checkNames()`` first and never put a value into query text.
    /// - Throws: ``AdapterError``.
    func rows(for query: AdapterQuery) async throws(AdapterError) -> [DataRow]
}

/// An adapter over rows held in memory (tests, demos).
public struct InMemoryAdapter: DataSourceAdapter {
    /// The rows.
    public var table: [DataRow]

    /// Wraps `table`.
    public init(_ table: [DataRow]) { self.table = table }

    /// Filters the rows in order.
    public func rows(for query: AdapterQuery) async throws(AdapterError) -> [DataRow] {
        try query.checkNames()
        let matching = table.filter { row in query.filter.allSatisfy { (row[$0.field] ?? nil) == $0.value } }
        return matching.prefix(query.limit).map { row in
            Dictionary(uniqueKeysWithValues: query.fields.map { ($0, row[$0] ?? nil) })
        }
    }
}

/// Identifier checks shared by the SQL adapters.
enum SQLIdentifier {
    /// `name` double-quoted, after checking it is `[a-z0-9_]` (so nothing needs escaping).
    static func quoted(_ name: String) throws(AdapterError) -> String {
        guard CatalogContract.isName(name) else { throw .configuration("'\(name)' is not a plain identifier (a-z, 0-9, _)") }
        return "\"\(name)\""
    }

    /// A table name, optionally `schema.table`, each part checked and quoted.
    static func table(_ name: String) throws(AdapterError) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count) else { throw .configuration("'\(name)' is not a table name") }
        var quotedParts: [String] = []
        for part in parts { quotedParts.append(try quoted(part)) }
        return quotedParts.joined(separator: ".")
    }

    /// `SELECT "a", "b" FROM "t" WHERE "x" = <p1> AND … LIMIT n` with placeholders from `placeholder(i)` (1-based).
    static func select(_ query: AdapterQuery, table: String, placeholder: (Int) -> String,
                       compare: (String) -> String = { $0 }) throws(AdapterError) -> String {
        var columns: [String] = []
        for field in query.fields { columns.append(try quoted(field)) }
        var sql = "SELECT \(columns.joined(separator: ", ")) FROM \(try Self.table(table))"
        var conditions: [String] = []
        for (index, condition) in query.filter.enumerated() {
            conditions.append("\(compare(try quoted(condition.field))) = \(placeholder(index + 1))")
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return sql + " LIMIT \(query.limit)"
    }
}
