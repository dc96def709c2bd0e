import CivicCrypto

/// Why a ledger store could not read or write.
///
/// The store keeps bytes and indexes; it fails for three kinds of reasons: the caller asked for something the
/// ledger's rules forbid (`outOfOrder`, `duplicateTransaction`, `duplicateBlock`, `invalidBatch`), the disk or the
/// file let us down (`io`, `diskFull`, `busy`, `corrupted`), or the store is in the wrong state (`schemaMismatch`,
/// `closed`). Whenever a call throws, the store is unchanged. The `code` is stable: APIs, logs and tests match on it.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A commit's height is not the next one: `expected` is latest + 1 (or 0 for an empty store).
    case outOfOrder(expected: Height, got: Height)
    /// A transaction with this hash is already committed (or appears twice in one batch): a replay.
    case duplicateTransaction(Hash256)
    /// A block with this hash is already committed.
    case duplicateBlock(Hash256)
    /// The batch breaks a rule of its own (for example receipts and transactions differ in count).
    case invalidBatch(reason: String)
    /// The database file is damaged; the store serves no data from it.
    case corrupted(file: String, detail: String)
    /// The operating system or SQLite reported an input/output failure.
    case io(String)
    /// The disk (or the configured size cap) is full; nothing was written.
    case diskFull
    /// Another process holds the database file.
    case busy(file: String)
    /// The file was written by a different schema version than this build understands.
    case schemaMismatch(found: Int, expected: Int)
    /// The store was closed; open it again to continue.
    case closed

    /// A stable machine-readable code for this error.
    public var code: String {
        switch self {
        case .outOfOrder: "store.out_of_order"
        case .duplicateTransaction: "store.duplicate_transaction"
        case .duplicateBlock: "store.duplicate_block"
        case .invalidBatch: "store.invalid_batch"
        case .corrupted: "store.corrupted"
        case .io: "store.io"
        case .diskFull: "store.disk_full"
        case .busy: "store.busy"
        case .schemaMismatch: "store.schema_mismatch"
        case .closed: "store.closed"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .outOfOrder(let expected, let got):
            "Block \(got) cannot be stored: the next height is \(expected)."
        case .duplicateTransaction(let hash):
            "Transaction \(hash) is already in the ledger; it is refused as a replay."
        case .duplicateBlock(let hash):
            "Block \(hash) is already in the ledger."
        case .invalidBatch(let reason):
            "The block cannot be stored: \(reason)."
        case .corrupted(let file, let detail):
            "The database file \(file) is damaged: \(detail); restore it from a peer or a backup."
        case .io(let detail):
            "The store could not read or write its file: \(detail)."
        case .diskFull:
            "The disk is full; nothing was written. Free space and retry."
        case .busy(let file):
            "The database file \(file) is in use by another process."
        case .schemaMismatch(let found, let expected):
            "The database has schema version \(found); this node needs version \(expected)."
        case .closed:
            "The store is closed."
        }
    }
}
