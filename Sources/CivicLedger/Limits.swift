/// Every bound the ledger enforces, in one place (TigerStyle: limits are named and checked).
///
/// Relations between limits are asserted by ``Limits/checkRelations()`` at start-up.
public enum Limits {
    /// Longest name of a validator, organization, contract or method, in UTF-8 bytes.
    public static let nameBytesMax = 64
    /// Longest chain id, in UTF-8 bytes.
    public static let chainIDBytesMax = 64
    /// Most validators in a set.
    public static let validatorsMax = 256
    /// Largest encoded signed transaction, in bytes.
    public static let transactionBytesMax = 64 * 1024
    /// Largest argument payload of a contract call, in bytes.
    public static let callArgumentsBytesMax = 60 * 1024
    /// Most transactions in one block.
    public static let blockTransactionsMax = 10_000
    /// Largest encoded block, in bytes.
    public static let blockBytesMax = 64 * 1024 * 1024
    /// Largest state key, in bytes.
    public static let stateKeyBytesMax = 256
    /// Largest state value, in bytes.
    public static let stateValueBytesMax = 32 * 1024
    /// Most events one transaction may emit.
    public static let eventsPerTransactionMax = 64
    /// Largest return data or message in a receipt, in bytes.
    public static let receiptDataBytesMax = 8 * 1024
    /// Longest time a transaction may be valid for, in milliseconds (one day).
    public static let transactionLifetimeMillisecondsMax: UInt64 = 24 * 60 * 60 * 1000
    /// Most transactions waiting in the mempool.
    public static let mempoolTransactionsMax = 100_000
    /// Most levels in a Merkle audit path (trees of up to 2^48 leaves).
    public static let merklePathMax = 48
    /// Largest encoded commit certificate (a precommit signature per validator, with room).
    public static let certificateBytesMax = 64 * 1024
    /// Most bytes of transactions a proposer puts in one block, so that any block fits one message
    /// to a peer that catches up.
    public static let blockBodyBytesMax = 32 * 1024 * 1024
    /// Largest message between nodes (one transport frame).
    public static let messageBytesMax = 64 * 1024 * 1024

    /// Largest WebAssembly contract code, in bytes (Docs/0012, `contract.code_too_large`).
    public static let contractCodeBytesMax = 512 * 1024
    /// Most linear-memory pages (64 KiB each) of a WebAssembly contract: 16 MiB (`contract.memory_limit`).
    public static let contractMemoryPagesMax = 256
    /// Most nested contract-to-contract calls below a transaction's call (`contract.call_depth`).
    public static let contractCallDepthMax = 8
    /// Largest input, return, state value or other buffer a contract passes to a host function, in bytes
    /// (`contract.value_too_large`).
    public static let contractHostValueBytesMax = 64 * 1024
    /// Gas one transaction calling a WebAssembly contract may use: fuel (about one per Wasm operator) plus the host
    /// costs of Docs/0012.
    public static let transactionGasMax: UInt64 = 50_000_000
    /// Gas all the WebAssembly calls of one block may use together (Docs/0012, `block.gas_exhausted`): four full
    /// transactions, so a block always has room for its first call's full ``transactionGasMax`` and a few more.
    /// Interpretation runs at about 30–54 M gas/s in release (Docs/0005: ~32 M/s for the Swift bench contract,
    /// ~54 M/s for C), so the heaviest possible block costs each node about 4–7 s of one core, to build and again to
    /// validate; without this bound it was 10,000 transactions × 50 M gas. Blocks of ordinary calls (tens of
    /// thousands of gas each) never reach it.
    public static let blockGasMax: UInt64 = 200_000_000
    /// Gas admission's dry run gives a WebAssembly call (Docs/0002): a tenth of a transaction's, so a submission
    /// costs a node at most about 0.15 s of CPU before it costs the sender anything. A call that needs more is
    /// admitted unchecked, and its block decides.
    public static let admissionGasMax: UInt64 = 5_000_000

    /// Asserts the relations between limits; called once at start-up.
    public static func checkRelations() {
        precondition(callArgumentsBytesMax < transactionBytesMax, "call arguments must fit in a transaction")
        precondition(transactionBytesMax * blockTransactionsMax <= blockBytesMax * 16,
                     "a block limit far below its transactions' limit wastes proposals")
        precondition(stateValueBytesMax < transactionBytesMax, "a state value must be writable by one transaction")
        precondition(mempoolTransactionsMax >= blockTransactionsMax, "the mempool must hold at least one full block")
        precondition(1 << merklePathMax >= blockTransactionsMax, "Merkle paths must cover a full block")
        precondition(validatorsMax * 160 <= certificateBytesMax, "a certificate must hold a signature of every validator")
        precondition(blockBodyBytesMax + 1024 * 1024 < blockBytesMax, "a block's transactions leave room for its header")
        precondition(blockBodyBytesMax * 3 / 2 + certificateBytesMax < messageBytesMax,
                     "a message must carry the largest block with its certificate, with room")
        precondition(contractHostValueBytesMax >= stateValueBytesMax, "a contract must be able to pass any state value")
        precondition(contractCodeBytesMax < blockBodyBytesMax, "contract code must fit in a block")
        precondition(blockGasMax >= transactionGasMax,
                     "a block must give its first transaction the full transaction gas, or a proposer could not include it")
        precondition(admissionGasMax > 0 && admissionGasMax <= transactionGasMax,
                     "the dry run must not give a call more gas than its block would")
        checkEvidenceRelations()
    }
}
