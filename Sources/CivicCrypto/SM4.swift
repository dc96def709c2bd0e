import COpenSSL

/// The SM4 block cipher (GB/T 32907-2016) through OpenSSL libcrypto 3.0.
///
/// Used by ``SuiteCipher`` for the `sm` suite, and directly by the official vector checks.
public enum SM4 {
    /// Key and block size in bytes.
    public static let blockByteCount = 16

    /// The GB/T 32907-2016 Appendix A example: key and plaintext `0123456789abcdeffedcba9876543210`.
    public static let exampleKey: [UInt8] = [
        0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    ]
    /// Example 1 ciphertext: one encryption of ``exampleKey`` under itself.
    public static let exampleCiphertext: [UInt8] = [
        0x68, 0x1E, 0xDF, 0x34, 0xD2, 0x06, 0x96, 0x5E, 0x86, 0xB3, 0xE9, 0x4F, 0x53, 0x6E, 0x42, 0x46,
    ]
    /// Example 2 ciphertext: 1,000,000 successive encryptions of ``exampleKey`` under itself.
    public static let exampleMillionRoundCiphertext: [UInt8] = [
        0x59, 0x52, 0x98, 0xC7, 0xC6, 0xFD, 0x27, 0x1F, 0x04, 0x02, 0xF8, 0x04, 0xC3, 0x3D, 0x3F, 0x66,
    ]

    /// Encrypts `block` `rounds` times in a row under `key` (SM4-ECB, no padding).
    /// - Precondition: `key` and `block` are 16 bytes and `rounds >= 1`.
    /// - Throws: ``CryptoError/library(_:)`` if OpenSSL fails.
    public static func encryptBlock(_ block: [UInt8], key: [UInt8], rounds: Int = 1) throws(CryptoError) -> [UInt8] {
        precondition(block.count == blockByteCount && key.count == blockByteCount, "SM4 keys and blocks are 16 bytes")
        precondition(rounds >= 1, "at least one round")
        guard let context = EVP_CIPHER_CTX_new() else { throw .library("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_EncryptInit_ex(context, EVP_sm4_ecb(), nil, key, nil) == 1,
              EVP_CIPHER_CTX_set_padding(context, 0) == 1
        else { throw .library(OpenSSL.drainErrors("SM4 is not available")) }
        var state = block
        var next = [UInt8](repeating: 0, count: blockByteCount)
        var length: Int32 = 0
        for _ in 0..<rounds {
            guard EVP_EncryptUpdate(context, &next, &length, state, Int32(blockByteCount)) == 1,
                  length == Int32(blockByteCount)
            else { throw .library(OpenSSL.drainErrors("SM4 encryption failed")) }
            swap(&state, &next)
        }
        return state
    }

    /// Encrypts whole blocks independently under `key` (SM4-ECB, no padding); used for GCM's subkeys.
    /// - Precondition: `key` is 16 bytes and `blocks.count` a multiple of 16.
    /// - Throws: ``CryptoError/library(_:)`` if OpenSSL fails.
    static func encryptBlocks(_ blocks: [UInt8], key: [UInt8]) throws(CryptoError) -> [UInt8] {
        precondition(key.count == blockByteCount && blocks.count % blockByteCount == 0, "whole SM4 blocks only")
        guard let context = EVP_CIPHER_CTX_new() else { throw .library("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: blocks.count)
        var length: Int32 = 0
        guard EVP_EncryptInit_ex(context, EVP_sm4_ecb(), nil, key, nil) == 1,
              EVP_CIPHER_CTX_set_padding(context, 0) == 1,
              EVP_EncryptUpdate(context, &out, &length, blocks, Int32(blocks.count)) == 1,
              Int(length) == blocks.count
        else { throw .library(OpenSSL.drainErrors("SM4 encryption failed")) }
        return out
    }

    /// Runs GB/T 32907-2016 Appendix A example 2 (1,000,000 rounds) and reports whether the result matches.
    ///
    /// Takes well under a second in release builds; `civic bench` runs it as the SM4 known-answer check.
    public static func millionRoundCheck() -> Bool {
        (try? encryptBlock(exampleKey, key: exampleKey, rounds: 1_000_000)) == exampleMillionRoundCiphertext
    }
}
