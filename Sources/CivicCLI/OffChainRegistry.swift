import CSQLite

/// The providers' off-chain rows for `civic bench datashare`: a SQLite file with tables `people` (keyed by ID number)
/// and `companies` (keyed by unified social credit code), as a department's exchange gateway serves them. The rows
/// never go on chain; only their fingerprints do, in access records.
///
/// Not thread-safe: one connection, used by the generating task only.
final class OffChainRegistry {
    /// The `people` table and its columns, in order.
    static let peopleTable = (name: "people", key: "id_number",
                              columns: ["id_number", "name", "gender", "birth_date", "address", "household"])
    /// The `companies` table and its columns, in order.
    static let companiesTable = (name: "companies", key: "credit_code",
                                 columns: ["credit_code", "name", "legal_representative", "registered_capital", "established",
                                           "address"])

    private var handle: OpaquePointer?
    let path: String

    /// Opens `path` (read-only unless `create`).
    init(path: String, create: Bool = false) throws {
        self.path = path
        let flags = (create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else {
            defer { sqlite3_close_v2(handle) }
            throw CLIError(description: "Cannot open \(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Writes `people` and `companies` rows (tables replaced), each table with one prepared statement in one
    /// transaction, in key order. Calls `progress` every 100,000 rows.
    func generate(people: Int, companies: Int, progress: (String, Int) -> Void) throws {
        try execute("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 8192;
            DROP TABLE IF EXISTS people; DROP TABLE IF EXISTS companies;
            CREATE TABLE people (id_number TEXT PRIMARY KEY, name TEXT NOT NULL, gender TEXT NOT NULL,
                birth_date TEXT NOT NULL, address TEXT NOT NULL, household TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE companies (credit_code TEXT PRIMARY KEY, name TEXT NOT NULL, legal_representative TEXT NOT NULL,
                registered_capital INTEGER NOT NULL, established TEXT NOT NULL, address TEXT NOT NULL) WITHOUT ROWID;
            """)
        try insert(into: "people", columns: 6, count: people, progress: progress) { index in
            let id = SyntheticIdentifiers.personID(index, count: people)
            let gender = Int(id.utf8.dropFirst(16).first! - 0x30) % 2 == 1 ? "male" : "female"
            return [.text(id), .text(SyntheticIdentifiers.name(index)), .text(gender),
                    .text(SyntheticIdentifiers.personBirthDate(index, count: people)),
                    .text(SyntheticIdentifiers.address(index, count: people)),
                    .text(index % 5 == 0 ? "non-agricultural" : "resident")]
        }
        try insert(into: "companies", columns: 6, count: companies, progress: progress) { index in
            [.text(SyntheticIdentifiers.companyCode(index, count: companies)),
             .text("Nanjing Synthetic \(SyntheticIdentifiers.name(index * 7)) Co., Ltd. \(index)"),
             .text(SyntheticIdentifiers.name(index * 13 + 5)), .integer(Int64(100_000 * (index % 500 + 1))),
             .text("20\(String(10 + index % 15))-0\(index % 9 + 1)-1\(index % 9)"),
             .text(SyntheticIdentifiers.address(index, count: companies))]
        }
    }

    /// A value to bind.
    enum Value {
        case text(String)
        case integer(Int64)
    }

    private func insert(into table: String, columns: Int, count: Int, progress: (String, Int) -> Void,
                        row: (Int) -> [Value]) throws {
        let placeholders = Array(repeating: "?", count: columns).joined(separator: ", ")
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "INSERT INTO \(table) VALUES (\(placeholders))", -1, &statement, nil) == SQLITE_OK else {
            throw failure("prepare the insert into \(table)")
        }
        defer { sqlite3_finalize(statement) }
        try execute("BEGIN")
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for index in 0..<count {
            for (position, value) in row(index).enumerated() {
                switch value {
                case .text(let text): sqlite3_bind_text(statement, Int32(position + 1), text, -1, transient)
                case .integer(let number): sqlite3_bind_int64(statement, Int32(position + 1), number)
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw failure("insert row \(index) into \(table)") }
            sqlite3_reset(statement)
            if index % 100_000 == 0 { progress(table, index) }
        }
        try execute("COMMIT")
    }

    private func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql.prefix(40) + "…") }
    }

    private func failure(_ action: some StringProtocol) -> CLIError {
        CLIError(description: "SQLite could not \(action) in \(path): \(String(cString: sqlite3_errmsg(handle)))")
    }
}
