import COpenSSL

/// Small helpers around OpenSSL libcrypto 3.0 shared by the SM2, PEM and SM4 code.
enum OpenSSL {
    /// Drains OpenSSL's thread-local error queue into one readable line (empty queue: `fallback`).
    static func drainErrors(_ fallback: String) -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let length = buffer.firstIndex(of: 0) ?? buffer.count
            messages.append(String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? fallback : "\(fallback) (\(messages.joined(separator: "; ")))"
    }

    /// Clears the error queue after an expected failure (e.g. a signature that does not verify).
    static func clearErrors() {
        ERR_clear_error()
    }

    /// The bytes written to a memory BIO by `body`.
    static func writeToMemory(_ body: (OpaquePointer) -> Int32) -> [UInt8]? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard body(bio) == 1 else { return nil }
        var data: UnsafeMutablePointer<CChar>? = nil
        let count = civic_BIO_get_mem_data(bio, &data)
        guard count > 0, let data else { return nil }
        return Array(UnsafeRawBufferPointer(start: data, count: count))
    }

    /// Calls `body` with a read-only memory BIO over `bytes`.
    static func withMemoryBIO<R>(_ bytes: [UInt8], _ body: (OpaquePointer) -> R) -> R? {
        bytes.withUnsafeBytes { buffer -> R? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    /// The OpenSSL group name (`SM2` or `prime256v1`) of `suite`'s curve.
    static func groupName(_ suite: CryptoSuite) -> String {
        switch suite {
        case .sm: "SM2"
        case .intl: "prime256v1"
        }
    }

    /// The key-management algorithm that makes keys of `suite` (`SM2` so that SM2 keys sign as SM2).
    static func keyType(_ suite: CryptoSuite) -> String {
        switch suite {
        case .sm: "SM2"
        case .intl: "EC"
        }
    }

    /// Builds an `EVP_PKEY` of `suite` from an uncompressed point and, for a key pair, the private scalar.
    ///
    /// OpenSSL decodes the point with `EC_POINT_oct2point`, which refuses coordinates that are not below the
    /// field prime and points that are not on the curve, so a successful build also validates the point.
    /// - Throws: ``CryptoError/invalidKey(_:)`` if OpenSSL refuses the parts.
    static func makeKey(suite: CryptoSuite, publicPoint: [UInt8], privateScalar: [UInt8]?) throws(CryptoError)
        -> EVPKey
    {
        clearErrors()
        let key = publicPoint.withUnsafeBufferPointer { point in
            if let privateScalar {
                return privateScalar.withUnsafeBufferPointer { scalar in
                    civic_make_ec_key(keyType(suite), groupName(suite), point.baseAddress, point.count,
                                      scalar.baseAddress, scalar.count)
                }
            }
            return civic_make_ec_key(keyType(suite), groupName(suite), point.baseAddress, point.count, nil, 0)
        }
        guard let key else {
            throw .invalidKey(drainErrors("not a point on the \(suite.signatureName) curve"))
        }
        return EVPKey(key)
    }
}

/// An owned OpenSSL `EVP_PKEY`, freed exactly once.
///
/// Building an `EVP_PKEY` costs more than a signature check, so ``PublicKey`` and ``PrivateKey`` build it
/// once and keep it in this box.
// @unchecked Sendable: `pointer` is set once in init and freed once in deinit; nothing modifies the key after it
// was built, and OpenSSL 3 allows one EVP_PKEY to be used read-only from many threads at once (its reference
// count is atomic and every sign or verify makes its own EVP_PKEY_CTX / EVP_MD_CTX).
final class EVPKey: @unchecked Sendable {
    /// The `EVP_PKEY *`.
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }
}

/// Shares one swift-crypto key value between copies of ``PublicKey`` or ``PrivateKey``.
// @unchecked Sendable: `value` is a `let` of an immutable swift-crypto key (a BoringSSL EC_KEY that is only read
// by sign and verify, which BoringSSL documents as safe to call concurrently on one key).
final class SharedKey<Value>: @unchecked Sendable {
    /// The wrapped key.
    let value: Value

    init(_ value: Value) { self.value = value }
}
