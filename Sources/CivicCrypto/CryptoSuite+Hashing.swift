import COpenSSL
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
public struct SuiteHasher {
    private enum Engine {
        case sha256(SHA256)
        case sm3(SM3Context)
    }

    private var engine: Engine

    /// Starts a new digest.
    public init(suite: CryptoSuite) {
        switch suite {
        case .intl: engine = .sha256(SHA256())
        case .sm: engine = .sm3(SM3Context())
        }
    }

    /// Feeds one byte.
    public mutating func update(byte: UInt8) {
        update([byte])
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: some ContiguousBytesView) {
        switch engine {
        case .sha256(var sha):
            bytes.withBytes { sha.update(bufferPointer: $0) }
            engine = .sha256(sha)
        case .sm3(let context):
            bytes.withBytes { context.update($0) }
        }
    }

    /// Feeds a digest's 32 bytes.
    public mutating func update(_ digest: Hash256) {
        update(digest.bytes)
    }

    /// Finishes and returns the digest; the hasher must not be used afterwards.
    public mutating func finalize() -> Hash256 {
        switch engine {
        case .sha256(let sha): Hash256(bytes: Array(sha.finalize()))
        case .sm3(let context): context.finalize()
        }
    }
}

/// An OpenSSL SM3 context. A class so that the context is freed exactly once.
final class SM3Context {
    private let context: OpaquePointer

    init() {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("OpenSSL could not allocate an SM3 context") }
        precondition(EVP_DigestInit_ex(context, EVP_sm3(), nil) == 1, "OpenSSL has no SM3 (needs OpenSSL 3.0)")
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1, "SM3 update failed")
    }

    func finalize() -> Hash256 {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, &out, &length) == 1 && length == 32, "SM3 final failed")
        return Hash256(bytes: out)
    }
}
