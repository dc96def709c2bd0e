import COpenSSL

/// PEM reading and writing through OpenSSL, shared by the ``PrivateKey`` and ``PublicKey`` PEM facets.
enum PEM {
    /// The suite of an EC key read by OpenSSL, from its curve: SM2 (OID 1.2.156.10197.1.301) or P-256
    /// (OID 1.2.840.10045.3.1.7).
    /// - Throws: ``CryptoError/invalidKey(_:)`` for any other key type or curve.
    static func suite(of key: OpaquePointer) throws(CryptoError) -> CryptoSuite {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(key, &buffer, buffer.count, &length) == 1 else {
            OpenSSL.clearErrors()
            throw .invalidKey("the PEM key is not an elliptic-curve key")
        }
        let name = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch name {
        case "SM2": return .sm
        case "prime256v1", "P-256", "secp256r1": return .intl
        default: throw .invalidKey("the PEM key is on curve \(name), expected SM2 or P-256")
        }
    }

    /// A big-number parameter of `key` (`priv`, `qx`, `qy`) as 32 big-endian bytes.
    static func parameter(_ name: String, of key: OpaquePointer) throws(CryptoError) -> [UInt8] {
        var bignum: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(key, name, &bignum) == 1, let bignum else {
            throw .invalidKey(OpenSSL.drainErrors("the PEM key has no '\(name)'"))
        }
        defer { BN_clear_free(bignum) }
        var out = [UInt8](repeating: 0, count: 32)
        guard BN_bn2binpad(bignum, &out, 32) == 32 else { throw .invalidKey("'\(name)' is longer than 32 bytes") }
        return out
    }

    /// Reads one PEM object with `read` (which gets a memory BIO), refusing encrypted keys.
    static func read(
        _ pem: String, what: String, _ read: (OpaquePointer) -> OpaquePointer?
    ) throws(CryptoError) -> EVPKey {
        guard !pem.contains("ENCRYPTED") else { throw .invalidKey("encrypted PEM keys are not supported") }
        OpenSSL.clearErrors()
        guard let key = OpenSSL.withMemoryBIO(Array(pem.utf8), read) ?? nil else {
            throw .invalidKey(OpenSSL.drainErrors("not a PEM \(what)"))
        }
        return EVPKey(key)
    }

    /// Writes `key` as PEM with `write` (which gets a memory BIO).
    static func write(_ key: EVPKey, _ write: (OpaquePointer, OpaquePointer) -> Int32) -> String {
        guard let bytes = OpenSSL.writeToMemory({ write($0, key.pointer) }) else {
            preconditionFailure(OpenSSL.drainErrors("OpenSSL could not write a valid key as PEM"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Refuses to prompt for a PEM password: encrypted keys fail instead of blocking on the terminal.
let pemNoPassword: @convention(c) (
    UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?
) -> Int32 = { _, _, _, _ in -1 }
