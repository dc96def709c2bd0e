import CivicCrypto

/// A proof that a key holds a value in the state tree with a given root, or that the key is absent.
///
/// It lists the siblings met on the way from the root down to the key's position (``Hash256/zero`` for an empty
/// sibling) and what was found there: nothing, the key's own leaf, or the leaf of another key that occupies the
/// only place the key could be (which proves the key absent).
public struct StateProof: Hashable, Sendable {
    /// What the path from the root ends at.
    public enum Terminal: Hashable, Sendable {
        /// An empty subtree: the key is absent.
        case empty
        /// A leaf: the key's own (inclusion) or another key's sharing the same path prefix (non-inclusion).
        case leaf(keyPath: Hash256, valueHash: Hash256)
    }

    /// Most siblings a proof can hold: one per key-path bit.
    public static let siblingsMax = 256

    /// Sibling hashes from the root down; `siblings[d]` is the sibling of the path's node at depth `d + 1`.
    public var siblings: [Hash256]
    /// The node at depth `siblings.count` on the key's path.
    public var terminal: Terminal

    /// Creates a proof from its parts.
    public init(siblings: [Hash256], terminal: Terminal) {
        self.siblings = siblings
        self.terminal = terminal
    }

    /// Checks the proof for `key` against `root`: with a `value`, that `key` holds exactly `value`; with `nil`,
    /// that `key` is absent.
    ///
    /// Verification rule (auditors re-implementing it must follow it exactly):
    /// ```
    /// path := H(0x02 || key);  d := siblings.count
    /// 1. Shape: d <= 256; if d >= 1 then siblings[d-1] != zero (a canonical tree never holds a lone leaf
    ///    or a lone empty subtree beside an empty sibling).
    /// 2. Terminal node hash t:
    ///    - value != nil: terminal must be leaf(keyPath, valueHash) with keyPath == path and
    ///      valueHash == H(value); t := H(0x00 || keyPath || valueHash).
    ///    - value == nil: terminal is empty, t := zero; or terminal is leaf(keyPath, valueHash) with
    ///      keyPath != path and the first d bits of keyPath equal to the first d bits of path;
    ///      t := H(0x00 || keyPath || valueHash).
    ///    Anything else fails.
    /// 3. For i from d-1 down to 0: if bit i of path is 0 then t := node(t, siblings[i])
    ///    else t := node(siblings[i], t), where node(zero, zero) = zero and node(l, r) = H(0x01 || l || r).
    /// 4. Succeed if and only if t == root.
    /// ```
    /// Bits are numbered from the most significant bit of the first byte (bit 0).
    public func verify(key: [UInt8], value: [UInt8]?, root: Hash256, suite: CryptoSuite) -> Bool {
        verify(
            keyPath: StateTree.keyPath(forKey: key, suite: suite),
            valueHash: value.map { StateTree.valueHash(of: $0, suite: suite) },
            root: root,
            suite: suite
        )
    }

    /// ``verify(key:value:root:suite:)`` for a key path and value hash computed by the caller.
    public func verify(keyPath path: Hash256, valueHash: Hash256?, root: Hash256, suite: CryptoSuite) -> Bool {
        guard hasCanonicalShape else { return false }
        let depth = siblings.count
        var running: Hash256
        switch (terminal, valueHash) {
        case (.empty, nil):
            running = .zero
        case (.empty, .some):
            return false
        case (.leaf(let leafPath, let leafValueHash), let expected?):
            guard leafPath == path, leafValueHash == expected else { return false }
            running = DomainHashing.stateLeaf(keyPath: leafPath, valueHash: leafValueHash, suite: suite)
        case (.leaf(let leafPath, let leafValueHash), nil):
            guard leafPath != path, (0..<depth).allSatisfy({ leafPath.bit($0) == path.bit($0) }) else { return false }
            running = DomainHashing.stateLeaf(keyPath: leafPath, valueHash: leafValueHash, suite: suite)
        }
        for level in stride(from: depth - 1, through: 0, by: -1) {
            let sibling = siblings[level]
            running = path.bit(level)
                ? DomainHashing.stateInternal(left: sibling, right: running, suite: suite)
                : DomainHashing.stateInternal(left: running, right: sibling, suite: suite)
        }
        return running == root
    }

    /// Rule 1 of the verification: at most 256 siblings, and the deepest sibling (if any) is not empty.
    var hasCanonicalShape: Bool {
        siblings.count <= StateProof.siblingsMax && (siblings.last.map { $0 != .zero } ?? true)
    }
}
