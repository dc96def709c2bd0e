// SM3, the Chinese national hash function (GB/T 32905-2016), over Uint8Array input.
// The structure follows the standard's text: padding as in §5.2, message expansion §5.3.2, compression §5.3.3.

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

/** 32-bit left rotation. */
function rotl(x, n) {
  n &= 31;
  return n === 0 ? x >>> 0 : ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** Permutation P0 (compression). */
function p0(x) {
  return (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
}

/** Permutation P1 (message expansion). */
function p1(x) {
  return (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;
}

/** Compresses one 64-byte block at `offset` of `block` into the state `v` (eight 32-bit words, updated in place). */
function compress(v, block, offset) {
  const w = new Uint32Array(68);
  const w1 = new Uint32Array(64);
  for (let j = 0; j < 16; j++) {
    const at = offset + 4 * j;
    w[j] = (block[at] << 24) | (block[at + 1] << 16) | (block[at + 2] << 8) | block[at + 3];
  }
  for (let j = 16; j < 68; j++) {
    w[j] = p1(w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)) ^ rotl(w[j - 13], 7) ^ w[j - 6];
  }
  for (let j = 0; j < 64; j++) w1[j] = w[j] ^ w[j + 4];

  let [a, b, c, d, e, f, g, h] = v;
  for (let j = 0; j < 64; j++) {
    const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
    const ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) >>> 0, 7);
    const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = ((ff >>> 0) + d + ss2 + w1[j]) >>> 0;
    const tt2 = ((gg >>> 0) + h + ss1 + w[j]) >>> 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = p0(tt2);
  }
  const next = [a, b, c, d, e, f, g, h];
  for (let i = 0; i < 8; i++) v[i] = (v[i] ^ next[i]) >>> 0;
}

/**
 * The SM3 digest of `message`.
 * @param {Uint8Array} message
 * @returns {Uint8Array} 32 bytes
 */
export function sm3(message) {
  // Padding: the message, a 1 bit, zeros up to 56 mod 64 bytes, then the bit length as a 64-bit big-endian number.
  const bitLength = BigInt(message.length) * 8n;
  const paddedLength = Math.ceil((message.length + 9) / 64) * 64;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  new DataView(padded.buffer).setBigUint64(paddedLength - 8, bitLength, false);

  const v = IV.slice();
  for (let offset = 0; offset < paddedLength; offset += 64) compress(v, padded, offset);
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  v.forEach((word, i) => view.setUint32(4 * i, word, false));
  return out;
}
