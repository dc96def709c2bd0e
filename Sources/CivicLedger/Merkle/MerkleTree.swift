import CivicCrypto

/// RFC 6962 Merkle trees over the transactions (or receipts) of a block.
///
/// The rules, from RFC 6962 §2.1 (restated in RFC 9162 §2.1.1), with `H` the chain's suite hash
/// (SM3 for `sm`, SHA-256 for `intl`):
///
/// ```
/// MTH({})       = H("")                                  -- the empty tree
/// MTH({d(0)})   = H(0x00 || d(0))                        -- a leaf
/// MTH(D[n])     = H(0x01 || MTH(D[0:k]) || MTH(D[k:n]))  -- k is the largest power of two < n
/// ```
///
/// Equivalently, and this is how the code computes it: hash the leaves, then repeatedly hash adjacent
/// pairs left to right; an unpaired last node moves up a level unchanged.
public enum MerkleTree {
    /// The root of the tree with no leaves: `H("")`.
    public static func emptyRoot(suite: CryptoSuite) -> Hash256 {
        suite.hash([UInt8]())
    }

    /// The leaf hash `H(0x00 || leaf)`.
    public static func leafHash(_ leaf: [UInt8], suite: CryptoSuite) -> Hash256 {
        DomainHashing.leaf(leaf, suite: suite)
    }

    /// The interior node hash `H(0x01 || left || right)`.
    public static func nodeHash(left: Hash256, right: Hash256, suite: CryptoSuite) -> Hash256 {
        DomainHashing.node(left: left, right: right, suite: suite)
    }

    /// The root of the tree whose leaves are `leaves` (raw leaf bytes, hashed here).
    public static func root(leaves: [[UInt8]], suite: CryptoSuite) -> Hash256 {
        root(leafHashes: leaves.map { leafHash($0, suite: suite) }, suite: suite)
    }

    /// The root of the tree whose leaf hashes are `leafHashes` (already `H(0x00 || leaf)`).
    ///
    /// Runs in O(n) hashes and O(n) memory; use ``Levels`` when proofs are needed too.
    public static func root(leafHashes: [Hash256], suite: CryptoSuite) -> Hash256 {
        guard !leafHashes.isEmpty else { return emptyRoot(suite: suite) }
        var level = leafHashes
        while level.count > 1 { level = parentLevel(of: level, suite: suite) }
        return level[0]
    }

    /// The audit path of leaf `index` in the tree of `leaves`.
    ///
    /// Builds the whole tree; to prove many leaves of one tree, build ``Levels`` once instead.
    /// - Precondition: `index < leaves.count`.
    public static func auditPath(index: UInt64, leaves: [[UInt8]], suite: CryptoSuite) -> MerkleProof {
        Levels(leaves: leaves, suite: suite).auditPath(index: index)
    }

    /// The audit paths of every leaf of `leaves`, in leaf order, in O(n log n) total.
    public static func auditPaths(leaves: [[UInt8]], suite: CryptoSuite) -> [MerkleProof] {
        Levels(leaves: leaves, suite: suite).allAuditPaths()
    }

    /// The next level up: adjacent pairs hashed, an unpaired last node carried up unchanged.
    static func parentLevel(of level: [Hash256], suite: CryptoSuite) -> [Hash256] {
        var parents: [Hash256] = []
        parents.reserveCapacity((level.count + 1) / 2)
        var position = 0
        while position + 1 < level.count {
            parents.append(nodeHash(left: level[position], right: level[position + 1], suite: suite))
            position += 2
        }
        if position < level.count { parents.append(level[position]) }
        return parents
    }
}

extension MerkleTree {
    /// Every level of one Merkle tree, computed once, from which any number of audit paths are read
    /// without hashing again.
    ///
    /// `levels[0]` holds the leaf hashes and the last level holds the root alone. Memory is about
    /// twice the leaf hashes.
    public struct Levels: Sendable {
        /// The suite whose hash built the tree.
        public let suite: CryptoSuite
        /// The node hashes per level, leaves first; empty for the empty tree.
        public let levels: [[Hash256]]

        /// Builds every level from raw leaves.
        public init(leaves: [[UInt8]], suite: CryptoSuite) {
            self.init(leafHashes: leaves.map { MerkleTree.leafHash($0, suite: suite) }, suite: suite)
        }

        /// Builds every level from leaf hashes (already `H(0x00 || leaf)`).
        public init(leafHashes: [Hash256], suite: CryptoSuite) {
            self.suite = suite
            var levels: [[Hash256]] = []
            if !leafHashes.isEmpty {
                levels.append(leafHashes)
                while let last = levels.last, last.count > 1 {
                    levels.append(MerkleTree.parentLevel(of: last, suite: suite))
                }
            }
            self.levels = levels
        }

        /// How many leaves the tree has.
        public var leafCount: UInt64 { UInt64(levels.first?.count ?? 0) }

        /// The root; `H("")` for the empty tree.
        public var root: Hash256 { levels.last?.first ?? MerkleTree.emptyRoot(suite: suite) }

        /// The RFC 6962 audit path of leaf `index`, siblings from the leaf upwards.
        /// - Precondition: `index < leafCount`.
        public func auditPath(index: UInt64) -> MerkleProof {
            precondition(index < leafCount, "leaf index \(index) outside a tree of \(leafCount) leaves")
            var path: [Hash256] = []
            path.reserveCapacity(levels.count)
            var position = Int(index)
            for level in levels.dropLast() {
                let sibling = position ^ 1
                if sibling < level.count { path.append(level[sibling]) }
                position >>= 1
            }
            precondition(path.count <= Limits.merklePathMax, "audit path longer than Limits.merklePathMax")
            return MerkleProof(leafIndex: index, path: path)
        }

        /// The audit paths of every leaf, in leaf order.
        public func allAuditPaths() -> [MerkleProof] {
            (0..<leafCount).map { auditPath(index: $0) }
        }
    }
}
