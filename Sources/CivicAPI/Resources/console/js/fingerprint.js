// Fingerprints computed in the page, so that what they are made from never leaves it:
//
//   - a file's fingerprint is the chain suite's hash of its bytes (SM3 on a national chain, SHA-256 on an
//     international one), as `civic evidence put` and `civic cert issue --document` compute it;
//   - a subject's fingerprint is HMAC over that hash of an ID number (or credit code) keyed with the salt the member
//     departments share, exactly as SubjectFingerprint.make in Sources/CivicApps/Catalog/SubjectFingerprint.swift.
//
// The node only ever receives the 64 hexadecimal digits.
import { crypto } from './session.js';

/** The suite hash's block size in bytes: SM3 and SHA-256 both use 64. */
const BLOCK_BYTES = 64;

/** The evidence API's name of the suite's hash: `sm3` for `sm`, `sha256` for `intl`. */
export function hashAlgorithm(suite) { return suite === 'sm' ? 'sm3' : 'sha256'; }

/** The suite hash of `bytes` (a Uint8Array) as 64 lower-case hexadecimal digits. */
export async function fileFingerprint(suite, bytes) {
  const keys = await crypto();
  return keys.toHex(await keys.digest(suite, bytes));
}

/**
 * The salt a salt file holds: its bytes without one trailing newline (`\n`, then a `\r` before it), so that a salt
 * written by an editor and one written by `civic devnet` give the same fingerprints.
 */
export function saltOfFile(fileBytes) {
  let end = fileBytes.length;
  if (end > 0 && fileBytes[end - 1] === 0x0a) end -= 1;
  if (end > 0 && fileBytes[end - 1] === 0x0d) end -= 1;
  return fileBytes.slice(0, end);
}

/** The identifier's UTF-8 bytes with spaces and tabs removed and ASCII letters upper-cased (ID numbers end in X or x). */
export function normalizedIdentifier(identifier) {
  const bytes = new TextEncoder().encode(identifier).filter(byte => byte !== 0x20 && byte !== 0x09);
  return bytes.map(byte => (byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte));
}

/** HMAC (RFC 2104) of `message` with `key` over the suite's hash; both are Uint8Arrays. */
export async function hmac(suite, key, message) {
  const { digest } = await crypto();
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(key.length > BLOCK_BYTES ? await digest(suite, key) : key);
  const padded = (pad, tail) => {
    const bytes = new Uint8Array(BLOCK_BYTES + tail.length);
    for (let index = 0; index < BLOCK_BYTES; index += 1) bytes[index] = block[index] ^ pad;
    bytes.set(tail, BLOCK_BYTES);
    return bytes;
  };
  const inner = await digest(suite, padded(0x36, message));
  return digest(suite, padded(0x5c, inner));
}

/**
 * The subject fingerprint of `identifier` (an ID card number or a unified social credit code) under the salt file
 * `saltFileBytes`, as 64 hexadecimal digits.
 */
export async function subjectFingerprint(suite, identifier, saltFileBytes) {
  const { toHex } = await crypto();
  return toHex(await hmac(suite, saltOfFile(saltFileBytes), normalizedIdentifier(identifier)));
}
