import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger

/// What consensus orders: a block's header and the hashes of its transactions, in order.
///
/// The header commits to everything (transactions root, receipts root, state root), so the outline
/// is as binding as the full block while weighing 32 bytes per transaction: the bodies travel ahead
/// of it by transaction gossip (the data/ordering split that Narwhal measures as the main lever).
/// The consensus value's id is the header hash.
public struct BlockOutline: Hashable, Sendable, CanonicalCodable {
    /// The proposed header.
    public var header: BlockHeader
    /// The block's transaction hashes, in block order.
    public var transactionHashes: [Hash256]

    /// Creates an outline.
    public init(header: BlockHeader, transactionHashes: [Hash256]) {
        self.header = header
        self.transactionHashes = transactionHashes
    }

    /// header, then the hashes as a sequence.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(header)
        encoder.encode(sequence: transactionHashes)
    }

    /// Reads an outline whose hash count matches its header.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        header = try decoder.decode(BlockHeader.self)
        transactionHashes = try decoder.decodeSequence(Hash256.self, "outline.transactions", max: Limits.blockTransactionsMax)
        guard transactionHashes.count == Int(header.transactionCount) else {
            throw .invalidValue(field: "outline.transactions", reason: "the count differs from the header's")
        }
    }
}

/// A committed block as sync and catch-up carry it: the full block bytes and the certificate.
public struct CertifiedBlockBytes: Hashable, Sendable, CanonicalCodable {
    /// The canonical block bytes.
    public var block: [UInt8]
    /// The canonical commit certificate bytes.
    public var certificate: [UInt8]

    /// Wraps stored bytes.
    public init(block: [UInt8], certificate: [UInt8]) {
        self.block = block
        self.certificate = certificate
    }

    /// block, certificate (length-prefixed).
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(bytes: block)
        encoder.encode(bytes: certificate)
    }

    /// Reads both within their limits.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        block = try decoder.decodeBytes("certified.block", max: Limits.blockBytesMax)
        certificate = try decoder.decodeBytes("certified.certificate", max: Limits.certificateBytesMax)
    }
}

/// Everything one node says to another, one message per transport frame.
public enum NodeMessage: Hashable, Sendable, CanonicalCodable {
    /// A proposal with its outline; `transactions` carries the bodies when the node is configured
    /// to send them with the proposal instead of relying on gossip (``Node/Configuration``).
    case proposal(SignedProposal, BlockOutline, transactions: [[UInt8]]?)
    /// A prevote or precommit.
    case vote(SignedVote)
    /// Committed blocks with their certificates, oldest first (catch-up and sync answers).
    case blocks([CertifiedBlockBytes])
    /// Newly admitted transactions (canonical bytes).
    case transactions([[UInt8]])
    /// Asks for the bodies of these transactions (missing from a proposal's outline).
    case getTransactions([Hash256])
    /// The answer to ``getTransactions(_:)``: handled at once by the consensus loop, not queued
    /// behind gossip, since a proposal waits for it.
    case missingTransactions([[UInt8]])
    /// The sender's committed height, sent periodically so that laggards notice.
    case status(committed: Height)
    /// Asks for committed blocks from `from` on.
    case getBlocks(from: Height)

    /// Whether `bytes` hold a ``transactions(_:)`` message (by its tag; the body is not checked).
    public static func isTransactions(_ bytes: [UInt8]) -> Bool { bytes.first == 4 }

    /// Most transaction bodies in one gossip message.
    public static let transactionsPerMessageMax = 1_024
    /// Most blocks in one ``blocks(_:)`` answer.
    public static let blocksPerMessageMax = 16

    /// A tag byte, then the case's fields.
    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .proposal(let signed, let outline, let transactions):
            encoder.encode(UInt8(1))
            encoder.encode(signed)
            encoder.encode(outline)
            encoder.encode(transactions != nil)
            if let transactions { NodeMessage.encode(transactions, to: &encoder) }
        case .vote(let signed):
            encoder.encode(UInt8(2))
            encoder.encode(signed)
        case .blocks(let blocks):
            encoder.encode(UInt8(3))
            encoder.encode(sequence: blocks)
        case .transactions(let transactions):
            encoder.encode(UInt8(4))
            NodeMessage.encode(transactions, to: &encoder)
        case .getTransactions(let hashes):
            encoder.encode(UInt8(5))
            encoder.encode(sequence: hashes)
        case .status(let height):
            encoder.encode(UInt8(6))
            encoder.encode(height)
        case .getBlocks(let from):
            encoder.encode(UInt8(7))
            encoder.encode(from)
        case .missingTransactions(let transactions):
            encoder.encode(UInt8(8))
            NodeMessage.encode(transactions, to: &encoder)
        }
    }

    /// Reads one message; every count and size is bounded.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        switch try decoder.decodeUInt8("node_message.tag") {
        case 1:
            let signed = try decoder.decode(SignedProposal.self)
            let outline = try decoder.decode(BlockOutline.self)
            let carried = try decoder.decodeBool("proposal.has_transactions")
            let transactions = carried ? try NodeMessage.decodeTransactions(&decoder, max: Limits.blockTransactionsMax) : nil
            self = .proposal(signed, outline, transactions: transactions)
        case 2: self = .vote(try decoder.decode(SignedVote.self))
        case 3:
            self = .blocks(try decoder.decodeSequence(CertifiedBlockBytes.self, "blocks", max: NodeMessage.blocksPerMessageMax))
        case 4: self = .transactions(try NodeMessage.decodeTransactions(&decoder, max: NodeMessage.transactionsPerMessageMax))
        case 5:
            self = .getTransactions(try decoder.decodeSequence(Hash256.self, "get_transactions", max: Limits.blockTransactionsMax))
        case 6: self = .status(committed: try decoder.decode(Height.self))
        case 7: self = .getBlocks(from: try decoder.decode(Height.self))
        case 8: self = .missingTransactions(try NodeMessage.decodeTransactions(&decoder, max: NodeMessage.transactionsPerMessageMax))
        case let tag: throw .unknownTag(field: "node_message.tag", tag: UInt64(tag))
        }
    }

    private static func encode(_ transactions: [[UInt8]], to encoder: inout CanonicalEncoder) {
        encoder.encodeVarint(UInt64(transactions.count))
        for bytes in transactions { encoder.encode(bytes: bytes) }
    }

    private static func decodeTransactions(_ decoder: inout CanonicalDecoder, max: Int) throws(CodecError) -> [[UInt8]] {
        let count = try decoder.decodeCount("transactions", max: max)
        guard count <= decoder.remaining else { throw .truncated(field: "transactions") }
        var transactions: [[UInt8]] = []
        transactions.reserveCapacity(count)
        for _ in 0..<count { transactions.append(try decoder.decodeBytes("transaction", max: Limits.transactionBytesMax)) }
        return transactions
    }
}
