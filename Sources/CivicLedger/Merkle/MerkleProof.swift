import CivicCodec
import CivicCrypto

/// An RFC 6962 / RFC 9162 inclusion proof: the audit path of one leaf.
///
/// Wire form (canonical codec):
/// ```
/// MerkleProof := leafIndex: u64 (big-endian, 8 bytes)
///                path:      varint count (<= Limits.merklePathMax) || count x 32-byte hash
/// ```
/// The tree size is deliberately *not* part of the proof: the verifier takes it from a block header
/// it already trusts (the header's transaction count), so a proof cannot choose its own tree shape.
public struct MerkleProof: Hashable, Sendable, CanonicalCodable {
    /// The zero-based position of the proven leaf.
    public var leafIndex: UInt64
    /// Sibling hashes from the leaf level upwards.
    public var path: [Hash256]

    /// Creates a proof from its parts.
    public init(leafIndex: UInt64, path: [Hash256]) {
        self.leafIndex = leafIndex
        self.path = path
    }

    /// Checks that `leaf` (raw bytes) is leaf ``leafIndex`` of the tree of `treeSize` leaves whose root
    /// is `root`.
    public func verify(leaf: [UInt8], treeSize: UInt64, root: Hash256, suite: CryptoSuite) -> Bool {
        verify(leafHash: MerkleTree.leafHash(leaf, suite: suite), treeSize: treeSize, root: root, suite: suite)
    }

    /// Checks an inclusion proof for a leaf hash, exactly as RFC 9162 §2.1.3.2 states it:
    ///
    /// 1. If `leaf_index >= tree_size`, fail.
    /// 2. Set `fn` to `leaf_index` and `sn` to `tree_size - 1`.
    /// 3. Set `r` to `hash`.
    /// 4. For each value `p` in `inclusion_path`:
    ///    a. If `sn` is 0, stop the iteration and fail.
    ///    b. If `LSB(fn)` is set, or if `fn` is equal to `sn`: set `r` to `HASH(0x01 || p || r)`; then, if
    ///       `LSB(fn)` is not set, right-shift both `fn` and `sn` equally until either `LSB(fn)` is set or
    ///       `fn` is 0. Otherwise: set `r` to `HASH(0x01 || r || p)`.
    ///    c. Right-shift both `fn` and `sn` one time.
    /// 5. Succeed if and only if `sn` is 0 and `r` equals the root hash (the path is fully consumed).
    public func verify(leafHash: Hash256, treeSize: UInt64, root: Hash256, suite: CryptoSuite) -> Bool {
        guard leafIndex < treeSize, path.count <= Limits.merklePathMax else { return false }
        var indexRemainder = leafIndex
        var sizeRemainder = treeSize - 1
        var running = leafHash
        for sibling in path {
            guard sizeRemainder != 0 else { return false }
            if indexRemainder & 1 == 1 || indexRemainder == sizeRemainder {
                running = MerkleTree.nodeHash(left: sibling, right: running, suite: suite)
                while indexRemainder & 1 == 0 && indexRemainder != 0 {
                    indexRemainder >>= 1
                    sizeRemainder >>= 1
                }
            } else {
                running = MerkleTree.nodeHash(left: running, right: sibling, suite: suite)
            }
            indexRemainder >>= 1
            sizeRemainder >>= 1
        }
        return sizeRemainder == 0 && running == root
    }

    /// Writes `leafIndex` then the path.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(leafIndex)
        encoder.encode(sequence: path)
    }

    /// Reads a proof.
    /// - Throws: ``CodecError`` if the bytes are truncated or the path is longer than `Limits.merklePathMax`.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        leafIndex = try decoder.decodeUInt64("merkle_proof.leaf_index")
        path = try decoder.decodeSequence(Hash256.self, "merkle_proof.path", max: Limits.merklePathMax)
    }
}
