// SM2 digital signatures with SM3 (GB/T 32918.2-2016 §6 and §7), with the GM/T 0009-2012 default signer
// identity "1234567812345678" that CivicLedger's nodes use (OpenSSL's SM2 with that id).
// Read the timing note at the top of ec.js.

import { SM2_CURVE as C, invert, isOnCurve, mod, multiplyAdd, multiplyBase } from './ec.js';
import { bigIntToBytes, bytesToBigInt, concat, utf8 } from './encoding.js';
import { sm3 } from './sm3.js';

/** The GM/T 0009-2012 default user id. */
export const DEFAULT_USER_ID = utf8('1234567812345678');

/**
 * Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ Px ‖ Py) (GB/T 32918.2 §5.5), ENTL being the id's length in bits on two bytes.
 * @param {{x: bigint, y: bigint}} publicPoint
 * @param {Uint8Array} userID
 */
export function userHash(publicPoint, userID = DEFAULT_USER_ID) {
  const bits = userID.length * 8;
  return sm3(concat(
    new Uint8Array([(bits >> 8) & 0xff, bits & 0xff]), userID,
    bigIntToBytes(C.a, 32), bigIntToBytes(C.b, 32), bigIntToBytes(C.g.x, 32), bigIntToBytes(C.g.y, 32),
    bigIntToBytes(publicPoint.x, 32), bigIntToBytes(publicPoint.y, 32),
  ));
}

/** e = SM3(Z ‖ M) as a number. */
function messageDigest(publicPoint, message) {
  return bytesToBigInt(sm3(concat(userHash(publicPoint), message)));
}

/** A uniformly random scalar in [1, n−1] from the platform's cryptographic generator, by rejection. */
function randomScalar() {
  const buffer = new Uint8Array(32);
  for (;;) {
    globalThis.crypto.getRandomValues(buffer);
    const k = bytesToBigInt(buffer);
    if (k >= 1n && k < C.n) return k;
  }
}

/** Whether `d` is a valid SM2 private scalar: in [1, n−2] (GB/T 32918.1 §6.1). */
export function isValidPrivateScalar(d) {
  return d >= 1n && d <= C.n - 2n;
}

/** The public point d·G. */
export function publicPointOf(d) {
  return multiplyBase(C, d);
}

/**
 * Signs `message` (GB/T 32918.2 §6.1) with private scalar `d` whose public point is `publicPoint`.
 * @returns {Uint8Array} 64 bytes r ‖ s
 */
export function sign(d, publicPoint, message) {
  const e = messageDigest(publicPoint, message);
  const dPlusOneInverse = invert(1n + d, C.n);
  for (;;) {
    const k = randomScalar();
    const point = multiplyBase(C, k);
    const r = mod(e + point.x, C.n);
    if (r === 0n || r + k === C.n) continue;
    const s = mod(dPlusOneInverse * (k - r * d), C.n);
    if (s === 0n) continue;
    return concat(bigIntToBytes(r, 32), bigIntToBytes(s, 32));
  }
}

/**
 * Checks an SM2 signature (GB/T 32918.2 §7.1); the public point must be on the curve.
 * @param {{x: bigint, y: bigint}} publicPoint
 * @param {Uint8Array} message
 * @param {Uint8Array} signature 64 bytes r ‖ s
 * @returns {boolean}
 */
export function verify(publicPoint, message, signature) {
  if (signature.length !== 64 || !isOnCurve(C, publicPoint)) return false;
  const r = bytesToBigInt(signature.subarray(0, 32));
  const s = bytesToBigInt(signature.subarray(32));
  if (r < 1n || r >= C.n || s < 1n || s >= C.n) return false;
  const t = mod(r + s, C.n);
  if (t === 0n) return false;
  const point = multiplyAdd(C, [[s, C.g], [t, publicPoint]]);
  if (point === null) return false;
  return mod(messageDigest(publicPoint, message) + point.x, C.n) === r;
}
