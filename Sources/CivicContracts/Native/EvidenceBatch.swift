import CivicCodec
import CivicCrypto
import CivicLedger

/// Where an item sits in the Merkle tree of the `evidence.put_batch` call that recorded it.
///
/// Wire form (canonical codec): `root (32 bytes) || index u32 BE || count u32 BE`.
public struct EvidenceBatchPosition: Hashable, Sendable, CanonicalCodable {
    /// The root of the batch's tree (``EvidenceBatch/root(of:suite:)``), also in the `evidence.batch_recorded` event.
    public var root: Hash256
    /// The item's zero-based position in the batch: its leaf index.
    public var index: UInt32
    /// How many items the batch has: the tree size.
    public var count: UInt32

    /// Creates a position.
    public init(root: Hash256, index: UInt32, count: UInt32) {
        self.root = root
        self.index = index
        self.count = count
    }

    /// root, index, count.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(root)
        encoder.encode(index)
        encoder.encode(count)
    }

    /// Reads a position.
    /// - Throws: ``CodecError`` when the index is not below the count or the count is above
    ///   ``Limits/evidenceBatchItemsMax``.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        root = try decoder.decode(Hash256.self)
        index = try decoder.decodeUInt32("evidence.batch.index")
        count = try decoder.decodeUInt32("evidence.batch.count")
        guard index < count, count <= Limits.evidenceBatchItemsMax else {
            throw .invalidValue(field: "evidence.batch", reason: "item \(index) of a batch of \(count)")
        }
    }
}

/// The Merkle tree of an evidence batch: one RFC 6962 tree (``MerkleTree``, hash of the chain's suite) whose leaves
/// are the batch's items in order, so that one receipt proves each item with a short path.
///
/// ```
/// leaf(item) = "CivicLedger/evidence-item/v1" || algorithm (1 byte) || fingerprint (32) || varint len || label
/// leaf hash  = H(0x00 || leaf(item))          node = H(0x01 || left || right)
/// ```
///
/// The domain string keeps an evidence leaf from ever being read as a transaction leaf (whose bytes start with a
/// transaction's canonical encoding) or as any other tree's leaf.
public enum EvidenceBatch {
    /// The prefix of every evidence leaf.
    public static let leafDomain = Array("CivicLedger/evidence-item/v1".utf8)

    /// The leaf bytes of `item` (before RFC 6962's `0x00` leaf tag).
    public static func leaf(_ item: EvidenceContract.Put) -> [UInt8] {
        item.domainTaggedBytes(leafDomain, capacity: leafDomain.count + 40 + item.label.utf8.count)
    }

    /// Every level of the tree of `items`, for their audit paths.
    public static func levels(of items: [EvidenceContract.Put], suite: CryptoSuite) -> MerkleTree.Levels {
        MerkleTree.Levels(leaves: items.map(leaf), suite: suite)
    }

    /// The root of the tree of `items`.
    public static func root(of items: [EvidenceContract.Put], suite: CryptoSuite) -> Hash256 {
        levels(of: items, suite: suite).root
    }

    /// Whether `path` leads from `item` at `position` to `position.root` in `suite`'s tree.
    public static func verify(_ item: EvidenceContract.Put, path: MerkleProof, position: EvidenceBatchPosition,
                              suite: CryptoSuite) -> Bool {
        path.leafIndex == UInt64(position.index)
            && path.verify(leaf: leaf(item), treeSize: UInt64(position.count), root: position.root, suite: suite)
    }

    /// The RFC 3161 serial number of the time-stamp token of the item at (`height`, transaction `transactionIndex`,
    /// item `itemIndex`): `height × 2^24 + transactionIndex × 2^10 + itemIndex` (single `put` records use item 0).
    /// Unique per recorded fingerprint, and rebuilt from the chain by anyone.
    /// - Precondition: `transactionIndex < 2^14`, `itemIndex < 2^10`, `height < 2^40` (``Limits`` asserts the
    ///   first two; the third is 35,000 years of one block a millisecond).
    public static func timeStampSerialNumber(height: Height, transactionIndex: UInt32, itemIndex: UInt32) -> UInt64 {
        precondition(transactionIndex < 1 << 14 && itemIndex < 1 << 10 && height.rawValue < 1 << 40,
                     "chain position outside the time-stamp serial layout")
        return height.rawValue << 24 | UInt64(transactionIndex) << 10 | UInt64(itemIndex)
    }
}
