import Crypto

extension CryptoSuite {
    /// The suite's digest (SM3 or SHA-256) of `bytes`.
    public func hash(_ bytes: some ContiguousBytesView) -> Hash256 {
        var hasher = SuiteHasher(suite: self)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The suite's digest of the concatenation of `parts`, without concatenating them.
    public func hash(parts: [[UInt8]]) -> Hash256 {
        var hasher = SuiteHasher(suite: self)
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }
}

/// A byte container the hash functions can read without copying.
public protocol ContiguousBytesView {
    /// Calls `body` with the bytes.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytesView where Element == UInt8 {
    /// Calls `body` with the array's storage.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ContiguousBytesView where Element == UInt8 {
    /// Calls `body` with the slice's storage.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

/// An incremental hasher of the chain's suite.
///
/// SM3 is an inline value (``SM3``) and never allocates; SHA-256 is swift-crypto's, updated in place so that its
/// context is never copied. Feeding a byte or a ``Hash256`` goes through stack memory, not arrays, so the Merkle
/// hot paths `0x00 || 32 bytes` and `0x01 || 32 || 32` allocate nothing for SM3.
public struct SuiteHasher {
    private enum Engine {
        case sha256(SHA256)
        case sm3(SM3)
        /// Held only while the SHA-256 context is out being updated, so that it is uniquely referenced.
        case updating
    }

    private var engine: Engine

    /// Starts a new digest.
    public init(suite: CryptoSuite) {
        switch suite {
        case .intl: engine = .sha256(SHA256())
        case .sm: engine = .sm3(SM3())
        }
    }

    /// Feeds one byte.
    public mutating func update(byte: UInt8) {
        var byte = byte
        Swift.withUnsafeBytes(of: &byte) { update(bufferPointer: $0) }
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: some ContiguousBytesView) {
        bytes.withBytes { update(bufferPointer: $0) }
    }

    /// Feeds a digest's 32 bytes.
    public mutating func update(_ digest: Hash256) {
        digest.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// Feeds the bytes at `buffer`.
    public mutating func update(bufferPointer buffer: UnsafeRawBufferPointer) {
        switch engine {
        case .sha256(var sha):
            engine = .updating
            sha.update(bufferPointer: buffer)
            engine = .sha256(sha)
        case .sm3(var sm3):
            engine = .updating
            sm3.update(buffer)
            engine = .sm3(sm3)
        case .updating:
            preconditionFailure("SuiteHasher used re-entrantly")
        }
    }

    /// Finishes and returns the digest; the hasher must not be used afterwards.
    public mutating func finalize() -> Hash256 {
        switch engine {
        case .sha256(let sha):
            return sha.finalize().withUnsafeBytes { Hash256(unsafeBytes: $0) }
        case .sm3(var sm3):
            return sm3.finalize()
        case .updating:
            preconditionFailure("SuiteHasher used re-entrantly")
        }
    }
}
