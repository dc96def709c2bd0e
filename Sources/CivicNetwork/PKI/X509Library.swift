import COpenSSL
import CivicCrypto

/// Small helpers around OpenSSL libcrypto's X.509 and key functions for the PKI.
enum X509Library {
    /// Drains OpenSSL's thread-local error queue into one readable line (empty queue: `fallback`).
    static func drainErrors(_ fallback: String) -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? fallback : "\(fallback) (\(messages.joined(separator: "; ")))"
    }

    /// Clears the error queue after an expected failure.
    static func clearErrors() { ERR_clear_error() }

    /// The bytes written to a memory BIO by `body`, or `nil` if `body` did not return 1.
    static func writeToMemory(_ body: (OpaquePointer) -> Int32) -> [UInt8]? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard body(bio) == 1 else { return nil }
        var data: UnsafeMutablePointer<CChar>? = nil
        let count = civic_BIO_get_mem_data(bio, &data)
        guard count > 0, let data else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: count))
    }

    /// The first attribute `nid` of `name` as UTF-8, or `""`.
    static func nameAttribute(_ name: OpaquePointer?, _ nid: Int32) -> String {
        guard let name else { return "" }
        let index = X509_NAME_get_index_by_NID(name, nid, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry)
        else { return "" }
        var utf8: UnsafeMutablePointer<UInt8>? = nil
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return "" }
        defer { civic_OPENSSL_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    /// Every attribute `nid` of `name` as UTF-8, in order.
    static func nameAttributes(_ name: OpaquePointer?, _ nid: Int32) -> [String] {
        guard let name else { return [] }
        var values: [String] = []
        var index = X509_NAME_get_index_by_NID(name, nid, -1)
        while index >= 0 {
            if let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry) {
                var utf8: UnsafeMutablePointer<UInt8>? = nil
                let length = ASN1_STRING_to_UTF8(&utf8, data)
                if length >= 0, let utf8 {
                    values.append(String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self))
                    civic_OPENSSL_free(utf8)
                }
            }
            index = X509_NAME_get_index_by_NID(name, nid, index)
        }
        return values
    }

    /// `name` in RFC 2253 form (`CN=...,O=...`).
    static func nameText(_ name: OpaquePointer?) -> String {
        guard let name, let bytes = writeToMemory({ civic_X509_NAME_print($0, name) }) else { return "?" }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An owned `EVP_PKEY` of `publicKey`, and, when given, its private scalar.
    /// - Throws: ``PKIError/invalidInput(_:)`` if OpenSSL refuses the key.
    static func makeKey(_ publicKey: PublicKey, privateKey: PrivateKey? = nil) throws(PKIError) -> KeyObject {
        let keyType = publicKey.suite == .sm ? "SM2" : "EC"
        let group = publicKey.suite == .sm ? "SM2" : "prime256v1"
        let point = publicKey.rawRepresentation
        let key: OpaquePointer? = point.withUnsafeBufferPointer { point in
            guard let scalar = privateKey?.rawRepresentation else {
                return civic_make_ec_key(keyType, group, point.baseAddress, point.count, nil, 0)
            }
            return scalar.withUnsafeBufferPointer { scalar in
                civic_make_ec_key(keyType, group, point.baseAddress, point.count, scalar.baseAddress, scalar.count)
            }
        }
        guard let key else { throw .invalidInput(drainErrors("OpenSSL refused a \(publicKey.suite) key")) }
        return KeyObject(owning: key)
    }
}

/// An owned OpenSSL `EVP_PKEY *`, freed exactly once.
final class KeyObject {
    /// The `EVP_PKEY *`.
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(owning pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }
}
