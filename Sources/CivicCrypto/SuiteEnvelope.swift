/// Envelope encryption to a recipient's public key: what an exchange gateway sends a grantee (Docs/0015).
///
/// A fresh content key seals the data with the suite's cipher (``SuiteCipher``); the content key reaches the
/// recipient through their public key:
/// - `sm`: a random SM4 key, wrapped with SM2 public-key encryption (GB/T 32918.4, SM3 inside), whose output is the
///   DER `SM2Cipher` that `openssl pkeyutl -encrypt` writes for an SM2 key and `openssl pkeyutl -decrypt` reads;
/// - `intl`: ECIES: an ephemeral P-256 key agreed with the recipient's key (ECDH), HKDF-SHA256 to an AES-256 key.
///
/// Layout, version 1 (every integer big-endian):
///
///     envelope  = version (1 byte, 0x01) || suite (1 byte, CryptoSuite raw value) || keyPart || sealed
///     keyPart   = sm:   length (2 bytes, 1...``wrappedKeyByteCountMax``) || SM2Cipher DER of the 16-byte SM4 key
///                 intl: the ephemeral public key, 65-byte uncompressed point 04 || X || Y
///     sealed    = nonce (12) || ciphertext || tag (16)          (SuiteCipher's layout)
///     AEAD data = version || suite || keyPart || associatedData
///
/// The header and the key part are authenticated by the cipher, so none of their bytes can change unnoticed, and
/// the caller's `associatedData` (a grant id, a catalog entry) is bound without being sent.
///
///     SM2Cipher ::= SEQUENCE {                 -- GB/T 35276-2017 §7.2 (GM/T 0009)
///         XCoordinate INTEGER,                  -- x of C1 = [k]G
///         YCoordinate INTEGER,                  -- y of C1
///         HASH        OCTET STRING SIZE(32),    -- C3 = SM3(x2 || M || y2)
///         CipherText  OCTET STRING }            -- C2 = M xor KDF(x2 || y2, klen)
///
/// intl key derivation (RFC 5869): `ikm` = the ECDH shared x-coordinate (32 bytes),
/// `salt` = ASCII `CivicLedger SuiteEnvelope v1`, `info` = ASCII `civicledger/envelope/v1/intl` || ephemeral public
/// key (65) || recipient public key (65), output 32 bytes = the AES-256-GCM key.
public enum SuiteEnvelope {
    /// The layout version written first in every envelope.
    public static let formatVersion: UInt8 = 1
    /// The longest SM2-wrapped key accepted: the DER of a 16-byte message is at most 124 bytes.
    public static let wrappedKeyByteCountMax = 200

    /// Encrypts `plaintext` to `recipient`, binding `associatedData` (which the recipient must present to open it).
    ///
    /// Each call uses a fresh content key, nonce and (SM2 or ECDH) ephemeral key, so sealing the same data twice
    /// gives different bytes.
    /// - Precondition: `plaintext` is shorter than the cipher's limit (about 64 GiB); the libraries do not fail on a
    ///   valid key.
    public static func seal(_ plaintext: [UInt8], to recipient: PublicKey, associatedData: [UInt8] = []) -> [UInt8] {
        do {
            let (header, contentKey) = try wrapFreshKey(for: recipient)
            return header + (try SuiteCipher.seal(plaintext: plaintext, key: contentKey,
                                                  authenticating: header + associatedData))
        } catch {
            preconditionFailure("sealing an envelope to a valid \(recipient.suite) key failed: \(error)")
        }
    }

    /// Checks and decrypts an envelope made by ``seal(_:to:associatedData:)`` for `recipient`'s public key.
    /// - Throws: ``CryptoError/malformedCiphertext(_:)`` for bytes too short to be an envelope, another version or
    ///   an unknown suite tag; ``CryptoError/wrongSuite(expected:actual:)`` when the envelope is for the other suite
    ///   than `recipient`; ``CryptoError/decryptionFailed`` for the wrong key, wrong `associatedData` or any altered
    ///   byte.
    public static func open(
        _ envelope: [UInt8], with recipient: PrivateKey, associatedData: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        let parsed = try Parsed(envelope)
        guard parsed.suite == recipient.suite else {
            throw .wrongSuite(expected: recipient.suite, actual: parsed.suite)
        }
        let contentKey = try unwrapKey(parsed, with: recipient)
        return try SuiteCipher.open(Array(parsed.sealed), key: contentKey,
                                    authenticating: Array(parsed.header) + associatedData)
    }

    /// The suite an envelope says it is for, without decrypting it.
    /// - Throws: ``CryptoError/malformedCiphertext(_:)`` as ``open(_:with:associatedData:)``.
    public static func suite(of envelope: [UInt8]) throws(CryptoError) -> CryptoSuite {
        try Parsed(envelope).suite
    }

    /// An envelope split into its parts; only the lengths are checked.
    struct Parsed {
        var suite: CryptoSuite
        /// `version || suite || keyPart`.
        var header: ArraySlice<UInt8>
        /// The key part without its length prefix: the SM2Cipher DER or the ephemeral point.
        var wrappedKey: ArraySlice<UInt8>
        /// `nonce || ciphertext || tag`.
        var sealed: ArraySlice<UInt8>

        init(_ bytes: [UInt8]) throws(CryptoError) {
            guard bytes.count >= 2 else { throw .malformedCiphertext("an envelope starts with a version and a suite") }
            guard bytes[0] == SuiteEnvelope.formatVersion else {
                throw .malformedCiphertext("envelope version \(bytes[0]) is not \(SuiteEnvelope.formatVersion)")
            }
            guard let suite = CryptoSuite(rawValue: bytes[1]) else {
                throw .malformedCiphertext("unknown suite tag \(bytes[1])")
            }
            var keyStart = 2
            let keyCount: Int
            switch suite {
            case .sm:
                guard bytes.count >= 4 else { throw .malformedCiphertext("the envelope ends inside the key length") }
                keyCount = Int(bytes[2]) << 8 | Int(bytes[3])
                keyStart = 4
                guard (1...SuiteEnvelope.wrappedKeyByteCountMax).contains(keyCount) else {
                    throw .malformedCiphertext("a wrapped SM4 key of \(keyCount) bytes")
                }
            case .intl:
                keyCount = PublicKey.byteCount
            }
            let sealedStart = keyStart + keyCount
            let sealedMin = SuiteCipher.nonceByteCount(suite) + SuiteCipher.tagByteCount(suite)
            guard bytes.count >= sealedStart + sealedMin else {
                throw .malformedCiphertext("\(bytes.count) bytes are too few for a \(suite) envelope")
            }
            self.suite = suite
            header = bytes[..<sealedStart]
            wrappedKey = bytes[keyStart..<sealedStart]
            sealed = bytes[sealedStart...]
        }
    }
}
