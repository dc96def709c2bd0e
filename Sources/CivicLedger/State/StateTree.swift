import CivicCrypto

/// The authenticated state: a sparse Merkle tree over 256-bit key paths whose root goes into every block header.
///
/// Hashing rules (`H` is the chain's suite hash: SM3 for `sm`, SHA-256 for `intl`; `||` is concatenation):
/// ```
/// keyPath(key)        = H(0x02 || key)                   -- where the key lives; bit 0 = MSB of byte 0
/// valueHash(value)    = H(value)
/// hash(empty subtree) = Hash256.zero                     -- 32 zero bytes
/// hash(leaf)          = H(0x00 || keyPath || valueHash)
/// hash(internal)      = H(0x01 || hash(left) || hash(right)), or Hash256.zero if both children are empty
/// ```
/// The node at depth `d` (the root is depth 0) sends a key path to its left child when bit `d` of the path is 0
/// and to its right child when it is 1. Leaf compaction (as in Diem/Aptos): a subtree holding exactly one key is
/// that key's leaf, placed at the shallowest depth where the key is alone; so every internal node has at least
/// two keys below it. The empty tree's root is `Hash256.zero`. Only `(keyPath, valueHash)` is stored, not values.
///
/// A `StateTree` is a persistent value: ``applying(_:)`` returns a new tree that shares every unchanged node
/// with the old one, so a node can execute a block speculatively and drop the result, and old versions stay
/// valid. Nodes are immutable, which also makes the tree `Sendable`.
public struct StateTree: Sendable {
    /// The suite whose hash the tree uses.
    public let suite: CryptoSuite
    let rootNode: StateNode?

    /// The empty tree.
    public init(suite: CryptoSuite) {
        self.init(suite: suite, rootNode: nil)
    }

    init(suite: CryptoSuite, rootNode: StateNode?) {
        self.suite = suite
        self.rootNode = rootNode
    }

    /// Builds a tree from `entries` in one pass: the entries are hashed, sorted by key path and the tree is built
    /// bottom-up, with no intermediate versions. Equal to applying the same entries as writes to an empty tree.
    /// If a key appears more than once, its last entry wins.
    /// - Precondition: every key has at most `Limits.stateKeyBytesMax` bytes and every value at most
    ///   `Limits.stateValueBytesMax` bytes.
    public init(suite: CryptoSuite, entries: some Sequence<(key: [UInt8], value: [UInt8])>) {
        var changes: [StateChange] = []
        changes.reserveCapacity(entries.underestimatedCount)
        for entry in entries {
            StateTree.checkSizes(key: entry.key, value: entry.value)
            changes.append(StateChange(
                keyPath: StateTree.keyPath(forKey: entry.key, suite: suite),
                valueHash: StateTree.valueHash(of: entry.value, suite: suite)
            ))
        }
        let leaves = StateTree.sortedLastWins(changes).compactMap { change in
            change.valueHash.map { StateEntry(keyPath: change.keyPath, valueHash: $0) }
        }
        self.init(suite: suite, rootNode: StateTree.build(leaves[...], depth: 0, suite: suite))
    }

    /// The root hash committed in block headers; `Hash256.zero` for the empty tree.
    public var root: Hash256 { rootNode?.hash ?? .zero }

    /// How many keys the tree holds.
    public var count: Int { rootNode?.leafCount ?? 0 }

    /// Whether the tree holds no key.
    public var isEmpty: Bool { rootNode == nil }

    /// The tree after `writes`, sharing every unchanged node with `self` (which is not modified).
    ///
    /// When several writes name the same key, the last one wins; otherwise the order of `writes` does not matter.
    /// Deleting an absent key changes nothing.
    /// - Precondition: every key has at most `Limits.stateKeyBytesMax` bytes and every value at most
    ///   `Limits.stateValueBytesMax` bytes.
    public func applying(_ writes: [StateWrite]) -> StateTree {
        guard !writes.isEmpty else { return self }
        var changes: [StateChange] = []
        changes.reserveCapacity(writes.count)
        for write in writes {
            StateTree.checkSizes(key: write.key, value: write.value)
            changes.append(StateChange(
                keyPath: StateTree.keyPath(forKey: write.key, suite: suite),
                valueHash: write.value.map { StateTree.valueHash(of: $0, suite: suite) }
            ))
        }
        let sorted = StateTree.sortedLastWins(changes)
        return StateTree(suite: suite, rootNode: StateTree.apply(sorted[...], to: rootNode, depth: 0, suite: suite))
    }

    /// The hash of the value stored under `key`, or `nil` if the key is absent.
    public func valueHash(forKey key: [UInt8]) -> Hash256? {
        let keyPath = StateTree.keyPath(forKey: key, suite: suite)
        var node = rootNode
        var depth = 0
        while let current = node {
            switch current.kind {
            case .leaf(let leafPath, let valueHash):
                return leafPath == keyPath ? valueHash : nil
            case .internal(let left, let right):
                node = keyPath.bit(depth) ? right : left
                depth += 1
            }
        }
        return nil
    }

    /// Whether `key` is present.
    public func contains(key: [UInt8]) -> Bool { valueHash(forKey: key) != nil }

    /// A proof that `key` holds its current value, or that it is absent, checkable against ``root`` with
    /// ``StateProof/verify(key:value:root:suite:)``.
    public func proof(forKey key: [UInt8]) -> StateProof {
        let keyPath = StateTree.keyPath(forKey: key, suite: suite)
        var siblings: [Hash256] = []
        var node = rootNode
        var depth = 0
        while let current = node {
            switch current.kind {
            case .leaf(let leafPath, let valueHash):
                return StateProof(siblings: siblings, terminal: .leaf(keyPath: leafPath, valueHash: valueHash))
            case .internal(let left, let right):
                let goesRight = keyPath.bit(depth)
                siblings.append((goesRight ? left : right)?.hash ?? .zero)
                node = goesRight ? right : left
                depth += 1
            }
        }
        return StateProof(siblings: siblings, terminal: .empty)
    }

    /// `H(0x02 || key)`: the key path of `key`.
    public static func keyPath(forKey key: [UInt8], suite: CryptoSuite) -> Hash256 {
        DomainHashing.keyPath(key, suite: suite)
    }

    /// `H(value)`: the digest a leaf stores for `value`.
    public static func valueHash(of value: [UInt8], suite: CryptoSuite) -> Hash256 {
        DomainHashing.value(value, suite: suite)
    }

    private static func checkSizes(key: [UInt8], value: [UInt8]?) {
        precondition(key.count <= Limits.stateKeyBytesMax, "state key of \(key.count) bytes exceeds the limit")
        precondition((value?.count ?? 0) <= Limits.stateValueBytesMax, "state value exceeds the limit")
    }
}

extension StateTree: Equatable {
    /// Two trees are equal when they use the same suite and have the same root (hence the same contents).
    public static func == (lhs: StateTree, rhs: StateTree) -> Bool {
        lhs.suite == rhs.suite && lhs.root == rhs.root
    }
}
