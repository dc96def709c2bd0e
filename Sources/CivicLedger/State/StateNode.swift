import CivicCrypto

/// One node of the state tree. Nodes never change after creation, so versions of the tree share them.
///
/// `Sendable` is checked by the compiler: the class is final and every stored property is an immutable `let` of a
/// `Sendable` type, so no `@unchecked` is needed.
final class StateNode: Sendable {
    /// What a node holds.
    enum Kind: Sendable {
        /// A leaf: the only key in its subtree.
        case leaf(keyPath: Hash256, valueHash: Hash256)
        /// An internal node with at least two keys below it; a `nil` child is an empty subtree.
        case `internal`(left: StateNode?, right: StateNode?)
    }

    /// The node's hash (see ``StateTree`` for the rules).
    let hash: Hash256
    /// The node's contents.
    let kind: Kind
    /// How many leaves the subtree holds.
    let leafCount: Int

    private init(hash: Hash256, kind: Kind, leafCount: Int) {
        self.hash = hash
        self.kind = kind
        self.leafCount = leafCount
    }

    /// A leaf node, hashed as `H(0x00 || keyPath || valueHash)`.
    static func leaf(keyPath: Hash256, valueHash: Hash256, suite: CryptoSuite) -> StateNode {
        StateNode(
            hash: DomainHashing.stateLeaf(keyPath: keyPath, valueHash: valueHash, suite: suite),
            kind: .leaf(keyPath: keyPath, valueHash: valueHash),
            leafCount: 1
        )
    }

    /// The node for two child subtrees, applying leaf compaction: no children gives `nil` (empty), and a lone
    /// leaf child is returned itself so that it moves up to the shallowest level where it is alone.
    static func joining(left: StateNode?, right: StateNode?, suite: CryptoSuite) -> StateNode? {
        switch (left, right) {
        case (nil, nil):
            return nil
        case (let only?, nil), (nil, let only?):
            if case .leaf = only.kind { return only }
        default:
            break
        }
        let hash = DomainHashing.stateInternal(left: left?.hash ?? .zero, right: right?.hash ?? .zero, suite: suite)
        let count = (left?.leafCount ?? 0) + (right?.leafCount ?? 0)
        precondition(count >= 2, "an internal state node must hold at least two leaves")
        return StateNode(hash: hash, kind: .internal(left: left, right: right), leafCount: count)
    }
}

/// A leaf to be placed in the tree: its key path and value hash.
struct StateEntry: Sendable {
    /// `H(0x02 || key)`.
    var keyPath: Hash256
    /// `H(value)`.
    var valueHash: Hash256
}

/// A pending change to one key path: the new value hash, or `nil` to delete.
struct StateChange: Sendable {
    /// `H(0x02 || key)`.
    var keyPath: Hash256
    /// `H(value)`, or `nil` to delete.
    var valueHash: Hash256?
}
