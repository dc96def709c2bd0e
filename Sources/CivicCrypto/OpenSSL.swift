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
        guard let builder = OSSL_PARAM_BLD_new() else { throw .library("OSSL_PARAM_BLD_new failed") }
        defer { OSSL_PARAM_BLD_free(builder) }
        var scalar: OpaquePointer? = nil
        defer { if let scalar { BN_clear_free(scalar) } }
        var pushed = OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, groupName(suite), 0) == 1
        pushed = pushed && publicPoint.withUnsafeBytes {
            OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, $0.baseAddress, $0.count) == 1
        }
        if let privateScalar {
            scalar = privateScalar.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
            pushed = pushed && scalar != nil && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_PRIV_KEY, scalar) == 1
        }
        guard pushed, let params = OSSL_PARAM_BLD_to_param(builder) else {
            throw .library(drainErrors("could not build key parameters"))
        }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, keyType(suite), nil) else {
            throw .library(drainErrors("OpenSSL has no \(keyType(suite)) key management"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer? = nil
        let selection = privateScalar == nil ? civic_EVP_PKEY_PUBLIC_KEY() : civic_EVP_PKEY_KEYPAIR()
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, selection, params) == 1,
              let key
        else {
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
