import CivicContracts
import CivicCrypto
import CivicLedger

/// A block that has been built and executed but not yet certified and committed.
public struct PendingBlock: Sendable {
    /// The block.
    public var block: Block
    /// The block's canonical encoding.
    public var blockBytes: [UInt8]
    /// Its hash.
    public var hash: Hash256
    /// The hashes of its transactions, in order.
    public var transactionHashes: [Hash256]
    /// One receipt per transaction.
    public var receipts: [Receipt]
    /// The block's net state changes, sorted by key.
    public var writes: [StateWrite]
    /// The state tree after the block.
    public var stateTree: StateTree
}
