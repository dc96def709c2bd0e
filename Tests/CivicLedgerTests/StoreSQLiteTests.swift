import CSQLite
import CivicCrypto
import Foundation
import Testing
@testable import CivicLedger

/// What only the SQLite store promises: it keeps everything across a reopen, runs in WAL mode with full
/// synchronous commits, and refuses files of another schema.
@Suite struct StoreSQLiteTests {
    @Test func reopenKeepsEverything() throws {
        let fixture = try StoreFixture(.sqlite)
        try StoreSamples.commitChain(fixture.store, count: 5, transactions: 4)
        try fixture.store.setMetadata("genesis", [1, 2])
        let deletion = StoreStateWrite(key: StoreSamples.key("tx/1/1"), value: nil)
        try fixture.store.commit(StoreSamples.batch(5, extraWrites: [deletion], metadata: ["validators": [3]]))
        let before = try StoreSnapshot(fixture.store)
        #expect(before.latest == Height(5))
        try fixture.reopen()
        #expect(try StoreSnapshot(fixture.store) == before)
        #expect(try fixture.store.transactionLocation(StoreSamples.transactionHash(3, 2))
            == TransactionLocation(height: Height(3), index: 2))
        try fixture.store.commit(StoreSamples.batch(6))
        #expect(try fixture.store.latestHeight() == Height(6))
    }

    @Test func fileIsInWALModeWithFullSynchronousCommits() throws {
        let fixture = try StoreFixture(.sqlite)
        let store = try #require(fixture.store as? SQLiteLedgerStore)
        let journalMode = try store.withConnection { connection throws(StoreError) in
            try connection.texts("PRAGMA journal_mode")
        }
        let synchronous = try store.withConnection { connection throws(StoreError) in
            try connection.integer("PRAGMA synchronous")
        }
        let version = try store.withConnection { connection throws(StoreError) in
            try connection.integer("PRAGMA user_version")
        }
        #expect(journalMode == ["wal"])
        #expect(synchronous == 2, "2 is FULL: the WAL is fsynced at every commit")
        #expect(version == Int64(SQLiteSchema.version))
    }

    @Test func otherSchemaVersionIsRefused() throws {
        let fixture = try StoreFixture(.sqlite)
        fixture.store.close()
        try Self.runSQL("PRAGMA user_version = 7", on: fixture.path)
        #expect(throws: StoreError.schemaMismatch(found: 7, expected: SQLiteSchema.version)) {
            try SQLiteLedgerStore(path: fixture.path)
        }
    }

    @Test func foreignDatabaseIsRefused() throws {
        let fixture = try StoreFixture(.sqlite)
        let foreign = fixture.directory.appendingPathComponent("foreign.sqlite").path
        try Self.runSQL("CREATE TABLE people(name TEXT)", on: foreign)
        #expect(throws: StoreError.schemaMismatch(found: 0, expected: SQLiteSchema.version)) {
            try SQLiteLedgerStore(path: foreign)
        }
    }

    @Test func unopenableFileIsAnIOError() throws {
        let error = #expect(throws: StoreError.self) {
            try SQLiteLedgerStore(path: "/nonexistent-civic-directory/ledger.sqlite")
        }
        #expect(error?.code == "store.io")
        #expect(error?.description.contains("/nonexistent-civic-directory/ledger.sqlite") == true)
    }

    @Test func fileWithAMissingTableIsRefused() throws {
        let fixture = try StoreFixture(.sqlite)
        fixture.store.close()
        try Self.runSQL("DROP TABLE receipts", on: fixture.path)
        let error = #expect(throws: StoreError.self) { try SQLiteLedgerStore(path: fixture.path) }
        #expect(error?.code == "store.corrupted")
        #expect(error?.description.contains("receipts") == true)
    }

    @Test func commitWhileAnotherConnectionWritesIsBusyAndChangesNothing() throws {
        let fixture = try StoreFixture(.sqlite)
        try StoreSamples.commitChain(fixture.store, count: 2)
        var other: OpaquePointer?
        defer { sqlite3_close_v2(other) }
        try #require(sqlite3_open(fixture.path, &other) == SQLITE_OK)
        try #require(sqlite3_exec(other, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        #expect(throws: StoreError.busy(file: fixture.path)) { try fixture.store.commit(StoreSamples.batch(2)) }
        #expect(try fixture.store.latestHeight() == Height(1))
        try #require(sqlite3_exec(other, "ROLLBACK", nil, nil, nil) == SQLITE_OK)
        try fixture.store.commit(StoreSamples.batch(2))
        #expect(try fixture.store.latestHeight() == Height(2))
    }

    /// Runs SQL on a file with a separate raw connection (to prepare files the store must refuse).
    static func runSQL(_ sql: String, on path: String) throws {
        var handle: OpaquePointer?
        defer { sqlite3_close_v2(handle) }
        guard sqlite3_open(path, &handle) == SQLITE_OK else { throw StoreError.io("cannot open \(path)") }
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw StoreError.io(String(cString: sqlite3_errmsg(handle)))
        }
    }
}
