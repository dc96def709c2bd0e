import CivicTesting
import CSQLite
import CivicCrypto
import Foundation
import Glibc
import Testing
@testable import CivicLedger

/// kill -9 during commits: a forked child commits numbered blocks and reports each height through a pipe after
/// `commit` returns; the parent kills it at a seeded moment, reopens the file and checks that every reported block
/// is there, complete, and that nothing half-written is visible.
@Suite(.serialized) struct StoreCrashTests {
    static let transactionsPerBlock = 40

    /// Block `height` of the crash chain: transactions with receipts and state, a "latest" counter, and a marker
    /// key that the next block deletes.
    static func crashBatch(_ height: UInt64) -> CommitBatch {
        var writes = [
            StoreStateWrite(key: StoreSamples.key("latest"), value: Height(height).bytes),
            StoreStateWrite(key: StoreSamples.key("marker/\(height)"), value: [1]),
        ]
        if height > 0 { writes.append(StoreStateWrite(key: StoreSamples.key("marker/\(height - 1)"), value: nil)) }
        return StoreSamples.batch(height, transactions: height == 0 ? 0 : transactionsPerBlock, extraWrites: writes)
    }

    /// The child's whole life: open, commit and report until killed. Only store calls and raw syscalls run here.
    static func runWriter(path: String, reportFile: Int32) -> Never {
        alarm(60)  // a child that hangs for any reason must not outlive the test
        guard let store = try? SQLiteLedgerStore(path: path) else { _exit(3) }
        var next = ((try? store.latestHeight()) ?? nil).map { $0.rawValue + 1 } ?? 0
        while next < 1_000_000 {
            do { try store.commit(crashBatch(next)) } catch { _exit(4) }
            var report = next.bigEndian
            guard write(reportFile, &report, 8) == 8 else { _exit(5) }
            next += 1
        }
        _exit(0)
    }

    /// SQLite's static mutexes in the order SQLite itself nests them (MEM is always innermost).
    static let sqliteStaticMutexes: [Int32] = [
        SQLITE_MUTEX_STATIC_OPEN, SQLITE_MUTEX_STATIC_MAIN,
        SQLITE_MUTEX_STATIC_APP1, SQLITE_MUTEX_STATIC_APP2, SQLITE_MUTEX_STATIC_APP3,
        SQLITE_MUTEX_STATIC_VFS1, SQLITE_MUTEX_STATIC_VFS2, SQLITE_MUTEX_STATIC_VFS3,
        SQLITE_MUTEX_STATIC_PRNG, SQLITE_MUTEX_STATIC_LRU, SQLITE_MUTEX_STATIC_PMEM, SQLITE_MUTEX_STATIC_MEM,
    ]

    /// `fork()` while holding every SQLite static mutex, released again in both processes.
    ///
    /// Other tests use SQLite on other threads. A child forked while one of them holds, say, the allocator mutex
    /// inherits it locked and hangs in its first `sqlite3_malloc` (seen in this suite). Holding the mutexes across
    /// `fork` is what a `pthread_atfork` handler would do; SQLite installs none.
    static func forkHoldingSQLiteMutexes() -> pid_t {
        let mutexes = sqliteStaticMutexes.map { sqlite3_mutex_alloc($0) }
        for mutex in mutexes { sqlite3_mutex_enter(mutex) }
        let child = fork()
        for mutex in mutexes.reversed() { sqlite3_mutex_leave(mutex) }
        return child
    }

    /// Reads one 8-byte height from the pipe; `nil` on end of file or after `timeoutMilliseconds` of silence.
    static func readReport(_ file: Int32, timeoutMilliseconds: Int32) -> UInt64? {
        var bytes = [UInt8](repeating: 0, count: 8)
        var filled = 0
        while filled < 8 {
            var request = pollfd(fd: file, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, timeoutMilliseconds) > 0 else { return nil }
            let count = bytes.withUnsafeMutableBytes { read(file, $0.baseAddress! + filled, 8 - filled) }
            guard count > 0 else { return nil }
            filled += count
        }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    @Test func killedWriterLosesNoReportedBlockAndLeavesNoPartialOne() throws {
        let fixture = try StoreFixture(.sqlite)
        fixture.store.close()
        try warmUp(in: fixture.directory)
        var reportedOverall: UInt64?
        for seed: UInt64 in 1...8 {
            var generator = SeededGenerator(seed: seed)
            let reportsBeforeKill = Int.random(in: 1...25, using: &generator)
            let delayMicroseconds = UInt32.random(in: 0...5_000, using: &generator)
            var pipeEnds: [Int32] = [0, 0]
            try #require(pipe(&pipeEnds) == 0)
            let child = Self.forkHoldingSQLiteMutexes()
            try #require(child >= 0, "fork failed")
            if child == 0 {
                close(pipeEnds[0])
                Self.runWriter(path: fixture.path, reportFile: pipeEnds[1])
            }
            close(pipeEnds[1])
            var reports = 0
            var lastReported: UInt64?
            while reports < reportsBeforeKill, let height = Self.readReport(pipeEnds[0], timeoutMilliseconds: 10_000) {
                lastReported = height
                reports += 1
            }
            usleep(delayMicroseconds)
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
            while let height = Self.readReport(pipeEnds[0], timeoutMilliseconds: 2_000) { lastReported = height }
            close(pipeEnds[0])
            #expect(status & 0x7f == SIGKILL, "seed \(seed): the writer died by itself, wait status \(status)")
            #expect(reports == reportsBeforeKill, "seed \(seed): the writer reported \(reports) commits")
            let reported = try #require(lastReported, "seed \(seed): no commit reported")
            #expect(reported >= (reportedOverall ?? 0), "seed \(seed): heights continue across restarts")
            reportedOverall = reported
            try verifyAfterCrash(path: fixture.path, lastReported: reported, seed: seed)
        }
    }

    /// Runs the writer's code paths once in this process, so that the forked child finds the Swift runtime's
    /// caches filled and takes as few runtime locks as possible.
    private func warmUp(in directory: URL) throws {
        let store = try SQLiteLedgerStore(path: directory.appendingPathComponent("warm-up.sqlite").path)
        defer { store.close() }
        try store.commit(Self.crashBatch(0))
        try store.commit(Self.crashBatch(1))
        _ = try store.latestHeight()
    }

    private func verifyAfterCrash(path: String, lastReported: UInt64, seed: UInt64) throws {
        let store = try SQLiteLedgerStore(path: path)
        defer { store.close() }
        let latest = try #require(try store.latestHeight()).rawValue
        #expect(latest >= lastReported, "seed \(seed): height \(lastReported) was reported committed, found \(latest)")
        #expect(latest <= lastReported + 1, "seed \(seed): at most the one unreported commit may also be there")
        for height in 0...latest {
            let batch = Self.crashBatch(height)
            #expect(try store.blockBytes(at: Height(height)) == batch.blockBytes, "seed \(seed) height \(height)")
            #expect(try store.certificateBytes(at: Height(height)) == batch.certificateBytes)
            #expect(try store.receiptsBytes(at: Height(height)) == batch.receiptBytes, "seed \(seed) height \(height)")
            for (index, hash) in batch.transactionHashes.enumerated() {
                #expect(try store.transactionLocation(hash) == TransactionLocation(height: Height(height),
                                                                                   index: UInt32(index)))
                #expect(try store.stateValue(forKey: StoreSamples.key("tx/\(height)/\(index)"))
                    == batch.receiptBytes[index])
            }
        }
        #expect(try store.stateValue(forKey: StoreSamples.key("latest")) == Height(latest).bytes)
        #expect(try store.stateValue(forKey: StoreSamples.key("marker/\(latest)")) == [1])
        if latest > 0 { #expect(try store.stateValue(forKey: StoreSamples.key("marker/\(latest - 1)")) == nil) }
        let beyond = Self.crashBatch(latest + 1)
        #expect(try store.blockBytes(at: Height(latest + 1)) == nil, "seed \(seed): nothing beyond the latest block")
        #expect(try store.receiptsBytes(at: Height(latest + 1)) == nil)
        #expect(try store.transactionLocation(beyond.transactionHashes[0]) == nil)
        #expect(try store.stateValue(forKey: StoreSamples.key("tx/\(latest + 1)/0")) == nil)
        try store.checkIntegrity()
    }
}

extension Height {
    /// Eight bytes, big-endian (the crash test stores the latest height in state).
    fileprivate var bytes: [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: rawValue >> ($0 * 8)) } }
}
