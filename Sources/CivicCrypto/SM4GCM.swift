import COpenSSL

/// SM4 in Galois/Counter Mode (NIST SP 800-38D with SM4 as the block cipher; RFC 8998 §3.1, GB/T 36624-2018).
///
/// OpenSSL 3.0 ships SM4-ECB/CBC/CTR but no SM4-GCM (that arrives in 3.2), so the mode is assembled here: the
/// counter mode is OpenSSL's SM4-CTR and GHASH is computed in Swift. Only 96-bit nonces are accepted, so
/// `J0 = nonce || 0x00000001` and the first counter block is `nonce || 0x00000002`. OpenSSL's CTR increments all
/// 128 bits while GCM increments only the low 32; they agree because a message is limited to `2^32 - 2` blocks
/// (SP 800-38D's own bound), so the low word never wraps. Tags are 16 bytes and checked in constant time before
/// anything is decrypted. Tests check RFC 8998's example and vectors made by an independent implementation.
enum SM4GCM {
    /// Nonce byte count (96 bits).
    static let nonceByteCount = 12
    /// Tag byte count (128 bits).
    static let tagByteCount = 16
    /// Longest plaintext: `2^32 - 2` blocks.
    static let plaintextByteCountMax = (1 << 32 - 2) * 16

    /// Encrypts `plaintext` and returns `ciphertext || tag`.
    /// - Throws: ``CryptoError/library(_:)`` if OpenSSL fails.
    static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], aad: [UInt8]) throws(CryptoError) -> [UInt8] {
        precondition(key.count == 16 && nonce.count == nonceByteCount, "SM4-GCM takes a 16-byte key and 12-byte nonce")
        guard plaintext.count <= plaintextByteCountMax else { throw .library("SM4-GCM message too long") }
        let (hashKey, tagMask) = try subkeys(key: key, nonce: nonce)
        let ciphertext = try counterMode(plaintext, key: key, nonce: nonce)
        return ciphertext + tag(hashKey: hashKey, tagMask: tagMask, aad: aad, ciphertext: ciphertext[...])
    }

    /// Checks the tag of `sealed` (`ciphertext || tag`) and returns the plaintext.
    /// - Throws: ``CryptoError/decryptionFailed`` if the tag does not match.
    static func open(_ sealed: ArraySlice<UInt8>, key: [UInt8], nonce: [UInt8], aad: [UInt8]) throws(CryptoError)
        -> [UInt8]
    {
        precondition(key.count == 16 && nonce.count == nonceByteCount, "SM4-GCM takes a 16-byte key and 12-byte nonce")
        guard sealed.count >= tagByteCount else { throw .decryptionFailed }
        let ciphertext = sealed.dropLast(tagByteCount)
        let (hashKey, tagMask) = try subkeys(key: key, nonce: nonce)
        let expected = tag(hashKey: hashKey, tagMask: tagMask, aad: aad, ciphertext: ciphertext)
        let received = Array(sealed.suffix(tagByteCount))
        guard CRYPTO_memcmp(expected, received, tagByteCount) == 0 else { throw .decryptionFailed }
        return try counterMode(Array(ciphertext), key: key, nonce: nonce)
    }

    /// `H = E(K, 0^128)` and `E(K, J0)`.
    private static func subkeys(key: [UInt8], nonce: [UInt8]) throws(CryptoError) -> (Block, [UInt8]) {
        let blocks = [UInt8](repeating: 0, count: 16) + nonce + [0, 0, 0, 1]
        let encrypted = try SM4.encryptBlocks(blocks, key: key)
        return (Block(encrypted[0..<16]), Array(encrypted[16..<32]))
    }

    /// SM4-CTR from the counter block `nonce || 0x00000002`.
    private static func counterMode(_ input: [UInt8], key: [UInt8], nonce: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard !input.isEmpty else { return [] }
        guard let context = EVP_CIPHER_CTX_new() else { throw .library("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        let counter = nonce + [0, 0, 0, 2]
        var out = [UInt8](repeating: 0, count: input.count)
        var written: Int32 = 0
        guard EVP_EncryptInit_ex(context, EVP_sm4_ctr(), nil, key, counter) == 1,
              EVP_EncryptUpdate(context, &out, &written, input, Int32(input.count)) == 1,
              Int(written) == input.count
        else { throw .library(OpenSSL.drainErrors("SM4-CTR failed")) }
        return out
    }

    /// `E(K, J0) xor GHASH_H(A || 0* || C || 0* || [len(A)]64 || [len(C)]64)`.
    private static func tag(hashKey: Block, tagMask: [UInt8], aad: [UInt8], ciphertext: ArraySlice<UInt8>) -> [UInt8] {
        var ghash = GHash(key: hashKey)
        ghash.absorb(aad[...])
        ghash.absorb(ciphertext)
        ghash.mix(Block(high: UInt64(aad.count) &* 8, low: UInt64(ciphertext.count) &* 8))
        return zip(ghash.state.bytes, tagMask).map { $0 ^ $1 }
    }

    /// A 128-bit GCM block as two big-endian halves.
    struct Block {
        var high: UInt64
        var low: UInt64

        init(high: UInt64, low: UInt64) {
            self.high = high
            self.low = low
        }

        /// The block of up to 16 bytes, zero-padded on the right.
        init(_ bytes: ArraySlice<UInt8>) {
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                if index < 8 { high |= UInt64(byte) << (56 - 8 * UInt64(index)) }
                else { low |= UInt64(byte) << (56 - 8 * UInt64(index - 8)) }
            }
            self.init(high: high, low: low)
        }

        var bytes: [UInt8] {
            (0..<16).map { index in
                let word = index < 8 ? high : low
                return UInt8(truncatingIfNeeded: word >> (56 - 8 * UInt64(index % 8)))
            }
        }

        /// Multiplication in GF(2^128) with GCM's bit order (SP 800-38D §6.3, Algorithm 1).
        func times(_ other: Block) -> Block {
            var z = Block(high: 0, low: 0)
            var v = other
            for bit in 0..<128 {
                let word = bit < 64 ? high : low
                if (word >> (63 - UInt64(bit % 64))) & 1 == 1 {
                    z.high ^= v.high
                    z.low ^= v.low
                }
                let carry = v.low & 1
                v.low = v.low >> 1 | v.high << 63
                v.high >>= 1
                if carry == 1 { v.high ^= 0xE100_0000_0000_0000 }
            }
            return z
        }
    }

    /// The GHASH function (SP 800-38D §6.4), multiplying by `H` with Shoup's 4-bit tables: sixteen multiples of
    /// `H` made once per key, then 32 table steps per block instead of 128 bit steps (``Block/times(_:)`` is the
    /// bit-by-bit definition the tests compare against).
    struct GHash {
        /// `table[i] = i · H` for each 4-bit `i`, in GCM's reflected bit order (`table[8] = H`).
        private var table: [Block]
        var state = Block(high: 0, low: 0)

        /// The reduction constants for the 4 bits shifted out at each step.
        private static let reduction: [UInt64] = [
            0x0000, 0x1C20, 0x3840, 0x2460, 0x7080, 0x6CA0, 0x48C0, 0x54E0,
            0xE100, 0xFD20, 0xD940, 0xC560, 0x9180, 0x8DA0, 0xA9C0, 0xB5E0,
        ].map { $0 << 48 }

        init(key: Block) {
            func halve(_ v: Block) -> Block {
                let carry: UInt64 = v.low & 1 == 1 ? 0xE100_0000_0000_0000 : 0
                return Block(high: v.high >> 1 ^ carry, low: v.high << 63 | v.low >> 1)
            }
            func xor(_ a: Block, _ b: Block) -> Block { Block(high: a.high ^ b.high, low: a.low ^ b.low) }
            var table = [Block](repeating: Block(high: 0, low: 0), count: 16)
            table[8] = key
            table[4] = halve(table[8])
            table[2] = halve(table[4])
            table[1] = halve(table[2])
            for high in [2, 4, 8] {
                for low in 1..<high { table[high + low] = xor(table[high], table[low]) }
            }
            self.table = table
        }

        /// `state = (state xor block) · H`.
        mutating func mix(_ block: Block) {
            let x = Block(high: state.high ^ block.high, low: state.low ^ block.low)
            var z = Block(high: 0, low: 0)
            table.withUnsafeBufferPointer { table in
                GHash.reduction.withUnsafeBufferPointer { reduction in
                    // Nibbles from the last (least significant in GCM order) to the first.
                    for index in stride(from: 31, through: 0, by: -1) {
                        let word = index < 16 ? x.high : x.low
                        let nibble = Int(truncatingIfNeeded: word >> UInt64(60 - 4 * (index % 16))) & 0xF
                        if index != 31 {
                            let shiftedOut = Int(truncatingIfNeeded: z.low & 0xF)
                            z.low = z.high << 60 | z.low >> 4
                            z.high = z.high >> 4 ^ reduction[shiftedOut]
                        }
                        z.high ^= table[nibble].high
                        z.low ^= table[nibble].low
                    }
                }
            }
            state = z
        }

        /// Mixes `bytes` in 16-byte blocks, zero-padding the last one.
        mutating func absorb(_ bytes: ArraySlice<UInt8>) {
            var start = bytes.startIndex
            while start < bytes.endIndex {
                let end = min(start + 16, bytes.endIndex)
                mix(Block(bytes[start..<end]))
                start = end
            }
        }
    }
}
