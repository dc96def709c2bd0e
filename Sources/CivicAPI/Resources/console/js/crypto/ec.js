// Elliptic-curve arithmetic over the two curves CivicLedger uses, with BigInt and Jacobian coordinates.
//
// Both curves are short Weierstrass curves y² = x³ + ax + b over a prime field with a = p − 3.
// A Jacobian point (X, Y, Z) stands for the affine point (X/Z², Y/Z³); Z = 0 is the point at infinity.
//
// About timing: JavaScript BigInt operations take time that depends on the values (they are not constant-time),
// so a precise enough observer of the signing computation could learn something about the private key or the
// nonce. That is acceptable here, and only here: the console signs in the person's own browser, with the key they
// loaded themselves, on their own machine; nothing signs on behalf of remote parties and no attacker can ask for
// signatures and time them from outside. Anyone who can run code next to the page closely enough to measure
// BigInt timings can read the key from memory anyway. Nodes never use this code: they sign with OpenSSL and
// swift-crypto. Verification handles only public data.

/** Curve parameters (hexadecimal from the standards: GB/T 32918.5 for SM2, SEC 2 / FIPS 186-4 for P-256). */
function curve(name, p, a, b, n, gx, gy) {
  return {
    name,
    p: BigInt('0x' + p),
    a: BigInt('0x' + a),
    b: BigInt('0x' + b),
    n: BigInt('0x' + n),
    g: { x: BigInt('0x' + gx), y: BigInt('0x' + gy) },
  };
}

/** sm2p256v1, the SM2 recommended curve (OID 1.2.156.10197.1.301). */
export const SM2_CURVE = curve(
  'sm2p256v1',
  'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF',
  'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC',
  '28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93',
  'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123',
  '32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7',
  'BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0',
);

/** P-256 / secp256r1 / prime256v1 (OID 1.2.840.10045.3.1.7). */
export const P256_CURVE = curve(
  'P-256',
  'FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF',
  'FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC',
  '5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B',
  'FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551',
  '6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296',
  '4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5',
);

/** `x mod m` in [0, m). */
export function mod(x, m) {
  const r = x % m;
  return r < 0n ? r + m : r;
}

/** The inverse of `x` modulo the prime `m` (extended Euclid); `x` must not be a multiple of `m`. */
export function invert(x, m) {
  let [oldR, r] = [mod(x, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return mod(oldS, m);
}

/** `base^exponent mod m` by square-and-multiply. */
function power(base, exponent, m) {
  let result = 1n;
  base = mod(base, m);
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % m;
    base = (base * base) % m;
    exponent >>= 1n;
  }
  return result;
}

/** Whether the affine point (x, y) lies on `c` with coordinates in [0, p). */
export function isOnCurve(c, point) {
  const { x, y } = point;
  if (x < 0n || x >= c.p || y < 0n || y >= c.p) return false;
  return mod(y * y - (x * x * x + c.a * x + c.b), c.p) === 0n;
}

/**
 * The affine y of a compressed point (SEC 1 §2.3.4): both primes are 3 mod 4, so √v = v^((p+1)/4).
 * @returns {bigint|null} null when x is not the abscissa of a curve point.
 */
export function decompressY(c, x, odd) {
  if (x >= c.p) return null;
  const v = mod(x * x * x + c.a * x + c.b, c.p);
  let y = power(v, (c.p + 1n) / 4n, c.p);
  if ((y * y) % c.p !== v) return null;
  if ((y & 1n) !== (odd ? 1n : 0n)) y = mod(-y, c.p);
  return y;
}

const INFINITY = { x: 1n, y: 1n, z: 0n };

/** Jacobian doubling (the a = −3 shortcut is not used: the general formula with `c.a` is as clear). */
function double(c, P) {
  const { p } = c;
  if (P.z === 0n || P.y === 0n) return INFINITY;
  const yy = (P.y * P.y) % p;
  const s = (4n * P.x * yy) % p;
  const zz = (P.z * P.z) % p;
  const m = mod(3n * P.x * P.x + c.a * zz * zz, p);
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, p);
  const z3 = (2n * P.y * P.z) % p;
  return { x: x3, y: y3, z: z3 };
}

/** Jacobian addition, handling the point at infinity, P = Q and P = −Q. */
function add(c, P, Q) {
  const { p } = c;
  if (P.z === 0n) return Q;
  if (Q.z === 0n) return P;
  const z1z1 = (P.z * P.z) % p;
  const z2z2 = (Q.z * Q.z) % p;
  const u1 = (P.x * z2z2) % p;
  const u2 = (Q.x * z1z1) % p;
  const s1 = (P.y * Q.z * z2z2) % p;
  const s2 = (Q.y * P.z * z1z1) % p;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  if (h === 0n) return r === 0n ? double(c, P) : INFINITY;
  const hh = (h * h) % p;
  const hhh = (h * hh) % p;
  const u1hh = (u1 * hh) % p;
  const x3 = mod(r * r - hhh - 2n * u1hh, p);
  const y3 = mod(r * (u1hh - x3) - s1 * hhh, p);
  const z3 = (h * P.z * Q.z) % p;
  return { x: x3, y: y3, z: z3 };
}

/** The affine form of a Jacobian point, or null for the point at infinity. */
function toAffine(c, P) {
  if (P.z === 0n) return null;
  const zInverse = invert(P.z, c.p);
  const zz = (zInverse * zInverse) % c.p;
  return { x: (P.x * zz) % c.p, y: (P.y * zz * zInverse) % c.p };
}

/** A Jacobian point from an affine one. */
function fromAffine(point) {
  return { x: point.x, y: point.y, z: 1n };
}

/** Odd and even multiples 0·P … 15·P, for 4-bit windows. */
function windowTable(c, P) {
  const table = [INFINITY, P];
  for (let i = 2; i < 16; i++) table.push(add(c, table[i - 1], P));
  return table;
}

/**
 * `k₁·P₁ + k₂·P₂ + …` for affine points, with shared doublings and 4-bit windows (Straus–Shamir).
 * @param {object} c a curve
 * @param {Array<[bigint, {x: bigint, y: bigint}]>} terms scalars in [0, n) and affine points
 * @returns {{x: bigint, y: bigint}|null} the affine sum, or null for the point at infinity
 */
export function multiplyAdd(c, terms) {
  const tables = terms.map(([, point]) => windowTable(c, fromAffine(point)));
  let acc = INFINITY;
  for (let shift = 252n; shift >= 0n; shift -= 4n) {
    for (let i = 0; i < 4; i++) acc = double(c, acc);
    terms.forEach(([k], t) => {
      const digit = Number((k >> shift) & 15n);
      if (digit !== 0) acc = add(c, acc, tables[t][digit]);
    });
  }
  return toAffine(c, acc);
}

/** `k·G` on `c`, affine (null for the point at infinity). */
export function multiplyBase(c, k) {
  return multiplyAdd(c, [[k, c.g]]);
}
