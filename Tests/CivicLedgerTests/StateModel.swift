import CivicTesting
import CivicCrypto
@testable import CivicLedger

/// The simplest possible model of the state: a sorted array of (key, value), plus the state-tree root computed
/// straight from the specification, sharing no code with ``StateTree``.
struct StateModel {
    /// The entries, sorted by key bytes.
    private(set) var entries: [(key: [UInt8], value: [UInt8])] = []

    /// Applies writes one after the other.
    mutating func apply(_ writes: [StateWrite]) {
        for write in writes {
            let position = entries.firstIndex { !$0.key.lexicographicallyPrecedes(write.key) } ?? entries.endIndex
            let exists = position < entries.endIndex && entries[position].key == write.key
            switch (write.value, exists) {
            case (let value?, true): entries[position].value = value
            case (let value?, false): entries.insert((write.key, value), at: position)
            case (nil, true): entries.remove(at: position)
            case (nil, false): break
            }
        }
    }

    /// The value of `key`, or `nil`.
    func value(forKey key: [UInt8]) -> [UInt8]? {
        entries.first { $0.key == key }?.value
    }

    /// The root by the specification: `H(0x02 || key)` paths, `H(value)` value hashes, leaf compaction.
    func root(suite: CryptoSuite) -> Hash256 {
        let leaves = entries.map { entry in
            (path: suite.hash(parts: [[0x02], entry.key]), valueHash: suite.hash(entry.value))
        }.sorted { $0.path < $1.path }
        return Self.subtreeHash(leaves[...], depth: 0, suite: suite)
    }

    private static func subtreeHash(
        _ leaves: ArraySlice<(path: Hash256, valueHash: Hash256)>, depth: Int, suite: CryptoSuite
    ) -> Hash256 {
        if leaves.isEmpty { return .zero }
        if leaves.count == 1 {
            return suite.hash(parts: [[0x00], leaves.first!.path.bytes, leaves.first!.valueHash.bytes])
        }
        let left = subtreeHash(leaves.filter { !$0.path.bit(depth) }[...], depth: depth + 1, suite: suite)
        let right = subtreeHash(leaves.filter { $0.path.bit(depth) }[...], depth: depth + 1, suite: suite)
        return suite.hash(parts: [[0x01], left.bytes, right.bytes])
    }
}

extension SeededGenerator {
    /// A batch of writes over a key space of `keySpace` short keys: sets, overwrites, deletions (about one in four)
    /// and repeated keys.
    mutating func writes(count: Int, keySpace: Int) -> [StateWrite] {
        (0..<count).map { _ in
            let key = Array("key-\(Int.random(in: 0..<keySpace, using: &self))".utf8)
            let isDelete = Int.random(in: 0..<4, using: &self) == 0
            return StateWrite(key: key, value: isDelete ? nil : bytes(lengths: 0...12))
        }
    }
}
