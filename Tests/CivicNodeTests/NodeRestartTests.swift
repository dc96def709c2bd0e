import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import CSQLite
import Foundation
import Logging
import Testing

/// Opens a SQLite file directly, as an attacker or a failing disk would, to change stored data.
enum RawSQLite {
    static func execute(_ path: String, _ sql: String) throws {
        try withDatabase(path) { db in
            var message: UnsafeMutablePointer<CChar>?
            let code = sqlite3_exec(db, sql, nil, nil, &message)
            defer { sqlite3_free(message) }
            guard code == SQLITE_OK else { throw RawSQLiteError(message: message.map { String(cString: $0) } ?? "code \(code)") }
        }
    }

    static func blob(_ path: String, _ sql: String) throws -> [UInt8] {
        try withDatabase(path) { db in
            let statement = try prepare(db, sql)
            defer { sqlite3_finalize(statement) }
            guard sqlite3_step(statement) == SQLITE_ROW else { throw RawSQLiteError(message: "no row for \(sql)") }
            let count = Int(sqlite3_column_bytes(statement, 0))
            guard let pointer = sqlite3_column_blob(statement, 0) else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: count))
        }
    }

    static func update(_ path: String, _ sql: String, blob: [UInt8]) throws {
        try withDatabase(path) { db in
            let statement = try prepare(db, sql)
            defer { sqlite3_finalize(statement) }
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            blob.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 1, $0.baseAddress, Int32($0.count), transient) }
            guard sqlite3_step(statement) == SQLITE_DONE, sqlite3_changes(db) == 1 else {
                throw RawSQLiteError(message: "update failed: \(sql)")
            }
        }
    }

    private static func prepare(_ db: OpaquePointer?, _ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw RawSQLiteError(message: "cannot prepare \(sql)")
        }
        return statement
    }

    private static func withDatabase<T>(_ path: String, _ body: (OpaquePointer?) throws -> T) throws -> T {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw RawSQLiteError(message: "cannot open \(path)") }
        defer { sqlite3_close(db) }
        return try body(db)
    }
}

struct RawSQLiteError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "civic-node-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { path + "/ledger.sqlite" }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("Node restart and integrity on SQLite")
struct NodeRestartTests {
    static let suites: [CryptoSuite] = [.sm, .intl]

    /// A node on a SQLite file with three committed blocks; the store is closed on return.
    private func populatedLedger(_ fixture: Fixture, at path: String) throws -> (height: Height, head: Hash256, root: Hash256) {
        let store = try SQLiteLedgerStore(path: path)
        defer { store.close() }
        let node = try fixture.makeNode(store: store)
        let newKey = PrivateKey.generate(suite: fixture.suite)
        try commit([try fixture.sign(TransactionBuilder.registerIdentity(newKey.publicKey, name: "n", organization: "o", role: .client),
                                     by: fixture.adminKey)], on: node)
        try commit([try fixture.evidence(by: newKey), try fixture.evidence(by: fixture.memberKey)], on: node)
        try commit([try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [2, 3]), by: fixture.memberKey)], on: node)
        let snapshot = node.snapshot
        #expect(snapshot.head.height == Height(3))
        return (snapshot.head.height, snapshot.headHash, snapshot.head.stateRoot)
    }

    private func expectCorrupted(_ fixture: Fixture, at path: String, mentioning words: [String],
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let store = try SQLiteLedgerStore(path: path)
            defer { store.close() }
            _ = try fixture.makeNode(store: store)
            Issue.record("the node opened damaged data", sourceLocation: sourceLocation)
        } catch let error as NodeError {
            guard case .corrupted(let message) = error else {
                Issue.record("expected corrupted, got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(error.code == "node.corrupted", sourceLocation: sourceLocation)
            for word in words {
                #expect(message.contains(word), "the message '\(message)' should mention '\(word)'", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("expected NodeError.corrupted, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("Reopening gives the same height, head and state root, and the chain goes on", arguments: suites)
    func reopen(suite: CryptoSuite) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = Fixture(suite: suite)
        let (height, head, root) = try populatedLedger(fixture, at: directory.databasePath)

        let store = try SQLiteLedgerStore(path: directory.databasePath)
        defer { store.close() }
        let node = try fixture.makeNode(store: store)
        #expect(node.snapshot.head.height == height)
        #expect(node.snapshot.headHash == head)
        #expect(node.snapshot.head.stateRoot == root)
        #expect(node.snapshot.certificate?.blockHash == head)
        #expect(try store.latestHeight() == height)
        // Committed transactions are still known: a replay is refused after the restart.
        let (block, _) = try node.reader.block(at: Height(2))
        try expectRefusal(node, store: store, block.transactions[0].canonicalBytes, code: "transaction.replay")
        // And the chain continues from where it stopped.
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        #expect(node.snapshot.head.height == Height(4))
        #expect(node.snapshot.head.previousHash == head)
    }

    @Test("Reopening with another genesis is a genesis mismatch")
    func genesisMismatch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = Fixture(suite: .intl)
        _ = try populatedLedger(fixture, at: directory.databasePath)
        let other = Fixture(suite: .intl, chainID: "other-city")
        let store = try SQLiteLedgerStore(path: directory.databasePath)
        defer { store.close() }
        do {
            _ = try other.makeNode(store: store)
            Issue.record("a node opened another chain's data")
        } catch let error as NodeError {
            guard case .genesisMismatch(let stored, let given) = error else {
                Issue.record("expected genesisMismatch, got \(error)")
                return
            }
            #expect(stored.contains("civic-test") && given.contains("other-city"))
            #expect(error.code == "node.genesis_mismatch")
        }
        // The same chain id with other parameters is also another chain.
        var changed = fixture.genesis
        changed.parameters.blockIntervalMilliseconds += 1
        do {
            _ = try Node(configuration: .init(genesis: changed, validatorKey: fixture.validatorKey, clock: fixture.clock),
                         store: store, logger: Logger(label: "test"))
            Issue.record("a node opened data of a genesis with other parameters")
        } catch {
            #expect(error.code == "node.genesis_mismatch")
        }
        // The right genesis still opens it.
        #expect(try fixture.makeNode(store: store).snapshot.head.height == Height(3))
    }

    @Test("A validator key that genesis does not list is a configuration error")
    func unknownValidatorKey() throws {
        let fixture = Fixture(suite: .sm)
        do {
            _ = try Node(configuration: .init(genesis: fixture.genesis, validatorKey: PrivateKey.generate(suite: .sm),
                                              clock: fixture.clock),
                         store: MemoryLedgerStore(), logger: Logger(label: "test"))
            Issue.record("a node started with a key that is not a validator")
        } catch {
            guard case .configuration(let message) = error else {
                Issue.record("expected a configuration error, got \(error)")
                return
            }
            #expect(message.contains("validator"))
        }
    }

    @Test("Other unusable configurations are refused at start-up with node.configuration")
    func otherConfigurationErrors() throws {
        let fixture = Fixture(suite: .sm)
        func expectConfigurationError(_ genesis: Genesis, key: PrivateKey, mentioning word: String,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try Node(configuration: .init(genesis: genesis, validatorKey: key, clock: fixture.clock),
                             store: MemoryLedgerStore(), logger: Logger(label: "test"))
                Issue.record("a node started with an unusable configuration", sourceLocation: sourceLocation)
            } catch {
                #expect(error.code == "node.configuration", sourceLocation: sourceLocation)
                #expect(error.description.contains(word), "\(error.description)", sourceLocation: sourceLocation)
            }
        }
        // A key of the other suite.
        expectConfigurationError(fixture.genesis, key: PrivateKey.generate(suite: .intl), mentioning: "validator")
        // Two validators: one node cannot certify alone.
        var twoValidators = fixture.genesis
        twoValidators.validators = ValidatorSet(fixture.genesis.validators.validators + [
            Validator(name: "validator-2", organization: "court", publicKey: PrivateKey.generate(suite: .sm).publicKey, power: 1),
        ])
        expectConfigurationError(twoValidators, key: fixture.validatorKey, mentioning: "validators")
        // A genesis without an admin.
        var noAdmin = fixture.genesis
        noAdmin.identities = noAdmin.identities.filter { $0.role != .admin }
        expectConfigurationError(noAdmin, key: fixture.validatorKey, mentioning: "admin")
    }

    /// One way of damaging stored data, and the words the refusal must contain.
    struct Damage: CustomTestStringConvertible, Sendable {
        var name: String
        var words: [String]
        var apply: @Sendable (_ path: String) throws -> Void
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "a state value changed", words: ["state", "root"]) { path in
            try RawSQLite.execute(path, "UPDATE state SET value = X'00ff' WHERE key = (SELECT key FROM state ORDER BY key LIMIT 1)")
        },
        Damage(name: "a state entry deleted", words: ["state", "root"]) { path in
            try RawSQLite.execute(path, "DELETE FROM state WHERE key = (SELECT key FROM state ORDER BY key DESC LIMIT 1)")
        },
        Damage(name: "a state entry added", words: ["state", "root"]) { path in
            try RawSQLite.execute(path, "INSERT INTO state(key, value) VALUES (X'6b762f00', X'01')")
        },
        Damage(name: "a transaction in the latest block changed", words: ["block 3", "transactions root"]) { path in
            var bytes = try RawSQLite.blob(path, "SELECT bytes FROM blocks WHERE height = 3")
            bytes[bytes.count - 1] ^= 0x01
            try RawSQLite.update(path, "UPDATE blocks SET bytes = ? WHERE height = 3", blob: bytes)
        },
        Damage(name: "the latest block's header changed", words: ["block 3"]) { path in
            var bytes = try RawSQLite.blob(path, "SELECT bytes FROM blocks WHERE height = 3")
            bytes[bytes.count / 4] ^= 0x01
            try RawSQLite.update(path, "UPDATE blocks SET bytes = ? WHERE height = 3", blob: bytes)
        },
        Damage(name: "an earlier block's transaction changed", words: ["block 2", "transactions root"]) { path in
            var bytes = try RawSQLite.blob(path, "SELECT bytes FROM blocks WHERE height = 2")
            bytes[bytes.count - 1] ^= 0x01
            try RawSQLite.update(path, "UPDATE blocks SET bytes = ? WHERE height = 2", blob: bytes)
        },
        Damage(name: "a receipt deleted", words: ["block 3", "receipts"]) { path in
            try RawSQLite.execute(path, "DELETE FROM receipts WHERE height = 3")
        },
        Damage(name: "a receipt changed", words: ["block 2", "receipts"]) { path in
            var bytes = try RawSQLite.blob(path, "SELECT bytes FROM receipts WHERE height = 2 AND idx = 1")
            bytes[bytes.count - 1] ^= 0x01
            try RawSQLite.update(path, "UPDATE receipts SET bytes = ? WHERE height = 2 AND idx = 1", blob: bytes)
        },
        Damage(name: "a commit certificate changed", words: ["block 3", "certificate"]) { path in
            var bytes = try RawSQLite.blob(path, "SELECT certificate FROM blocks WHERE height = 3")
            bytes[bytes.count - 1] ^= 0x01
            try RawSQLite.update(path, "UPDATE blocks SET certificate = ? WHERE height = 3", blob: bytes)
        },
        Damage(name: "a commit certificate emptied", words: ["block 1", "certificate"]) { path in
            try RawSQLite.execute(path, "UPDATE blocks SET certificate = X'' WHERE height = 1")
        },
        Damage(name: "the stored genesis removed", words: ["genesis"]) { path in
            try RawSQLite.execute(path, "DELETE FROM metadata WHERE name = 'genesis'")
        },
        Damage(name: "a block's hash index changed", words: ["block 2", "hash"]) { path in
            try RawSQLite.execute(path, "UPDATE blocks SET hash = zeroblob(32) WHERE height = 2")
        },
        Damage(name: "a transaction's index entry removed", words: ["transaction"]) { path in
            try RawSQLite.execute(path, "DELETE FROM transactions WHERE height = 3")
        },
        Damage(name: "a transaction's index entry moved", words: ["transaction"]) { path in
            try RawSQLite.execute(path, "UPDATE transactions SET idx = 1 WHERE height = 3")
        },
    ]

    @Test("Tampered data stops the node with a message naming the damage", arguments: damages)
    func tampered(damage: Damage) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = Fixture(suite: .intl)
        _ = try populatedLedger(fixture, at: directory.databasePath)
        try damage.apply(directory.databasePath)
        expectCorrupted(fixture, at: directory.databasePath, mentioning: damage.words)
    }

    @Test("A longer chain reopens; the oldest block start-up re-verifies is still checked")
    func longerChain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = Fixture(suite: .intl)
        let heights = LedgerChain.startupVerifiedBlocks + 2
        do {
            let store = try SQLiteLedgerStore(path: directory.databasePath)
            defer { store.close() }
            let node = try fixture.makeNode(store: store)
            for _ in 0..<heights { try commit([try fixture.evidence(by: fixture.memberKey)], on: node) }
            #expect(node.snapshot.head.height == Height(heights))
        }
        do {
            let store = try SQLiteLedgerStore(path: directory.databasePath)
            defer { store.close() }
            let node = try fixture.makeNode(store: store)
            #expect(node.snapshot.head.height == Height(heights))
            // Heights the store cannot hold are simply not found.
            #expect(throws: QueryError.notFound("Block \(UInt64.max)")) { try node.reader.block(at: Height(UInt64.max)) }
        }
        let oldestChecked = heights - LedgerChain.startupVerifiedBlocks + 1
        try RawSQLite.execute(directory.databasePath, "DELETE FROM receipts WHERE height = \(oldestChecked)")
        expectCorrupted(fixture, at: directory.databasePath, mentioning: ["block \(oldestChecked)", "receipts"])
    }

    @Test("Tampered state is also detected on an sm chain")
    func tamperedStateSM() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = Fixture(suite: .sm)
        _ = try populatedLedger(fixture, at: directory.databasePath)
        try RawSQLite.execute(directory.databasePath,
                              "UPDATE state SET value = X'00' WHERE key = (SELECT key FROM state ORDER BY key LIMIT 1 OFFSET 2)")
        expectCorrupted(fixture, at: directory.databasePath, mentioning: ["state"])
    }
}
