// Byte helpers shared by the console's cryptography: hexadecimal, base64, UTF-8, concatenation and big-endian
// conversion between bytes and BigInt. Bytes are Uint8Array everywhere.

const HEX_DIGITS = '0123456789abcdef';

/**
 * Lower-case hexadecimal of `bytes`.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function toHex(bytes) {
  let text = '';
  for (const byte of bytes) text += HEX_DIGITS[byte >> 4] + HEX_DIGITS[byte & 15];
  return text;
}

/**
 * The bytes written in hexadecimal `text` (either case, an even number of digits, nothing else).
 * @param {string} text
 * @returns {Uint8Array}
 * @throws {Error} if `text` is not hexadecimal.
 */
export function fromHex(text) {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new Error('expected an even number of hexadecimal digits');
  }
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(2 * i, 2), 16);
  return bytes;
}

/**
 * Standard base64 (RFC 4648 §4, with padding) of `bytes`.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function toBase64(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The bytes of standard base64 `text`; whitespace (as in PEM bodies) is ignored.
 * @param {string} text
 * @returns {Uint8Array}
 * @throws {Error} if `text` is not base64.
 */
export function fromBase64(text) {
  const compact = String(text).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw new Error('not valid base64');
  const binary = atob(compact);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The UTF-8 encoding of `text`.
 * @param {string} text
 * @returns {Uint8Array}
 */
export function utf8(text) {
  return new TextEncoder().encode(text);
}

/** The concatenation of byte arrays. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Whether two byte arrays hold the same bytes. */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

/** The unsigned big-endian number in `bytes`. */
export function bytesToBigInt(bytes) {
  return bytes.length === 0 ? 0n : BigInt('0x' + toHex(bytes));
}

/** `value` (non-negative, below 2^(8·length)) as `length` big-endian bytes. */
export function bigIntToBytes(value, length) {
  const hex = value.toString(16).padStart(2 * length, '0');
  if (hex.length > 2 * length) throw new Error('number too large for ' + length + ' bytes');
  return fromHex(hex);
}
