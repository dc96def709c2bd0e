import CivicCrypto

extension SQLiteLedgerStore {
    /// The receipt of transaction `index` at `height`.
    public func receiptBytes(at height: Height, index: UInt32) throws(StoreError) -> [UInt8]? {
        guard let key = Int64(exactly: height.rawValue) else { return nil }
        return try withConnection { connection throws(StoreError) in
            let statement = try connection.statement("SELECT bytes FROM receipts WHERE height = ?1 AND idx = ?2")
            defer { statement.reset() }
            try statement.bind(1, key)
            try statement.bind(2, Int64(index))
            return try statement.step() ? statement.bytes(0) : nil
        }
    }

    /// All receipts at `height` in transaction order, or `nil` if there is no block at `height`.
    public func receiptsBytes(at height: Height) throws(StoreError) -> [[UInt8]]? {
        guard let key = Int64(exactly: height.rawValue) else { return nil }
        return try withConnection { connection throws(StoreError) -> [[UInt8]]? in
            let exists = try connection.statement("SELECT 1 FROM blocks WHERE height = ?1")
            defer { exists.reset() }
            try exists.bind(1, key)
            guard try exists.step() else { return nil }
            let statement = try connection.statement("SELECT idx, bytes FROM receipts WHERE height = ?1 ORDER BY idx")
            defer { statement.reset() }
            try statement.bind(1, key)
            var receipts: [[UInt8]] = []
            while try statement.step() {
                // Read back: indexes are dense from 0, or the file does not hold what commit wrote.
                precondition(statement.int64(0) == Int64(receipts.count),
                             "\(connection.path): receipt \(statement.int64(0)) of block \(height) out of sequence")
                receipts.append(statement.bytes(1))
            }
            return receipts
        }
    }

    /// The value of a state key.
    public func stateValue(forKey key: [UInt8]) throws(StoreError) -> [UInt8]? {
        try withLookupConnection { connection throws(StoreError) in
            let statement = try connection.statement("SELECT value FROM state WHERE key = ?1")
            defer { statement.reset() }
            try statement.bind(1, key)
            return try statement.step() ? statement.bytes(0) : nil
        }
    }

    /// Up to `limit` entries with keys after `key`, in bytewise key order.
    public func stateEntries(after key: [UInt8]?, limit: Int) throws(StoreError) -> [StoreStateEntry] {
        precondition(limit >= 0, "a page limit cannot be negative")
        guard limit > 0 else { return [] }
        return try withConnection { connection throws(StoreError) in
            let statement = key == nil
                ? try connection.statement("SELECT key, value FROM state ORDER BY key LIMIT ?1")
                : try connection.statement("SELECT key, value FROM state WHERE key > ?2 ORDER BY key LIMIT ?1")
            defer { statement.reset() }
            try statement.bind(1, Int64(limit))
            if let key { try statement.bind(2, key) }
            var entries: [StoreStateEntry] = []
            while try statement.step() {
                entries.append(StoreStateEntry(key: statement.bytes(0), value: statement.bytes(1)))
            }
            return entries
        }
    }

    /// The metadata blob `name`.
    public func metadata(_ name: String) throws(StoreError) -> [UInt8]? {
        try withConnection { connection throws(StoreError) in
            let statement = try connection.statement("SELECT value FROM metadata WHERE name = ?1")
            defer { statement.reset() }
            try statement.bind(1, name)
            return try statement.step() ? statement.bytes(0) : nil
        }
    }

    /// Sets the metadata blob `name` in its own durable transaction.
    public func setMetadata(_ name: String, _ value: [UInt8]) throws(StoreError) {
        try Limits.checkMetadata(name: name, value: value)
        try withConnection { connection throws(StoreError) in
            try connection.execute("BEGIN IMMEDIATE")
            do throws(StoreError) {
                try Self.upsertMetadata(name, value, into: connection)
                try connection.execute("COMMIT")
            } catch {
                connection.rollback()
                throw error
            }
        }
    }

    /// Copies the write-ahead log into the database file and empties the log (tests use it before damaging the
    /// file on purpose; operators before a file-level backup).
    public func checkpoint() throws(StoreError) {
        try withConnection { connection throws(StoreError) in
            try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// Caps the database at `pages` pages for this connection (`PRAGMA max_page_count`), so that tests can make
    /// the disk look full. Returns the cap SQLite applied (never below the current size).
    func capPageCount(_ pages: Int64) throws(StoreError) -> Int64 {
        try withConnection { connection throws(StoreError) in
            try connection.integer("PRAGMA max_page_count = \(pages)")
        }
    }

    /// The database size in pages.
    func pageCount() throws(StoreError) -> Int64 {
        try withConnection { connection throws(StoreError) in try connection.integer("PRAGMA page_count") }
    }
}
