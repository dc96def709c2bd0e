// The two crypto suites of a CivicLedger chain (Sources/CivicCrypto/CryptoSuite.swift): their names, the byte
// written in canonical encodings, their curves and the curves' object identifiers.

import { P256_CURVE, SM2_CURVE } from './ec.js';

/** Suite name → { byte in canonical encodings, curve, curve OID }. */
export const SUITES = Object.freeze({
  sm: Object.freeze({ byte: 1, curve: SM2_CURVE, curveOID: '1.2.156.10197.1.301' }),
  intl: Object.freeze({ byte: 2, curve: P256_CURVE, curveOID: '1.2.840.10045.3.1.7' }),
});

/** The suite named `name`; throws for other names. */
export function suiteInfo(name) {
  if (!Object.hasOwn(SUITES, name)) throw new Error(`unknown crypto suite "${name}" (expected "sm" or "intl")`);
  return SUITES[name];
}

/** The name of the suite whose canonical byte is `byte`, or null. */
export function suiteOfByte(byte) {
  return Object.keys(SUITES).find((name) => SUITES[name].byte === byte) ?? null;
}

/** The name of the suite whose curve has OID `oid`, or null. */
export function suiteOfCurveOID(oid) {
  return Object.keys(SUITES).find((name) => SUITES[name].curveOID === oid) ?? null;
}
