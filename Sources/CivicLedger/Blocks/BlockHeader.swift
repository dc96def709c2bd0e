import CivicCodec
import CivicCrypto

/// The part of a block that is hashed and certified. Every root in it commits to data a
/// third party can check with a proof: transactions and receipts (RFC 6962 Merkle trees) and
/// the state after executing the block (the state tree).
public struct BlockHeader: Hashable, Sendable, CanonicalCodable {
    /// The only encoding version this build writes and reads.
    public static let currentVersion: UInt8 = 1
    /// Domain tag in front of the hashed bytes.
    public static let domain = Array("CivicLedger/header/v1".utf8)

    /// The chain's id, from genesis.
    public var chainID: String
    /// This block's height; genesis is 0.
    public var height: Height
    /// Block time, agreed by consensus; never earlier than the previous block's.
    public var time: Timestamp
    /// The previous block's hash; for the genesis block, the genesis document's hash.
    public var previousHash: Hash256
    /// Index of the proposing validator in the validator set.
    public var proposer: UInt32
    /// How many transactions the block holds (the size of the transactions' Merkle tree).
    public var transactionCount: UInt32
    /// RFC 6962 root over the canonical encodings of the transactions, in block order.
    public var transactionsRoot: Hash256
    /// RFC 6962 root over the canonical encodings of the receipts, in block order.
    public var receiptsRoot: Hash256
    /// Root of the state tree after executing this block.
    public var stateRoot: Hash256
    /// Hash of the validator set that certifies this block.
    public var validatorsHash: Hash256

    /// Creates a header.
    public init(chainID: String, height: Height, time: Timestamp, previousHash: Hash256, proposer: UInt32,
                transactionCount: UInt32, transactionsRoot: Hash256, receiptsRoot: Hash256, stateRoot: Hash256,
                validatorsHash: Hash256) {
        self.chainID = chainID
        self.height = height
        self.time = time
        self.previousHash = previousHash
        self.proposer = proposer
        self.transactionCount = transactionCount
        self.transactionsRoot = transactionsRoot
        self.receiptsRoot = receiptsRoot
        self.stateRoot = stateRoot
        self.validatorsHash = validatorsHash
    }

    /// The block's identity: the suite hash of `"CivicLedger/header/v1" || canonical(header)`.
    public func hash(suite: CryptoSuite) -> Hash256 {
        suite.hash(domainTaggedBytes(BlockHeader.domain))
    }

    /// All fields in declaration order after a version byte.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(BlockHeader.currentVersion)
        encoder.encode(string: chainID)
        encoder.encode(height)
        encoder.encode(time)
        encoder.encode(previousHash)
        encoder.encode(proposer)
        encoder.encode(transactionCount)
        encoder.encode(transactionsRoot)
        encoder.encode(receiptsRoot)
        encoder.encode(stateRoot)
        encoder.encode(validatorsHash)
    }

    /// Reads a header of version 1.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let version = try decoder.decodeUInt8("header.version")
        guard version == BlockHeader.currentVersion else { throw .unsupportedVersion(type: "block header", version: version) }
        chainID = try decoder.decodeString("header.chain_id", maxBytes: Limits.chainIDBytesMax)
        height = try decoder.decode(Height.self)
        time = try decoder.decode(Timestamp.self)
        previousHash = try decoder.decode(Hash256.self)
        proposer = try decoder.decodeUInt32("header.proposer")
        transactionCount = try decoder.decodeUInt32("header.transaction_count")
        transactionsRoot = try decoder.decode(Hash256.self)
        receiptsRoot = try decoder.decode(Hash256.self)
        stateRoot = try decoder.decode(Hash256.self)
        validatorsHash = try decoder.decode(Hash256.self)
    }
}

/// A block: its header and its transactions in order.
public struct Block: Hashable, Sendable, CanonicalCodable {
    /// The certified header.
    public var header: BlockHeader
    /// The transactions, in execution order.
    public var transactions: [Transaction]

    /// Creates a block.
    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    /// header, transactions.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(header)
        encoder.encode(sequence: transactions)
    }

    /// The canonical encoding of a block from its header and its transactions' canonical
    /// encodings, without decoding or re-encoding them (the same bytes as `canonicalBytes`).
    public static func canonicalBytes(header: BlockHeader, encodedTransactions: [[UInt8]]) -> [UInt8] {
        var encoder = CanonicalEncoder(capacity: 256 + encodedTransactions.reduce(0) { $0 + $1.count })
        encoder.encode(header)
        encoder.encodeVarint(UInt64(encodedTransactions.count))
        for transaction in encodedTransactions { encoder.encode(fixed: transaction) }
        return encoder.bytes
    }

    /// Reads a block and checks that the transaction count matches the header.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        header = try decoder.decode(BlockHeader.self)
        transactions = try decoder.decodeSequence(Transaction.self, "block.transactions", max: Limits.blockTransactionsMax)
        guard transactions.count == Int(header.transactionCount) else {
            throw .invalidValue(field: "block.transactions", reason: "count differs from the header's transaction count")
        }
    }
}
