/// The SM3 hash function (GB/T 32905-2016) in Swift, as an inline value.
///
/// A pure-Swift state machine instead of OpenSSL's `EVP_MD_CTX` because the chain hashes many short inputs
/// (Merkle leaves `0x00 || 32 bytes`, nodes `0x01 || 32 || 32`): this type never allocates, while one OpenSSL 3
/// digest context costs a heap allocation and a provider lookup per hash. Tests check it against the standard's
/// examples, against OpenSSL's SM3 for many lengths, and against `openssl dgst -sm3`.
struct SM3 {
    /// Chaining value V (GB/T 32905 §4.1, IV = 7380166f 4914b2b9 172442d7 da8a0600 a96f30bc 163138aa e38dee4d
    /// b0fb0e4e).
    private var v: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x7380_166F, 0x4914_B2B9, 0x1724_42D7, 0xDA8A_0600, 0xA96F_30BC, 0x1631_38AA, 0xE38D_EE4D, 0xB0FB_0E4E
    )
    /// Bytes not yet compressed (fewer than 64).
    private var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var buffered = 0
    private var totalBytes: UInt64 = 0

    /// Feeds `bytes`.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        totalBytes &+= UInt64(remaining)
        if buffered > 0 {
            let take = min(64 - buffered, remaining)
            let offset = buffered
            withUnsafeMutableBytes(of: &buffer) {
                ($0.baseAddress! + offset).copyMemory(from: pointer, byteCount: take)
            }
            buffered += take
            pointer += take
            remaining -= take
            if buffered < 64 { return }
            var block = buffer
            withUnsafeBytes(of: &block) { compress($0.baseAddress!) }
            buffered = 0
        }
        while remaining >= 64 {
            compress(pointer)
            pointer += 64
            remaining -= 64
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &buffer) { $0.baseAddress!.copyMemory(from: pointer, byteCount: remaining) }
            buffered = remaining
        }
    }

    /// Pads (GB/T 32905 §5.2), compresses the last block(s) and returns the digest.
    mutating func finalize() -> Hash256 {
        let bitLength = totalBytes &* 8
        var padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0)
        let padCount = (buffered < 56 ? 56 : 120) - buffered
        withUnsafeMutableBytes(of: &padding) { raw in
            raw[0] = 0x80
            for index in 0..<8 {
                raw[padCount + index] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(index)))
            }
            update(UnsafeRawBufferPointer(rebasing: raw[0..<padCount + 8]))
        }
        precondition(buffered == 0, "SM3 padding must end on a block boundary")
        return Hash256(words: (
            UInt64(v.0) << 32 | UInt64(v.1), UInt64(v.2) << 32 | UInt64(v.3),
            UInt64(v.4) << 32 | UInt64(v.5), UInt64(v.6) << 32 | UInt64(v.7)
        ))
    }

    @inline(__always)
    private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { x &<< n | x &>> (32 &- n) }

    /// `T_j <<< (j mod 32)` for j in 0..<64 (GB/T 32905 §4.2 and the SS1 step of §5.3.3), computed once.
    private static let roundConstants: [UInt32] = (0..<64).map { j in
        let t: UInt32 = j < 16 ? 0x79CC_4519 : 0x7A87_9D8A
        let shift = UInt32(j % 32)
        return shift == 0 ? t : t << shift | t >> (32 - shift)
    }

    /// The compression function CF (GB/T 32905 §5.3) over the 64 bytes at `block`.
    private mutating func compress(_ block: UnsafeRawPointer) {
        SM3.roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 68) { w in
                compress(block, w: w, constants: constants)
            }
        }
    }

    @inline(__always)
    private mutating func compress(
        _ block: UnsafeRawPointer, w: UnsafeMutableBufferPointer<UInt32>, constants: UnsafeBufferPointer<UInt32>
    ) {
        let w = w.baseAddress.unsafelyUnwrapped
        let k = constants.baseAddress.unsafelyUnwrapped
        for j in 0..<16 { w[j] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 &* j, as: UInt32.self)) }
        for j in 16..<68 {
            let x = w[j &- 16] ^ w[j &- 9] ^ SM3.rotl(w[j &- 3], 15)
            w[j] = (x ^ SM3.rotl(x, 15) ^ SM3.rotl(x, 23)) ^ SM3.rotl(w[j &- 13], 7) ^ w[j &- 6]
        }
        var (a, b, c, d, e, f, g, h) = v
        for j in 0..<64 {
            let a12 = SM3.rotl(a, 12)
            let ss1 = SM3.rotl(a12 &+ e &+ k[j], 7)
            let ff: UInt32
            let gg: UInt32
            if j < 16 {
                ff = a ^ b ^ c
                gg = e ^ f ^ g
            } else {
                ff = (a & b) | (a & c) | (b & c)
                gg = (e & f) | (~e & g)
            }
            let tt1 = ff &+ d &+ (ss1 ^ a12) &+ (w[j] ^ w[j &+ 4])
            let tt2 = gg &+ h &+ ss1 &+ w[j]
            d = c
            c = SM3.rotl(b, 9)
            b = a
            a = tt1
            h = g
            g = SM3.rotl(f, 19)
            f = e
            e = tt2 ^ SM3.rotl(tt2, 9) ^ SM3.rotl(tt2, 17)
        }
        v = (v.0 ^ a, v.1 ^ b, v.2 ^ c, v.3 ^ d, v.4 ^ e, v.5 ^ f, v.6 ^ g, v.7 ^ h)
    }
}
