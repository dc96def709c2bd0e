import COpenSSL
import Crypto

extension SuiteEnvelope {
    /// HKDF salt of the `intl` suite.
    static let hkdfSalt: [UInt8] = Array("CivicLedger SuiteEnvelope v1".utf8)
    /// HKDF info prefix of the `intl` suite; the ephemeral and the recipient public keys follow it.
    static let hkdfInfoPrefix: [UInt8] = Array("civicledger/envelope/v1/intl".utf8)

    /// A fresh content key and the envelope header (`version || suite || keyPart`) that carries it to `recipient`.
    /// - Throws: ``CryptoError/library(_:)`` if a library fails.
    static func wrapFreshKey(for recipient: PublicKey) throws(CryptoError) -> (header: [UInt8], key: SuiteCipher.Key) {
        let prefix = [formatVersion, recipient.suite.rawValue]
        switch recipient.handle {
        case .sm2(let key):
            let contentKey = SuiteCipher.Key.generate(suite: .sm)
            let wrapped = try SM2Encryption.encrypt(contentKey.rawRepresentation, to: key)
            precondition((1...wrappedKeyByteCountMax).contains(wrapped.count), "SM2 wrapped a key to an odd size")
            return (prefix + [UInt8(wrapped.count >> 8), UInt8(wrapped.count & 0xFF)] + wrapped, contentKey)
        case .p256:
            let ephemeral = P256.KeyAgreement.PrivateKey()
            let ephemeralPoint = Array(ephemeral.publicKey.x963Representation)
            let key = try agreedKey(ephemeral: ephemeral, peer: recipient.rawRepresentation,
                                    ephemeralPoint: ephemeralPoint, recipientPoint: recipient.rawRepresentation)
            return (prefix + ephemeralPoint, key)
        }
    }

    /// The content key of `parsed`, recovered with `recipient`.
    /// - Throws: ``CryptoError/decryptionFailed`` if the key part does not open with `recipient`.
    static func unwrapKey(_ parsed: Parsed, with recipient: PrivateKey) throws(CryptoError) -> SuiteCipher.Key {
        switch recipient.handle {
        case .sm2(let key):
            let raw = try SM2Encryption.decrypt(Array(parsed.wrappedKey), with: key)
            guard raw.count == SuiteCipher.keyByteCount(.sm) else { throw .decryptionFailed }
            return try SuiteCipher.Key(suite: .sm, rawRepresentation: raw)
        case .p256:
            let own: P256.KeyAgreement.PrivateKey
            do {
                own = try P256.KeyAgreement.PrivateKey(rawRepresentation: recipient.rawRepresentation)
            } catch {
                throw .invalidKey("not a valid P-256 private scalar")
            }
            // A point that is not on P-256 means the key part was altered.
            guard (try? P256.KeyAgreement.PublicKey(x963Representation: Array(parsed.wrappedKey))) != nil else {
                throw .decryptionFailed
            }
            let ephemeralPoint = Array(parsed.wrappedKey)
            return try agreedKey(ephemeral: own, peer: ephemeralPoint, ephemeralPoint: ephemeralPoint,
                                 recipientPoint: recipient.publicKey.rawRepresentation)
        }
    }

    /// HKDF-SHA256 over the ECDH secret of `ephemeral` (either side's private key) and `peer`.
    private static func agreedKey(
        ephemeral: P256.KeyAgreement.PrivateKey, peer: [UInt8], ephemeralPoint: [UInt8], recipientPoint: [UInt8]
    ) throws(CryptoError) -> SuiteCipher.Key {
        let raw: [UInt8]
        do {
            let secret = try ephemeral.sharedSecretFromKeyAgreement(
                with: try P256.KeyAgreement.PublicKey(x963Representation: peer))
            let key = secret.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: hkdfSalt, sharedInfo: hkdfInfoPrefix + ephemeralPoint + recipientPoint,
                outputByteCount: SuiteCipher.keyByteCount(.intl))
            raw = key.withUnsafeBytes { Array($0) }
        } catch {
            throw .decryptionFailed
        }
        return try SuiteCipher.Key(suite: .intl, rawRepresentation: raw)
    }
}

/// SM2 public-key encryption (GB/T 32918.4) through OpenSSL 3.0's `EVP_PKEY_encrypt` on an SM2 key, with SM3 as
/// the hash (OpenSSL's default). Ciphertexts are the DER `SM2Cipher` (C1 x, C1 y, C3, C2) that
/// `openssl pkeyutl -encrypt`/`-decrypt` write and read.
enum SM2Encryption {
    /// Encrypts `plaintext` to the SM2 public key `key`.
    /// - Throws: ``CryptoError/library(_:)`` if OpenSSL fails.
    static func encrypt(_ plaintext: [UInt8], to key: EVPKey) throws(CryptoError) -> [UInt8] {
        guard let ciphertext = run(plaintext, key: key, encrypting: true) else {
            throw .library(OpenSSL.drainErrors("SM2 encryption failed"))
        }
        return ciphertext
    }

    /// Decrypts a DER `SM2Cipher` with the SM2 key pair `key`.
    /// - Throws: ``CryptoError/decryptionFailed`` for a wrong key or altered or malformed bytes.
    static func decrypt(_ ciphertext: [UInt8], with key: EVPKey) throws(CryptoError) -> [UInt8] {
        guard let plaintext = run(ciphertext, key: key, encrypting: false) else {
            OpenSSL.clearErrors()
            throw .decryptionFailed
        }
        return plaintext
    }

    private static func run(_ input: [UInt8], key: EVPKey, encrypting: Bool) -> [UInt8]? {
        OpenSSL.clearErrors()
        guard let context = EVP_PKEY_CTX_new(key.pointer, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        guard (encrypting ? EVP_PKEY_encrypt_init(context) : EVP_PKEY_decrypt_init(context)) == 1 else { return nil }
        func step(_ out: UnsafeMutablePointer<UInt8>?, _ length: inout Int) -> Bool {
            encrypting
                ? EVP_PKEY_encrypt(context, out, &length, input, input.count) == 1
                : EVP_PKEY_decrypt(context, out, &length, input, input.count) == 1
        }
        var length = 0
        guard step(nil, &length) else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        guard out.withUnsafeMutableBufferPointer({ step($0.baseAddress, &length) }) else { return nil }
        return Array(out[..<length])
    }
}
