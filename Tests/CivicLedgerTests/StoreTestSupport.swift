import CivicCrypto
import Foundation
import Testing
@testable import CivicLedger

/// The implementations the conformance suite runs against.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory
    case sqlite

    var description: String { rawValue }
}

/// A store under test plus what it takes to reopen it; removes its directory when done.
final class StoreFixture {
    let kind: StoreKind
    let directory: URL
    private(set) var store: any LedgerStore

    /// The database file of the SQLite kind.
    var path: String { directory.appendingPathComponent("ledger.sqlite").path }

    init(_ kind: StoreKind) throws {
        self.kind = kind
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("civic-store-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("ledger.sqlite").path
        switch kind {
        case .memory: store = MemoryLedgerStore()
        case .sqlite: store = try SQLiteLedgerStore(path: path)
        }
    }

    /// Closes and opens the SQLite file again (a restart); the memory kind keeps its store.
    func reopen() throws {
        guard kind == .sqlite else { return }
        store.close()
        store = try SQLiteLedgerStore(path: path)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Deterministic test data: hashes and batches derived from numbers, so that any test can recompute them.
enum StoreSamples {
    /// A hash whose bytes spell `tag`, `first` and `second`.
    static func hash(_ tag: UInt8, _ first: UInt64, _ second: UInt64 = 0) -> Hash256 {
        var bytes = [UInt8](repeating: tag, count: 16)
        for word in [first, second] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return Hash256(bytes: bytes)
    }

    static func blockHash(_ height: UInt64) -> Hash256 { hash(0xB0, height) }
    static func transactionHash(_ height: UInt64, _ index: Int) -> Hash256 { hash(0x70, height, UInt64(index)) }
    static func receipt(_ height: UInt64, _ index: Int) -> [UInt8] { Array("receipt \(height)/\(index)".utf8) }
    static func block(_ height: UInt64) -> [UInt8] { Array("block \(height)".utf8) }
    static func certificate(_ height: UInt64) -> [UInt8] { height == 0 ? [] : Array("certificate \(height)".utf8) }
    static func key(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A batch at `height` with `transactions` transactions, each writing key "tx/height/index".
    static func batch(
        _ height: UInt64, transactions: Int = 3, extraWrites: [StoreStateWrite] = [],
        metadata: [String: [UInt8]] = [:]
    ) -> CommitBatch {
        let indexes = 0..<transactions
        return CommitBatch(
            height: Height(height),
            blockHash: blockHash(height),
            blockBytes: block(height),
            certificateBytes: certificate(height),
            transactionHashes: indexes.map { transactionHash(height, $0) },
            receiptBytes: indexes.map { receipt(height, $0) },
            stateWrites: indexes.map { StoreStateWrite(key: key("tx/\(height)/\($0)"), value: receipt(height, $0)) }
                + extraWrites,
            metadata: metadata)
    }

    /// Commits heights `0..<count` with `transactions` transactions each.
    static func commitChain(_ store: any LedgerStore, count: UInt64, transactions: Int = 3) throws {
        for height in 0..<count { try store.commit(batch(height, transactions: transactions)) }
    }
}

/// Everything observable in a store, to check that a refused call changed nothing.
struct StoreSnapshot: Equatable {
    var latest: Height?
    var blocks: [[UInt8]?] = []
    var certificates: [[UInt8]?] = []
    var receipts: [[[UInt8]]?] = []
    var state: [StoreStateEntry] = []
    var metadata: [String: [UInt8]] = [:]

    /// Reads every block up to the latest plus one beyond, all state, and the named metadata.
    init(_ store: any LedgerStore, metadataNames: [String] = ["genesis", "validators"]) throws {
        latest = try store.latestHeight()
        let end = latest.map { $0.rawValue + 2 } ?? 1
        for height in 0..<end {
            blocks.append(try store.blockBytes(at: Height(height)))
            certificates.append(try store.certificateBytes(at: Height(height)))
            receipts.append(try store.receiptsBytes(at: Height(height)))
        }
        state = try store.stateEntries(after: nil, limit: 1_000_000)
        for name in metadataNames { metadata[name] = try store.metadata(name) }
    }
}
