import CivicCrypto

/// The two tree algorithms: building a subtree from sorted leaves, and applying sorted changes to a subtree.
/// Both recurse one level per key-path bit and return shared nodes wherever nothing changed.
extension StateTree {
    /// Sorts `changes` by key path and keeps, for each key path, the change given last.
    static func sortedLastWins(_ changes: [StateChange]) -> [StateChange] {
        let order = changes.indices.sorted { lhs, rhs in
            let (left, right) = (changes[lhs].keyPath, changes[rhs].keyPath)
            return left != right ? left < right : lhs < rhs
        }
        var result: [StateChange] = []
        result.reserveCapacity(changes.count)
        for position in order {
            if let last = result.last, last.keyPath == changes[position].keyPath {
                result[result.count - 1] = changes[position]
            } else {
                result.append(changes[position])
            }
        }
        return result
    }

    /// The subtree at `depth` holding exactly `leaves`.
    /// - Precondition: `leaves` are sorted by key path, without duplicates, and share their first `depth` bits.
    static func build(_ leaves: ArraySlice<StateEntry>, depth: Int, suite: CryptoSuite) -> StateNode? {
        guard let first = leaves.first else { return nil }
        if leaves.count == 1 { return StateNode.leaf(keyPath: first.keyPath, valueHash: first.valueHash, suite: suite) }
        precondition(depth < 256, "two leaves with the same key path")
        let split = firstIndex(in: leaves, withBitSet: depth) { $0.keyPath }
        let left = build(leaves[..<split], depth: depth + 1, suite: suite)
        let right = build(leaves[split...], depth: depth + 1, suite: suite)
        return StateNode.joining(left: left, right: right, suite: suite)
    }

    /// The subtree `node` at `depth` after `changes`.
    /// - Precondition: `changes` are sorted by key path, without duplicates, and lie under `node`'s position.
    static func apply(
        _ changes: ArraySlice<StateChange>, to node: StateNode?, depth: Int, suite: CryptoSuite
    ) -> StateNode? {
        guard !changes.isEmpty else { return node }
        guard let node else { return build(insertions(changes, keeping: nil)[...], depth: depth, suite: suite) }
        switch node.kind {
        case .leaf(let keyPath, let valueHash):
            let existing = StateEntry(keyPath: keyPath, valueHash: valueHash)
            let leaves = insertions(changes, keeping: existing)
            if leaves.count == 1 && leaves[0].keyPath == keyPath && leaves[0].valueHash == valueHash { return node }
            return build(leaves[...], depth: depth, suite: suite)
        case .internal(let left, let right):
            precondition(depth < 256, "internal state node below the last key-path bit")
            let split = firstIndex(in: changes, withBitSet: depth) { $0.keyPath }
            let newLeft = apply(changes[..<split], to: left, depth: depth + 1, suite: suite)
            let newRight = apply(changes[split...], to: right, depth: depth + 1, suite: suite)
            if newLeft === left && newRight === right { return node }
            return StateNode.joining(left: newLeft, right: newRight, suite: suite)
        }
    }

    /// The leaves after `changes` under a subtree that held only `existing` (or nothing): deletions dropped,
    /// `existing` kept unless a change names its key path. The result is sorted by key path.
    private static func insertions(_ changes: ArraySlice<StateChange>, keeping existing: StateEntry?) -> [StateEntry] {
        var leaves: [StateEntry] = []
        leaves.reserveCapacity(changes.count + 1)
        var pending = existing
        for change in changes {
            if let kept = pending, kept.keyPath <= change.keyPath {
                if kept.keyPath < change.keyPath { leaves.append(kept) }
                pending = nil
            }
            if let valueHash = change.valueHash {
                leaves.append(StateEntry(keyPath: change.keyPath, valueHash: valueHash))
            }
        }
        if let kept = pending { leaves.append(kept) }
        return leaves
    }

    /// The first index of `elements` (sorted by key path) whose key path has bit `depth` set, by binary search.
    private static func firstIndex<Element>(
        in elements: ArraySlice<Element>, withBitSet depth: Int, keyPath: (Element) -> Hash256
    ) -> Int {
        var low = elements.startIndex
        var high = elements.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if keyPath(elements[middle]).bit(depth) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
