import CivicCrypto

/// The domain-separated hash functions shared by the transaction Merkle tree and the state tree.
///
/// Every input starts with a one-byte tag so that a leaf can never be read as an interior node (RFC 6962 §2.1)
/// and a state key can never collide with a node:
///
/// | tag    | input                                   | used for                                   |
/// | ------ | --------------------------------------- | ------------------------------------------ |
/// | `0x00` | `0x00 ‖ leaf bytes`                     | Merkle leaf (RFC 6962)                     |
/// | `0x00` | `0x00 ‖ keyPath ‖ valueHash`            | state-tree leaf                            |
/// | `0x01` | `0x01 ‖ left ‖ right`                   | Merkle node and state-tree internal node   |
/// | `0x02` | `0x02 ‖ key bytes`                      | state-tree key path                        |
///
/// The hashers are fed piece by piece, never through a concatenated array.
enum DomainHashing {
    /// Tag of a leaf input.
    static let leafTag: UInt8 = 0x00
    /// Tag of an interior node input.
    static let nodeTag: UInt8 = 0x01
    /// Tag of a state-tree key input.
    static let keyTag: UInt8 = 0x02

    /// `H(0x00 ‖ bytes)`: the RFC 6962 leaf hash.
    static func leaf(_ bytes: some ContiguousBytesView, suite: CryptoSuite) -> Hash256 {
        var hasher = SuiteHasher(suite: suite)
        hasher.update(byte: leafTag)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// `H(0x01 ‖ left ‖ right)`: the RFC 6962 interior node hash.
    static func node(left: Hash256, right: Hash256, suite: CryptoSuite) -> Hash256 {
        var hasher = SuiteHasher(suite: suite)
        hasher.update(byte: nodeTag)
        hasher.update(left)
        hasher.update(right)
        return hasher.finalize()
    }

    /// `H(0x00 ‖ keyPath ‖ valueHash)`: a state-tree leaf.
    static func stateLeaf(keyPath: Hash256, valueHash: Hash256, suite: CryptoSuite) -> Hash256 {
        var hasher = SuiteHasher(suite: suite)
        hasher.update(byte: leafTag)
        hasher.update(keyPath)
        hasher.update(valueHash)
        return hasher.finalize()
    }

    /// A state-tree internal node: `Hash256.zero` if both children are empty, else `H(0x01 ‖ left ‖ right)`.
    static func stateInternal(left: Hash256, right: Hash256, suite: CryptoSuite) -> Hash256 {
        if left == .zero && right == .zero { return .zero }
        return node(left: left, right: right, suite: suite)
    }

    /// `H(0x02 ‖ key)`: where a key lives in the state tree.
    static func keyPath(_ key: [UInt8], suite: CryptoSuite) -> Hash256 {
        var hasher = SuiteHasher(suite: suite)
        hasher.update(byte: keyTag)
        hasher.update(key)
        return hasher.finalize()
    }

    /// `H(value)`: the digest a state leaf stores instead of the value.
    static func value(_ value: [UInt8], suite: CryptoSuite) -> Hash256 {
        suite.hash(value)
    }
}
