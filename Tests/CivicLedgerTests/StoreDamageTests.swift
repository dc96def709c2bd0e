import CivicCrypto
import Foundation
import Testing
@testable import CivicLedger

/// A damaged file is refused with `.corrupted` naming the file, and a full disk leaves the store unchanged.
@Suite struct StoreDamageTests {
    /// Writes a chain big enough to span many pages, closes it (which checkpoints the WAL into the main file)
    /// and returns the fixture.
    private func closedChain(blocks: UInt64 = 120) throws -> StoreFixture {
        let fixture = try StoreFixture(.sqlite)
        try StoreSamples.commitChain(fixture.store, count: blocks, transactions: 20)
        let sqlite = try #require(fixture.store as? SQLiteLedgerStore)
        try sqlite.checkpoint()
        let wal = fixture.path + "-wal"
        let walBytes = FileManager.default.fileExists(atPath: wal)
            ? try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int : 0
        #expect(walBytes == 0, "after a TRUNCATE checkpoint every page lives in the main file")
        fixture.store.close()
        return fixture
    }

    /// Overwrites `count` bytes with 0xFF at `offset` of the file at `path`.
    private func overwrite(_ path: String, at offset: UInt64, count: Int) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: count))
        try handle.synchronize()
    }

    /// Damages the first bytes (the b-tree page header) of three pages in the middle of the file.
    private func damageMiddlePages(_ path: String) throws {
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let pageSize = 4096
        let pages = size / pageSize
        #expect(pages > 20, "the file should span many pages, it has \(pages)")
        for page in [pages / 3, pages / 2, pages * 2 / 3] {
            try overwrite(path, at: UInt64(page * pageSize), count: 12)
        }
    }

    private func expectCorrupted(_ error: StoreError?, naming path: String) {
        #expect(error?.code == "store.corrupted")
        #expect(error?.description.contains(path) == true, "the message names the file: \(String(describing: error))")
        #expect(error?.description.contains("restore") == true)
    }

    @Test func damagedPagesAreRefusedAtOpen() throws {
        let fixture = try closedChain()
        try damageMiddlePages(fixture.path)
        let error = #expect(throws: StoreError.self) { try SQLiteLedgerStore(path: fixture.path) }
        expectCorrupted(error, naming: fixture.path)
    }

    @Test func damagedHeaderIsRefusedAtOpen() throws {
        let fixture = try closedChain(blocks: 3)
        try overwrite(fixture.path, at: 0, count: 16)
        let error = #expect(throws: StoreError.self) { try SQLiteLedgerStore(path: fixture.path) }
        expectCorrupted(error, naming: fixture.path)
    }

    @Test func integrityCheckFindsDamageAndTheStoreStopsServing() throws {
        let fixture = try closedChain()
        try damageMiddlePages(fixture.path)
        let store = try SQLiteLedgerStore(path: fixture.path, verifyOnOpen: false)
        defer { store.close() }
        let error = #expect(throws: StoreError.self) { try store.checkIntegrity() }
        expectCorrupted(error, naming: fixture.path)
        let afterwards = #expect(throws: StoreError.self) { try store.blockBytes(at: .genesis) }
        #expect(afterwards == error, "a store that found damage serves nothing more")
    }

    @Test func integrityCheckPassesOnAHealthyFile() throws {
        let fixture = try closedChain(blocks: 10)
        let store = try SQLiteLedgerStore(path: fixture.path)
        defer { store.close() }
        try store.checkIntegrity()
        #expect(try store.latestHeight() == Height(9))
    }

    @Test func fullDiskLeavesTheStoreUnchangedAndUsable() throws {
        let fixture = try StoreFixture(.sqlite)
        let store = try #require(fixture.store as? SQLiteLedgerStore)
        try StoreSamples.commitChain(store, count: 5)
        let before = try StoreSnapshot(store)
        let pages = try store.pageCount()
        #expect(try store.capPageCount(pages + 2) == pages + 2)
        var big = StoreSamples.batch(5, transactions: 50)
        big.blockBytes = [UInt8](repeating: 0x5A, count: 512 * 1024)
        #expect(throws: StoreError.diskFull) { try store.commit(big) }
        #expect(try StoreSnapshot(store) == before)
        #expect(try store.transactionLocation(StoreSamples.transactionHash(5, 0)) == nil)
        #expect(throws: StoreError.diskFull) { try store.commit(big) }

        _ = try store.capPageCount(1 << 30)
        try store.commit(big)
        #expect(try store.latestHeight() == Height(5))
        try fixture.reopen()
        #expect(try fixture.store.blockBytes(at: Height(5)) == big.blockBytes)
        #expect(try fixture.store.receiptsBytes(at: Height(5))?.count == 50)
    }
}
