// CivicLedger's canonical byte encoding (Sources/CivicCodec/CanonicalEncoder.swift), the small part the console
// needs: fixed-width big-endian integers, unsigned LEB128 varints in their shortest form, and length-prefixed
// UTF-8 strings. 64-bit integers are BigInt.

import { concat, utf8 } from './encoding.js';

/** Reads canonical values from the front of a byte array; every read throws on truncated or non-canonical input. */
export class CanonicalReader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.bytes = bytes;
    this.offset = 0;
  }

  /** The next `count` bytes. */
  fixed(count, what = 'bytes') {
    if (this.offset + count > this.bytes.length) throw new Error(`truncated: ${what} is missing`);
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** One byte. */
  u8(what = 'byte') {
    return this.fixed(1, what)[0];
  }

  /** A big-endian 32-bit integer, as a number. */
  u32(what = 'u32') {
    const b = this.fixed(4, what);
    return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
  }

  /** A big-endian 64-bit integer, as a BigInt. */
  u64(what = 'u64') {
    return new DataView(this.fixed(8, what).slice().buffer).getBigUint64(0, false);
  }

  /** A shortest-form unsigned LEB128 integer below 2^53, as a number. */
  varint(what = 'varint') {
    let value = 0;
    for (let shift = 0; shift < 53; shift += 7) {
      const byte = this.u8(what);
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) {
        if (byte === 0 && shift > 0) throw new Error(`${what} is not in its shortest form`);
        return value;
      }
    }
    throw new Error(`${what} is too large`);
  }

  /** A varint length followed by UTF-8 text. */
  string(what = 'string') {
    const bytes = this.fixed(this.varint(what), what);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  }

  /** Throws unless every byte was read. */
  finish(what) {
    if (this.offset !== this.bytes.length) throw new Error(`${what} has ${this.bytes.length - this.offset} bytes too many`);
  }
}

/** The shortest unsigned LEB128 encoding of a non-negative safe integer. */
export function encodeVarint(value) {
  const out = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return new Uint8Array(out);
}

/** A big-endian fixed-width integer of `width` bytes (value a BigInt or a safe number). */
export function encodeUInt(value, width) {
  const out = new Uint8Array(width);
  let rest = BigInt(value);
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new Error(`${value} does not fit in ${width} bytes`);
  return out;
}

/** A varint byte length followed by the UTF-8 bytes of `text`. */
export function encodeString(text) {
  const bytes = utf8(text);
  return concat(encodeVarint(bytes.length), bytes);
}
