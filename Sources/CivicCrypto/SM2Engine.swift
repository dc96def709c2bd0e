import COpenSSL

/// SM2-with-SM3 signatures (GB/T 32918.2, GM/T 0009) through OpenSSL libcrypto 3.0.
///
/// Keys are `EVP_PKEY`s of OpenSSL's `SM2` key type on the recommended curve sm2p256v1, built once per key
/// (see ``EVPKey``). Every signature hashes `Z || M` with SM3, where `Z` is computed from the GM/T 0009 default
/// user id `1234567812345678`; OpenSSL works out `Z` and the digest `e` itself.
enum SM2Engine {
    /// The GM/T 0009-2012 default signer identity, `1234567812345678` in ASCII.
    static let defaultUserID: [UInt8] = Array("1234567812345678".utf8)

    /// `n - 1`, where `n` is the order of sm2p256v1 (GB/T 32918.5):
    /// `n = FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123`.
    /// GB/T 32918.1 §6.1 takes private keys from `[1, n-2]`, i.e. below `n - 1`.
    static let orderMinusOne: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x72, 0x03, 0xDF, 0x6B, 0x21, 0xC6, 0x05, 0x2B, 0x53, 0xBB, 0xF4, 0x09, 0x39, 0xD5, 0x41, 0x22,
    ]

    /// Whether `scalar` is 32 bytes in `[1, n-2]`.
    static func isValidScalar(_ scalar: [UInt8]) -> Bool {
        guard scalar.count == 32, scalar.contains(where: { $0 != 0 }) else { return false }
        return scalar.lexicographicallyPrecedes(orderMinusOne)
    }

    /// Builds and validates the `EVP_PKEY` of an uncompressed point `04 || X || Y`.
    /// - Throws: ``CryptoError/invalidKey(_:)`` if the point is not on sm2p256v1.
    static func publicKey(_ raw: [UInt8]) throws(CryptoError) -> EVPKey {
        guard raw.count == PublicKey.byteCount, raw.first == 0x04 else {
            throw .invalidKey("a public key is 65 bytes starting with 04 (uncompressed point)")
        }
        return try OpenSSL.makeKey(suite: .sm, publicPoint: raw, privateScalar: nil)
    }

    /// Builds the `EVP_PKEY` of a key pair.
    /// - Throws: ``CryptoError/invalidKey(_:)`` if OpenSSL refuses the pair.
    static func privateKey(scalar: [UInt8], publicPoint: [UInt8]) throws(CryptoError) -> EVPKey {
        try OpenSSL.makeKey(suite: .sm, publicPoint: publicPoint, privateScalar: scalar)
    }

    /// `[d]G` as `04 || X || Y`.
    /// - Throws: ``CryptoError/invalidKey(_:)`` unless `d` is 32 bytes in `[1, n-2]`.
    static func derivePublicKey(_ scalar: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard isValidScalar(scalar) else {
            throw .invalidKey("an SM2 private key is a 32-byte number from 1 to n-2")
        }
        let group = SharedAlgorithms.shared.sm2Group
        guard let point = EC_POINT_new(group), let context = BN_CTX_secure_new() else {
            throw .library("could not allocate an EC point")
        }
        defer { EC_POINT_free(point); BN_CTX_free(context) }
        guard let bignum = scalar.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, 32, nil) }) else {
            throw .library("BN_bin2bn failed")
        }
        defer { BN_clear_free(bignum) }
        BN_set_flags(bignum, BN_FLG_CONSTTIME)
        guard EC_POINT_mul(group, point, bignum, nil, nil, context) == 1 else {
            throw .library(OpenSSL.drainErrors("EC_POINT_mul failed"))
        }
        var out = [UInt8](repeating: 0, count: PublicKey.byteCount)
        let written = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &out, out.count, context)
        guard written == PublicKey.byteCount else { throw .library(OpenSSL.drainErrors("EC_POINT_point2oct failed")) }
        return out
    }

    /// A fresh private scalar from OpenSSL's private random generator, uniform in `[1, n-2]`.
    static func generatePrivateScalar() -> [UInt8] {
        var scalar = [UInt8](repeating: 0, count: 32)
        repeat {
            precondition(RAND_priv_bytes(&scalar, 32) == 1, "OpenSSL's random generator failed")
        } while !isValidScalar(scalar)
        return scalar
    }

    /// Signs `message` with SM2-with-SM3 and the default user id; returns `r || s`.
    /// - Throws: ``CryptoError/library(_:)`` if OpenSSL fails.
    static func sign(key: EVPKey, message: some ContiguousBytesView) throws(CryptoError) -> Signature {
        let der: [UInt8]? = withDigestContext(key: key) { context in
            var der = [UInt8](repeating: 0, count: 80)
            var length = der.count
            let signed = message.withBytes { EVP_DigestSign(context, &der, &length, $0.baseAddress, $0.count) }
            guard signed == 1 else { return nil }
            return Array(der[..<length])
        } ?? nil
        guard let der else { throw .library(OpenSSL.drainErrors("SM2 signing failed")) }
        return try Signature(derRepresentation: der)
    }

    /// Whether `signature` is a valid SM2-with-SM3 signature of `message` by `key` under the default user id.
    static func verify(key: EVPKey, signature: Signature, message: some ContiguousBytesView) -> Bool {
        let der = signature.derRepresentation
        let valid = withDigestContext(key: key, verifying: true) { context in
            message.withBytes { buffer in
                EVP_DigestVerify(context, der, der.count, buffer.baseAddress, buffer.count) == 1
            }
        } ?? false
        if !valid { OpenSSL.clearErrors() }
        return valid
    }

    /// Runs `body` with an `EVP_MD_CTX` set up for SM3 signing or verifying with the default user id.
    private static func withDigestContext<R>(
        key: EVPKey, verifying: Bool = false, _ body: (OpaquePointer) -> R
    ) -> R? {
        // The documented SM2 sequence (OpenSSL's SM2(7)): a key context carrying the id, handed to the digest
        // context before the init call. EVP_MD_CTX_free does not free a context set this way, so we free it, after
        // the digest context (defers run in reverse order).
        guard let keyContext = EVP_PKEY_CTX_new(key.pointer, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(keyContext) }
        guard let digestContext = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(digestContext) }
        guard EVP_PKEY_CTX_set1_id(keyContext, defaultUserID, Int32(defaultUserID.count)) == 1 else { return nil }
        EVP_MD_CTX_set_pkey_ctx(digestContext, keyContext)
        let initialised = verifying
            ? EVP_DigestVerifyInit(digestContext, nil, SharedAlgorithms.shared.sm3, nil, key.pointer)
            : EVP_DigestSignInit(digestContext, nil, SharedAlgorithms.shared.sm3, nil, key.pointer)
        guard initialised == 1 else { return nil }
        return body(digestContext)
    }
}

/// OpenSSL objects fetched once per process: the sm2p256v1 group and the SM3 digest.
// @unchecked Sendable: both pointers are created once (the first time `shared` is read, which Swift makes
// thread-safe) and never freed or modified; OpenSSL only reads an EC_GROUP during point arithmetic and an EVP_MD
// during hashing, so concurrent use from many threads is safe.
final class SharedAlgorithms: @unchecked Sendable {
    /// The shared instance.
    static let shared = SharedAlgorithms()

    /// `EC_GROUP *` of sm2p256v1.
    let sm2Group: OpaquePointer
    /// `EVP_MD *` of SM3, fetched explicitly so that each operation skips the implicit fetch.
    let sm3: OpaquePointer

    private init() {
        guard let group = EC_GROUP_new_by_curve_name(civic_NID_sm2()) else {
            preconditionFailure("OpenSSL has no sm2p256v1 curve (needs OpenSSL 3.0 with SM2)")
        }
        guard let sm3 = EVP_MD_fetch(nil, "SM3", nil) else {
            preconditionFailure("OpenSSL has no SM3 (needs OpenSSL 3.0 with SM3)")
        }
        self.sm2Group = group
        self.sm3 = sm3
    }
}
