// The console's public cryptography: reading keys, signing, verifying and hashing for both suites.
//
//   sm   — SM2 with SM3 and the GM/T 0009 default user id, computed here in JavaScript (sm2.js, sm3.js);
//   intl — ECDSA P-256 with SHA-256 through the browser's WebCrypto, with a non-extractable key.
//
// Keys and signatures are in CivicLedger's on-chain forms: public keys are 65-byte uncompressed points 04 ‖ X ‖ Y,
// signatures 64 raw bytes r ‖ s. Bytes are Uint8Array everywhere. See ec.js for why BigInt timing is acceptable.

import { readChildren, readElement, readPEMBlocks, readWhole, decodeOID, TAG } from './der.js';
import { decompressY, isOnCurve, multiplyBase } from './ec.js';
import {
  bigIntToBytes, bytesToBigInt, concat, equalBytes, fromBase64, fromHex, toBase64, toHex, utf8,
} from './encoding.js';
import { isValidPrivateScalar, sign as sm2Sign, verify as sm2Verify } from './sm2.js';
import { sm3 } from './sm3.js';
import { suiteInfo, suiteOfCurveOID } from './suites.js';

export { toHex, fromHex, toBase64, fromBase64, utf8 };

/** id-ecPublicKey (RFC 5480): the algorithm of EC keys, with the curve as parameter. */
const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';
/** The SM2 OID, which some writers use as the algorithm itself instead of id-ecPublicKey. */
const SM2_OID = '1.2.156.10197.1.301';
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };

/**
 * The point in SEC 1 encoding `bytes` (uncompressed 04 ‖ X ‖ Y, or compressed 02/03 ‖ X) on `suite`'s curve.
 * @returns {{x: bigint, y: bigint}}
 * @throws {Error} when the bytes are not a point of the curve.
 */
function decodePoint(suite, bytes) {
  const { curve } = suiteInfo(suite);
  let point = null;
  if (bytes.length === 65 && bytes[0] === 0x04) {
    point = { x: bytesToBigInt(bytes.subarray(1, 33)), y: bytesToBigInt(bytes.subarray(33)) };
  } else if (bytes.length === 33 && (bytes[0] === 0x02 || bytes[0] === 0x03)) {
    const x = bytesToBigInt(bytes.subarray(1));
    const y = decompressY(curve, x, bytes[0] === 0x03);
    if (y !== null) point = { x, y };
  } else {
    throw new Error('a public key is a 65-byte uncompressed point starting with 04');
  }
  if (point === null || !isOnCurve(curve, point)) throw new Error(`the public key is not a point on ${curve.name}`);
  return point;
}

/** 04 ‖ X ‖ Y of an affine point. */
function encodePoint(point) {
  return concat(new Uint8Array([0x04]), bigIntToBytes(point.x, 32), bigIntToBytes(point.y, 32));
}

/** The suite named by an AlgorithmIdentifier's children (id-ecPublicKey with a curve OID, or the SM2 OID). */
function suiteOfAlgorithm(algorithm) {
  const children = readChildren(algorithm.content);
  if (children.length === 0 || children[0].tag !== TAG.OID) throw new Error('the key has no algorithm identifier');
  const oid = decodeOID(children[0].content);
  if (oid === SM2_OID) return 'sm';
  if (oid !== EC_PUBLIC_KEY_OID) throw new Error(`the key is not an elliptic-curve key (algorithm ${oid})`);
  if (children.length < 2 || children[1].tag !== TAG.OID) throw new Error('the EC key names no curve');
  return curveSuite(decodeOID(children[1].content));
}

/** The suite of curve `oid`, or an error naming the curve. */
function curveSuite(oid) {
  const suite = suiteOfCurveOID(oid);
  if (suite === null) throw new Error(`the key is on curve ${oid}; expected SM2 (${SM2_OID}) or P-256 (1.2.840.10045.3.1.7)`);
  return suite;
}

/** The point in a BIT STRING's content (no unused bits). */
function bitStringBytes(content) {
  if (content.length < 1 || content[0] !== 0) throw new Error('malformed BIT STRING');
  return content.subarray(1);
}

/**
 * Reads a SEC 1 ECPrivateKey (RFC 5915): version 1, the scalar, optionally [0] the curve and [1] the public key.
 * @param {Uint8Array} der
 * @param {string|null} suite the suite already known from a PKCS#8 wrapper, or null
 */
function readECPrivateKey(der, suite) {
  const children = readChildren(readWhole(der, TAG.SEQUENCE, 'EC private key').content);
  if (children.length < 2 || children[0].tag !== TAG.INTEGER || children[0].content.length !== 1
      || children[0].content[0] !== 1 || children[1].tag !== TAG.OCTET_STRING) {
    throw new Error('malformed EC private key (RFC 5915)');
  }
  const scalarBytes = children[1].content;
  if (scalarBytes.length === 0 || scalarBytes.length > 32) throw new Error('the private scalar is not 1 to 32 bytes');
  let publicBytes = null;
  for (const child of children.slice(2)) {
    if (child.tag === TAG.CONTEXT_0) {
      const curveOID = readWhole(child.content, TAG.OID, 'curve identifier');
      const named = curveSuite(decodeOID(curveOID.content));
      if (suite !== null && named !== suite) throw new Error('the key names two different curves');
      suite = named;
    } else if (child.tag === TAG.CONTEXT_1) {
      publicBytes = bitStringBytes(readWhole(child.content, TAG.BIT_STRING, 'public key').content);
    }
  }
  if (suite === null) throw new Error('the EC private key does not name its curve');
  return { suite, scalar: bytesToBigInt(scalarBytes), publicBytes };
}

/** Reads PKCS#8 PrivateKeyInfo (RFC 5208 / 5958) wrapping an EC private key. */
function readPKCS8(der) {
  const children = readChildren(readWhole(der, TAG.SEQUENCE, 'PKCS#8 private key').content);
  if (children.length < 3 || children[0].tag !== TAG.INTEGER || children[1].tag !== TAG.SEQUENCE
      || children[2].tag !== TAG.OCTET_STRING) {
    throw new Error('malformed PKCS#8 private key');
  }
  return readECPrivateKey(children[2].content, suiteOfAlgorithm(children[1]));
}

/** Base64url without padding (JWK coordinates). */
function base64url(bytes) {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Reads a private key in the PEM forms `civic keygen` and `openssl` write, for either suite: PKCS#8
 * "PRIVATE KEY" (id-ecPublicKey with the SM2 curve 1.2.156.10197.1.301 or P-256 1.2.840.10045.3.1.7, or the SM2
 * OID as algorithm) and SEC 1 "EC PRIVATE KEY" (OpenSSL 3 labels SM2 ones "SM2 PRIVATE KEY"). The suite comes from
 * the curve. A public key inside the file must be the one the scalar gives.
 * @param {string} pemText
 * @returns {Promise<{suite: 'sm'|'intl', publicKey: Uint8Array, sign: (message: Uint8Array) => Promise<Uint8Array>}>}
 * @throws {Error} with a sentence saying what is wrong (not PEM, encrypted, other curve, bad scalar…).
 */
export async function importPrivateKeyPEM(pemText) {
  const blocks = readPEMBlocks(pemText);
  if (blocks.some((block) => block.label === 'ENCRYPTED PRIVATE KEY')) {
    throw new Error('encrypted private keys are not supported; export the key without a password');
  }
  const block = blocks.find((b) => ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY'].includes(b.label));
  if (block === undefined) {
    throw new Error('no private key found: expected a PEM block "-----BEGIN PRIVATE KEY-----" or "-----BEGIN EC PRIVATE KEY-----"');
  }
  let parsed;
  try {
    parsed = block.label === 'PRIVATE KEY' ? readPKCS8(block.der) : readECPrivateKey(block.der, null);
  } catch (error) {
    throw new Error(`the private key cannot be read: ${error.message}`);
  }
  const { suite, scalar } = parsed;
  const { curve } = suiteInfo(suite);
  const valid = suite === 'sm' ? isValidPrivateScalar(scalar) : scalar >= 1n && scalar < curve.n;
  if (!valid) throw new Error(`the private key's scalar is out of range for ${curve.name}`);
  const point = multiplyBase(curve, scalar);
  const publicKey = encodePoint(point);
  if (parsed.publicBytes !== null && !equalBytes(encodePoint(decodePoint(suite, parsed.publicBytes)), publicKey)) {
    throw new Error('the public key in the PEM file does not belong to its private key');
  }
  let sign;
  if (suite === 'sm') {
    sign = async (message) => sm2Sign(scalar, point, message);
  } else {
    const jwk = {
      kty: 'EC', crv: 'P-256', ext: false,
      x: base64url(publicKey.subarray(1, 33)), y: base64url(publicKey.subarray(33)), d: base64url(bigIntToBytes(scalar, 32)),
    };
    const key = await globalThis.crypto.subtle.importKey('jwk', jwk, ECDSA_P256, false, ['sign']);
    sign = async (message) => new Uint8Array(await globalThis.crypto.subtle.sign(ECDSA_SHA256, key, message));
  }
  return Object.freeze({ suite, publicKey, sign });
}

/**
 * The suite and public key in an X.509 certificate's SubjectPublicKeyInfo (a "CERTIFICATE" PEM block; a bare
 * "PUBLIC KEY" block is read too). Compressed points are returned uncompressed.
 * @param {string} pemText
 * @returns {{suite: 'sm'|'intl', publicKey: Uint8Array}}
 * @throws {Error} saying what is wrong.
 */
export function publicKeyFromCertificatePEM(pemText) {
  const block = readPEMBlocks(pemText).find((b) => b.label === 'CERTIFICATE' || b.label === 'PUBLIC KEY');
  if (block === undefined) throw new Error('no certificate found: expected a PEM block "-----BEGIN CERTIFICATE-----"');
  try {
    let spki = readElement(block.der);
    if (block.label === 'CERTIFICATE') {
      const certificate = readChildren(readWhole(block.der, TAG.SEQUENCE, 'certificate').content);
      if (certificate.length !== 3 || certificate[0].tag !== TAG.SEQUENCE) throw new Error('malformed certificate');
      const tbs = readChildren(certificate[0].content);
      // version [0] (optional), serial, signature algorithm, issuer, validity, subject, subjectPublicKeyInfo.
      const index = tbs[0]?.tag === TAG.CONTEXT_0 ? 6 : 5;
      spki = tbs[index];
      if (spki === undefined || spki.tag !== TAG.SEQUENCE) throw new Error('the certificate has no public key');
    }
    const parts = readChildren(spki.content);
    if (parts.length !== 2 || parts[0].tag !== TAG.SEQUENCE || parts[1].tag !== TAG.BIT_STRING) {
      throw new Error('malformed SubjectPublicKeyInfo');
    }
    const suite = suiteOfAlgorithm(parts[0]);
    return { suite, publicKey: encodePoint(decodePoint(suite, bitStringBytes(parts[1].content))) };
  } catch (error) {
    throw new Error(`the certificate cannot be read: ${error.message}`);
  }
}

/**
 * Whether `signature64` (r ‖ s) is `publicKey65`'s signature of `message` under `suite`. A public key that is not
 * a point of the suite's curve, or a signature of the wrong length, gives false.
 * @param {'sm'|'intl'} suite
 * @param {Uint8Array} publicKey65 04 ‖ X ‖ Y
 * @param {Uint8Array} message
 * @param {Uint8Array} signature64
 * @returns {Promise<boolean>}
 * @throws {Error} only for an unknown suite.
 */
export async function verifySignature(suite, publicKey65, message, signature64) {
  suiteInfo(suite);
  let point;
  try {
    if (publicKey65.length !== 65) return false;
    point = decodePoint(suite, publicKey65);
  } catch {
    return false;
  }
  if (signature64.length !== 64) return false;
  if (suite === 'sm') return sm2Verify(point, message, signature64);
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', publicKey65, ECDSA_P256, false, ['verify']);
  return subtle.verify(ECDSA_SHA256, key, signature64, message);
}

/**
 * The suite's hash of `bytes`: SM3 for 'sm', SHA-256 (WebCrypto) for 'intl'.
 * @param {'sm'|'intl'} suite
 * @param {Uint8Array} bytes
 * @returns {Promise<Uint8Array>} 32 bytes
 */
export async function digest(suite, bytes) {
  suiteInfo(suite);
  if (suite === 'sm') return sm3(bytes);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

/**
 * A public key's canonical on-chain encoding: the suite byte (sm = 1, intl = 2) ‖ the 65-byte point.
 * @param {'sm'|'intl'} suite
 * @param {Uint8Array} publicKey65
 * @returns {Uint8Array} 66 bytes
 */
export function encodePublicKey(suite, publicKey65) {
  const { byte } = suiteInfo(suite);
  if (!(publicKey65 instanceof Uint8Array) || publicKey65.length !== 65 || publicKey65[0] !== 0x04) {
    throw new Error('a public key is a 65-byte uncompressed point starting with 04');
  }
  return concat(new Uint8Array([byte]), publicKey65);
}
