import COpenSSL
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Authenticated encryption of the chain's suite, for data kept off-chain or sent between departments.
///
/// - `sm`: SM4-GCM (RFC 8998, GB/T 36624) with a 16-byte key; see ``SM4GCM`` for how it is built on OpenSSL 3.0.
/// - `intl`: AES-256-GCM (swift-crypto) with a 32-byte key.
///
/// Both seal to the same layout, `nonce (12) || ciphertext || tag (16)`, which is the "combined" form other GCM
/// libraries read (swift-crypto's `AES.GCM.SealedBox(combined:)`, Python `cryptography` with the nonce split off).
public enum SuiteCipher {
    /// A secret key of one suite: 16 bytes for SM4, 32 bytes for AES-256.
    public struct Key: Sendable, Equatable {
        /// The suite whose cipher the key is for.
        public let suite: CryptoSuite
        /// The secret bytes (``SuiteCipher/keyByteCount(_:)`` of them).
        public let rawRepresentation: [UInt8]

        /// Wraps secret bytes.
        /// - Throws: ``CryptoError/invalidKey(_:)`` unless there are ``SuiteCipher/keyByteCount(_:)`` of them.
        public init(suite: CryptoSuite, rawRepresentation: [UInt8]) throws(CryptoError) {
            guard rawRepresentation.count == SuiteCipher.keyByteCount(suite) else {
                throw .invalidKey("a \(suite) symmetric key is \(SuiteCipher.keyByteCount(suite)) bytes, "
                                  + "got \(rawRepresentation.count)")
            }
            self.suite = suite
            self.rawRepresentation = rawRepresentation
        }

        /// A fresh key from OpenSSL's private random generator.
        public static func generate(suite: CryptoSuite) -> Key {
            var bytes = [UInt8](repeating: 0, count: keyByteCount(suite))
            precondition(RAND_priv_bytes(&bytes, Int32(bytes.count)) == 1, "OpenSSL's random generator failed")
            return Key(unchecked: bytes, suite: suite)
        }

        private init(unchecked bytes: [UInt8], suite: CryptoSuite) {
            self.suite = suite
            self.rawRepresentation = bytes
        }
    }

    /// Key byte count of `suite`: 16 for SM4, 32 for AES-256.
    public static func keyByteCount(_ suite: CryptoSuite) -> Int {
        suite == .sm ? 16 : 32
    }

    /// Nonce byte count: 12 (96 bits) for both suites.
    public static func nonceByteCount(_ suite: CryptoSuite) -> Int { 12 }

    /// Tag byte count: 16 (128 bits) for both suites.
    public static func tagByteCount(_ suite: CryptoSuite) -> Int { 16 }

    /// Encrypts and authenticates `plaintext`, and authenticates `authenticating` without encrypting it.
    /// - Parameter nonce: `nil` for a fresh random one (the normal case); a caller-chosen nonce must never repeat
    ///   under one key and must be 12 bytes.
    /// - Returns: `nonce || ciphertext || tag`, the only thing ``open(_:key:authenticating:)`` needs.
    /// - Throws: ``CryptoError/invalidKey(_:)`` for a nonce of the wrong size, ``CryptoError/library(_:)``.
    public static func seal(
        plaintext: [UInt8], key: Key, nonce: [UInt8]? = nil, authenticating: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        let nonce = nonce ?? randomNonce()
        guard nonce.count == nonceByteCount(key.suite) else {
            throw .invalidKey("the nonce for \(key.suite) is \(nonceByteCount(key.suite)) bytes")
        }
        switch key.suite {
        case .intl:
            let sealed: Data?
            do {
                sealed = try AES.GCM.seal(
                    plaintext, using: SymmetricKey(data: key.rawRepresentation),
                    nonce: try AES.GCM.Nonce(data: nonce), authenticating: authenticating
                ).combined
            } catch {
                throw .library("AES-GCM sealing failed: \(error)")
            }
            guard let sealed else { throw .library("AES-GCM gave no combined box") }
            return Array(sealed)
        case .sm:
            return nonce + (try SM4GCM.seal(plaintext, key: key.rawRepresentation, nonce: nonce, aad: authenticating))
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
            let nonce = Array(sealed.prefix(SM4GCM.nonceByteCount))
            return try SM4GCM.open(sealed.dropFirst(SM4GCM.nonceByteCount), key: key.rawRepresentation,
                                   nonce: nonce, aad: authenticating)
        }
    }

    private static func randomNonce() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 12)
        precondition(RAND_bytes(&bytes, Int32(bytes.count)) == 1, "OpenSSL's random generator failed")
        return bytes
    }
}
