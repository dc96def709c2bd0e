import COpenSSL
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Authenticated encryption of the chain's suite, for data kept off-chain or sent between departments.
///
/// - `intl`: AES-256-GCM (swift-crypto). Sealed form: `nonce (12) || ciphertext || tag (16)`.
/// - `sm`: OpenSSL 3.0 has no SM4-GCM (it arrives in 3.2), so the suite uses SM4-CBC with PKCS#7 padding and
///   HMAC-SM3 in encrypt-then-MAC order. Sealed form: `iv (16) || ciphertext || tag (32)`, where
///   `tag = HMAC-SM3(macKey, len(aad) as 8 bytes big-endian || aad || iv || ciphertext)`. The tag is checked in
///   constant time before anything is decrypted, so padding errors are never observable. The SM4 key and the
///   MAC key are derived from the 32-byte key: `HMAC-SM3(key, "CivicLedger SM4-CBC key")[0..<16]` and
///   `HMAC-SM3(key, "CivicLedger HMAC-SM3 key")`.
public enum SuiteCipher {
    /// A 32-byte secret key of one suite.
    public struct Key: Sendable, Equatable {
        /// Byte count of every key.
        public static let byteCount = 32

        /// The suite whose cipher the key is for.
        public let suite: CryptoSuite
        /// The 32 secret bytes.
        public let rawRepresentation: [UInt8]

        /// Wraps 32 secret bytes.
        /// - Throws: ``CryptoError/invalidKey(_:)`` for any other length.
        public init(suite: CryptoSuite, rawRepresentation: [UInt8]) throws(CryptoError) {
            guard rawRepresentation.count == Key.byteCount else {
                throw .invalidKey("a symmetric key is 32 bytes, got \(rawRepresentation.count)")
            }
            self.suite = suite
            self.rawRepresentation = rawRepresentation
        }

        /// A fresh random key.
        public static func generate(suite: CryptoSuite) -> Key {
            var bytes = [UInt8](repeating: 0, count: byteCount)
            precondition(RAND_priv_bytes(&bytes, Int32(byteCount)) == 1, "OpenSSL's random generator failed")
            return Key(unchecked: bytes, suite: suite)
        }

        private init(unchecked bytes: [UInt8], suite: CryptoSuite) {
            self.suite = suite
            self.rawRepresentation = bytes
        }
    }

    /// Nonce byte count of `suite`: 12 for AES-GCM, 16 (the CBC IV) for SM4.
    public static func nonceByteCount(_ suite: CryptoSuite) -> Int {
        suite == .sm ? SM4.blockByteCount : 12
    }

    /// Tag byte count of `suite`: 16 for AES-GCM, 32 for HMAC-SM3.
    public static func tagByteCount(_ suite: CryptoSuite) -> Int {
        suite == .sm ? 32 : 16
    }

    /// Encrypts and authenticates `plaintext`, and authenticates `authenticating` without encrypting it.
    /// - Parameter nonce: `nil` for a fresh random one (the normal case); a caller-chosen nonce must never repeat
    ///   under one key and must be ``nonceByteCount(_:)`` bytes.
    /// - Returns: the sealed bytes described above, the only thing ``open(_:key:authenticating:)`` needs.
    /// - Throws: ``CryptoError/invalidKey(_:)`` for a nonce of the wrong size, ``CryptoError/library(_:)``.
    public static func seal(
        plaintext: [UInt8], key: Key, nonce: [UInt8]? = nil, authenticating: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        let nonce = nonce ?? randomBytes(nonceByteCount(key.suite))
        guard nonce.count == nonceByteCount(key.suite) else {
            throw .invalidKey("the nonce for \(key.suite) is \(nonceByteCount(key.suite)) bytes")
        }
        switch key.suite {
        case .intl:
            do {
                let box = try AES.GCM.seal(
                    plaintext, using: SymmetricKey(data: key.rawRepresentation),
                    nonce: try AES.GCM.Nonce(data: nonce), authenticating: authenticating)
                guard let combined = box.combined else { throw CryptoError.library("AES-GCM gave no combined box") }
                return Array(combined)
            } catch {
                throw .library("AES-GCM sealing failed: \(error)")
            }
        case .sm:
            let keys = SM4CBCHMAC.subkeys(key.rawRepresentation)
            let ciphertext = try SM4CBCHMAC.cbc(encrypt: true, plaintext, key: keys.cipher, iv: nonce)
            var sealed = nonce + ciphertext
            sealed += SM4CBCHMAC.tag(key: keys.mac, aad: authenticating, body: sealed)
            return sealed
        }
    }

    /// Checks and decrypts bytes made by ``seal(plaintext:key:nonce:authenticating:)``.
    /// - Throws: ``CryptoError/decryptionFailed`` if the key is wrong or any byte of `sealed` or
    ///   `authenticating` was altered.
    public static func open(_ sealed: [UInt8], key: Key, authenticating: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        guard sealed.count >= nonceByteCount(key.suite) + tagByteCount(key.suite) else { throw .decryptionFailed }
        switch key.suite {
        case .intl:
            do {
                let box = try AES.GCM.SealedBox(combined: sealed)
                return Array(try AES.GCM.open(box, using: SymmetricKey(data: key.rawRepresentation),
                                              authenticating: authenticating))
            } catch {
                throw .decryptionFailed
            }
        case .sm:
            let keys = SM4CBCHMAC.subkeys(key.rawRepresentation)
            let body = Array(sealed.dropLast(32))
            let expected = SM4CBCHMAC.tag(key: keys.mac, aad: authenticating, body: body)
            let tagsMatch = expected.withUnsafeBytes { expected in
                sealed.withUnsafeBytes { CRYPTO_memcmp(expected.baseAddress, $0.baseAddress! + body.count, 32) == 0 }
            }
            guard tagsMatch, (body.count - 16) % 16 == 0, body.count > 16 else { throw .decryptionFailed }
            do {
                return try SM4CBCHMAC.cbc(encrypt: false, Array(body[16...]), key: keys.cipher, iv: Array(body[..<16]))
            } catch {
                throw .decryptionFailed
            }
        }
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        precondition(RAND_bytes(&bytes, Int32(count)) == 1, "OpenSSL's random generator failed")
        return bytes
    }
}

/// The pieces of SM4-CBC + HMAC-SM3 (see ``SuiteCipher``).
enum SM4CBCHMAC {
    /// HMAC-SM3 of `data` under `key`.
    static func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let done = HMAC(SharedAlgorithms.shared.sm3, key, Int32(key.count), data, data.count, &out, &length)
        precondition(done != nil && length == 32, "HMAC-SM3 failed")
        return out
    }

    /// The SM4 key and the MAC key derived from a 32-byte suite key.
    static func subkeys(_ key: [UInt8]) -> (cipher: [UInt8], mac: [UInt8]) {
        (Array(hmac(key: key, Array("CivicLedger SM4-CBC key".utf8)).prefix(16)),
         hmac(key: key, Array("CivicLedger HMAC-SM3 key".utf8)))
    }

    /// The tag over `len(aad) || aad || body` (body = iv || ciphertext).
    static func tag(key: [UInt8], aad: [UInt8], body: [UInt8]) -> [UInt8] {
        let length = UInt64(aad.count)
        var message = (0..<8).map { UInt8(truncatingIfNeeded: length >> (56 - 8 * UInt64($0))) }
        message.reserveCapacity(8 + aad.count + body.count)
        message += aad
        message += body
        return hmac(key: key, message)
    }

    /// SM4-CBC with PKCS#7 padding.
    static func cbc(encrypt: Bool, _ input: [UInt8], key: [UInt8], iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else { throw .library("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_CipherInit_ex(context, EVP_sm4_cbc(), nil, key, iv, encrypt ? 1 : 0) == 1 else {
            throw .library(OpenSSL.drainErrors("SM4-CBC is not available"))
        }
        var out = [UInt8](repeating: 0, count: input.count + 16)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = EVP_CipherUpdate(context, &out, &written, input, Int32(input.count)) == 1
            && out.withUnsafeMutableBufferPointer {
                EVP_CipherFinal_ex(context, $0.baseAddress! + Int(written), &final)
            } == 1
        guard ok else { throw .library(OpenSSL.drainErrors("SM4-CBC failed")) }
        return Array(out[..<Int(written + final)])
    }
}
