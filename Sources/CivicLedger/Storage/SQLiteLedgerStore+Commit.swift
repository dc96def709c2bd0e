import CSQLite
import CivicCrypto

extension SQLiteLedgerStore {
    /// SQLITE_CONSTRAINT_UNIQUE; extended result codes are C macros that Swift does not import.
    private static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)
    /// SQLITE_CONSTRAINT_PRIMARYKEY.
    private static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)

    /// Writes the batch in one `BEGIN IMMEDIATE … COMMIT` transaction; the WAL is fsynced before this returns.
    ///
    /// Height continuity is checked inside the transaction, under SQLite's write lock. Any error rolls the
    /// transaction back, so the file is unchanged. After the commit the latest height is read back and must equal
    /// the batch's height (a precondition, on in release builds).
    /// - Throws: see ``LedgerStore/commit(_:)``. After an I/O error during the commit itself (for example a failed
    ///   fsync) the store refuses further calls: what reached the disk is in doubt until the file is reopened.
    public func commit(_ batch: CommitBatch) throws(StoreError) {
        try batch.validate()
        try withConnection { connection throws(StoreError) in
            try connection.execute("BEGIN IMMEDIATE")
            do throws(StoreError) {
                try batch.checkFollows(Self.latestHeight(connection))
                try Self.insertBlock(batch, into: connection)
                try Self.insertTransactions(batch, into: connection)
                try Self.insertReceipts(batch, into: connection)
                try Self.applyStateWrites(batch.stateWrites, to: connection)
                for (name, value) in batch.metadata { try Self.upsertMetadata(name, value, into: connection) }
                try connection.execute("COMMIT")
            } catch {
                connection.rollback()
                if case .io = error { connection.markFailed(error) }
                throw error
            }
            // Read back: the block is the latest and is found by its hash.
            let latest = try Self.latestHeight(connection)
            precondition(latest == batch.height, "\(connection.path): latest height \(String(describing: latest)) "
                + "after committing height \(batch.height)")
            let found = try Self.height(ofBlock: batch.blockHash, in: connection)
            precondition(found == batch.height, "\(connection.path): block \(batch.blockHash) reads back at height "
                + "\(String(describing: found)) after committing height \(batch.height)")
        }
    }

    private static func insertBlock(_ batch: CommitBatch, into connection: SQLiteConnection) throws(StoreError) {
        let statement = try connection.statement(
            "INSERT INTO blocks(height, hash, bytes, certificate) VALUES (?1, ?2, ?3, ?4)")
        defer { statement.reset() }
        try statement.bind(1, Int64(batch.height.rawValue))
        try statement.bind(2, batch.blockHash.bytes)
        try statement.bind(3, batch.blockBytes)
        try statement.bind(4, batch.certificateBytes)
        let code = statement.stepCode()
        if code == Self.constraintUnique { throw .duplicateBlock(batch.blockHash) }
        guard code == SQLITE_DONE else { throw connection.storeError(code) }
    }

    private static func insertTransactions(_ batch: CommitBatch, into connection: SQLiteConnection)
        throws(StoreError)
    {
        let statement = try connection.statement("INSERT INTO transactions(hash, height, idx) VALUES (?1, ?2, ?3)")
        defer { statement.reset() }
        let height = Int64(batch.height.rawValue)
        for (index, hash) in batch.transactionHashes.enumerated() {
            statement.reset()
            try statement.bind(1, hash.bytes)
            try statement.bind(2, height)
            try statement.bind(3, Int64(index))
            let code = statement.stepCode()
            if code == Self.constraintPrimaryKey { throw .duplicateTransaction(hash) }
            guard code == SQLITE_DONE else { throw connection.storeError(code) }
        }
    }

    private static func insertReceipts(_ batch: CommitBatch, into connection: SQLiteConnection) throws(StoreError) {
        let statement = try connection.statement("INSERT INTO receipts(height, idx, bytes) VALUES (?1, ?2, ?3)")
        defer { statement.reset() }
        let height = Int64(batch.height.rawValue)
        for (index, receipt) in batch.receiptBytes.enumerated() {
            statement.reset()
            try statement.bind(1, height)
            try statement.bind(2, Int64(index))
            try statement.bind(3, receipt)
            guard try !statement.step() else { throw .io("\(connection.path): INSERT returned a row") }
        }
    }

    private static func applyStateWrites(_ writes: [StoreStateWrite], to connection: SQLiteConnection)
        throws(StoreError)
    {
        guard !writes.isEmpty else { return }
        let upsert = try connection.statement("INSERT OR REPLACE INTO state(key, value) VALUES (?1, ?2)")
        let delete = try connection.statement("DELETE FROM state WHERE key = ?1")
        defer {
            upsert.reset()
            delete.reset()
        }
        for write in writes {
            let statement = write.value == nil ? delete : upsert
            statement.reset()
            try statement.bind(1, write.key)
            if let value = write.value { try statement.bind(2, value) }
            guard try !statement.step() else { throw .io("\(connection.path): state write returned a row") }
        }
    }

    static func upsertMetadata(_ name: String, _ value: [UInt8], into connection: SQLiteConnection)
        throws(StoreError)
    {
        let statement = try connection.statement("INSERT OR REPLACE INTO metadata(name, value) VALUES (?1, ?2)")
        defer { statement.reset() }
        try statement.bind(1, name)
        try statement.bind(2, value)
        guard try !statement.step() else { throw .io("\(connection.path): metadata write returned a row") }
    }
}
