import CivicCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The node's ``LedgerStore``: one SQLite database file in WAL mode with `synchronous=FULL`, so a commit is on
/// disk (fsync) before ``commit(_:)`` returns.
///
/// Concurrency rule: the store owns one connection, and every call holds the store's lock for its whole duration,
/// so calls run one at a time in the order they take the lock (a read waits for a commit in progress) — except the
/// two point lookups on admission's and execution's hot path (``transactionLocation(_:)`` and
/// ``stateValue(forKey:)``), which use a second, read-only connection with its own lock: in WAL mode they read the
/// last committed state while a commit is being written, instead of waiting for its fsync. The store
/// may be shared across threads and tasks, but calls block on disk I/O: never call it from an event loop. Open one
/// store per file: another connection (in this or another process) that holds the write lock for more than two
/// seconds makes a commit fail with ``StoreError/busy(file:)``, leaving the store unchanged.
///
/// Integrity: opening runs `PRAGMA quick_check` and refuses a damaged file with
/// ``StoreError/corrupted(file:detail:)``. Once any call meets SQLITE_CORRUPT or SQLITE_NOTADB, every later call
/// throws that error: the store never serves data from a damaged file.
public final class SQLiteLedgerStore: LedgerStore {
    /// The database file.
    public let path: String
    /// The serial owner of the connection; `nil` once closed.
    let connection: StoreLock<SQLiteConnection?>
    /// The read-only connection for point lookups; `nil` once closed.
    let lookups: StoreLock<SQLiteConnection?>
    /// The first failure either connection met: from then on both refuse every call.
    let failure = StoreLock<StoreError?>(nil)

    /// Opens the database file at `path`, creating it (and its tables) if it does not exist.
    /// - Parameter verifyOnOpen: run `PRAGMA quick_check` before serving anything (the default). Turn it off only
    ///   when the caller runs ``checkIntegrity()`` itself, for example in the background on a very large file.
    /// - Throws: ``StoreError/corrupted(file:detail:)`` for a damaged file or one that is not a database,
    ///   ``StoreError/schemaMismatch(found:expected:)``, ``StoreError/busy(file:)``, ``StoreError/io(_:)``.
    public init(path: String, verifyOnOpen: Bool = true) throws(StoreError) {
        self.path = path
        let opened = try SQLiteConnection(path: path)
        do throws(StoreError) {
            // The first read fails with SQLITE_NOTADB for a file that is not a database at all.
            _ = try opened.integer("PRAGMA user_version")
            if verifyOnOpen { try Self.runCheck(opened, pragma: "quick_check") }
            let journalMode = try opened.texts("PRAGMA journal_mode = WAL")
            guard journalMode == ["wal"] else { throw StoreError.io("\(path): WAL mode refused (\(journalMode))") }
            try opened.execute("PRAGMA synchronous = FULL")
            try opened.execute("PRAGMA cache_size = -16384")
            try opened.execute("PRAGMA journal_size_limit = 67108864")
            try SQLiteSchema.prepare(opened)
        } catch {
            opened.close()
            throw error
        }
        let reader: SQLiteConnection
        do {
            reader = try SQLiteConnection(path: path)
            try reader.execute("PRAGMA query_only = 1")
        } catch {
            opened.close()
            throw error
        }
        connection = StoreLock(opened)
        lookups = StoreLock(reader)
    }

    /// Runs `body` with the open, undamaged connection under the store's lock.
    func withConnection<Result: Sendable>(
        _ body: (SQLiteConnection) throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
        try using(connection, body)
    }

    /// Runs `body` with the read-only lookup connection under its own lock.
    func withLookupConnection<Result: Sendable>(
        _ body: (SQLiteConnection) throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
        try using(lookups, body)
    }

    private func using<Result: Sendable>(
        _ lock: StoreLock<SQLiteConnection?>, _ body: (SQLiteConnection) throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
        try lock.withLock { (connection) throws(StoreError) -> Result in
            guard let connection else { throw .closed }
            if let failed = failure.withLock({ $0 }) { throw failed }
            defer {
                if let failed = connection.failure { failure.withLock { if $0 == nil { $0 = failed } } }
            }
            try connection.checkUsable()
            return try body(connection)
        }
    }

    /// Runs `PRAGMA integrity_check` (slower and more thorough than the `quick_check` of opening: it also compares
    /// every index with its table).
    /// - Throws: ``StoreError/corrupted(file:detail:)`` naming the file and the first problems found; from then on
    ///   the store refuses every call.
    public func checkIntegrity() throws(StoreError) {
        try withConnection { connection throws(StoreError) in
            try Self.runCheck(connection, pragma: "integrity_check")
        }
    }

    /// Runs `PRAGMA quick_check` or `integrity_check`; anything but "ok" marks the connection failed.
    private static func runCheck(_ connection: SQLiteConnection, pragma: String) throws(StoreError) {
        let rows = try connection.texts("PRAGMA \(pragma)(8)")
        guard rows != ["ok"] else { return }
        let error = StoreError.corrupted(file: connection.path, detail: rows.joined(separator: "; "))
        connection.markFailed(error)
        throw error
    }

    /// The height of the last committed block, or `nil` when empty.
    public func latestHeight() throws(StoreError) -> Height? {
        try withConnection { connection throws(StoreError) in try Self.latestHeight(connection) }
    }

    static func latestHeight(_ connection: SQLiteConnection) throws(StoreError) -> Height? {
        let statement = try connection.statement("SELECT max(height) FROM blocks")
        defer { statement.reset() }
        guard try statement.step(), !statement.isNull(0) else { return nil }
        let value = statement.int64(0)
        precondition(value >= 0, "negative height \(value) in \(connection.path)")
        return Height(UInt64(value))
    }

    /// The block bytes at `height`.
    public func blockBytes(at height: Height) throws(StoreError) -> [UInt8]? {
        try blob("SELECT bytes FROM blocks WHERE height = ?1", height: height)
    }

    /// The certificate bytes at `height`.
    public func certificateBytes(at height: Height) throws(StoreError) -> [UInt8]? {
        try blob("SELECT certificate FROM blocks WHERE height = ?1", height: height)
    }

    private func blob(_ sql: String, height: Height) throws(StoreError) -> [UInt8]? {
        guard let key = Int64(exactly: height.rawValue) else { return nil }
        return try withConnection { connection throws(StoreError) in
            let statement = try connection.statement(sql)
            defer { statement.reset() }
            try statement.bind(1, key)
            return try statement.step() ? statement.bytes(0) : nil
        }
    }

    /// The height of the block with `hash`.
    public func height(ofBlock hash: Hash256) throws(StoreError) -> Height? {
        try withConnection { connection throws(StoreError) in try Self.height(ofBlock: hash, in: connection) }
    }

    static func height(ofBlock hash: Hash256, in connection: SQLiteConnection) throws(StoreError) -> Height? {
        let statement = try connection.statement("SELECT height FROM blocks WHERE hash = ?1")
        defer { statement.reset() }
        try statement.bind(1, hash.bytes)
        return try statement.step() ? Height(UInt64(statement.int64(0))) : nil
    }

    /// Where the transaction with `hash` was committed.
    public func transactionLocation(_ hash: Hash256) throws(StoreError) -> TransactionLocation? {
        try withLookupConnection { connection throws(StoreError) in
            let statement = try connection.statement("SELECT height, idx FROM transactions WHERE hash = ?1")
            defer { statement.reset() }
            try statement.bind(1, hash.bytes)
            guard try statement.step() else { return nil }
            return TransactionLocation(height: Height(UInt64(statement.int64(0))), index: UInt32(statement.int64(1)))
        }
    }

    /// The bytes the database file and its write-ahead log occupy on disk.
    public func storageBytes() throws(StoreError) -> UInt64 {
        try withConnection { connection throws(StoreError) in
            var total: UInt64 = 0
            for file in [connection.path, connection.path + "-wal"] {
                var status = stat()
                if stat(file, &status) == 0 {
                    total += UInt64(status.st_size)
                } else if errno != ENOENT {
                    throw .io("\(file): cannot read its size (errno \(errno))")
                }
            }
            return total
        }
    }

    /// Closes the file (SQLite checkpoints the write-ahead log into it); later calls throw ``StoreError/closed``.
    public func close() {
        for lock in [lookups, connection] {
            lock.withLock { connection in
                connection?.close()
                connection = nil
            }
        }
    }
}
