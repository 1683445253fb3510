/**
 * GOST R 34.10-2015 signature verification by NCA's (Kalkan's) byte conventions, confirmed on real NCA
 * test-CA data (see README.md):
 *  - public key: x‖y, each coordinate little-endian (optionally wrapped in a DER OCTET STRING, as in the SPKI
 *    BIT STRING of NCA certificates);
 *  - e: the Streebog digest of the data read as a little-endian integer;
 *  - signature value: LE(r)‖LE(s) (= the byte reversal of the RFC 4491 layout BE(s)‖BE(r)).
 */
import { curveFor, type GostCurve } from './curves';
import { streebog256, streebog512 } from './streebog';

export type GostVerifyParams = {
  /** Raw key bytes from the SPKI BIT STRING, as NCA encodes them: x‖y LE, possibly inside an OCTET STRING. */
  publicKey: Uint8Array;
  bits: 512 | 256;
  paramSetOid?: string;
  data: Uint8Array;
  signature: Uint8Array;
};

/** Little-endian bytes → bigint. */
export function bytesToBigIntLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Modular inverse (m prime, a ≠ 0 mod m) by the extended Euclidean algorithm. */
function invert(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return mod(oldS, m);
}

/**
 * Strips a DER OCTET STRING wrapper around the key, if there is one: NCA (like RFC 4491) puts
 * OCTET STRING { x‖y } inside the SPKI BIT STRING. Returns the bare 2·size bytes, or null if the length
 * is wrong.
 */
export function unwrapGostPublicKey(key: Uint8Array, size: number): Uint8Array | null {
  if (key.length === 2 * size) return key;
  if (key[0] !== 0x04) return null;
  let len = key[1];
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 2) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | key[2 + i];
    hdr = 2 + n;
  }
  if (len !== 2 * size || hdr + len !== key.length) return null;
  return key.subarray(hdr);
}

/** GOST R 34.10 verification with the digest already computed (e as a little-endian digest). */
export function verifyGostDigest(curve: GostCurve, publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const { size, q, Point } = curve;
  const raw = unwrapGostPublicKey(publicKey, size);
  if (!raw || signature.length !== 2 * size) return false;
  const r = bytesToBigIntLE(signature.subarray(0, size));
  const s = bytesToBigIntLE(signature.subarray(size));
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;

  let Q;
  try {
    Q = Point.fromAffine({ x: bytesToBigIntLE(raw.subarray(0, size)), y: bytesToBigIntLE(raw.subarray(size)) });
    Q.assertValidity(); // on the curve, not the point at infinity, in the prime-order subgroup
  } catch {
    return false;
  }

  let e = mod(bytesToBigIntLE(digest), q);
  if (e === 0n) e = 1n;
  const v = invert(e, q);
  const z1 = mod(s * v, q);
  const z2 = mod(-r * v, q);
  // C = z1·G + z2·Q (public scalars, so the variable-time double multiplication is fine).
  let C;
  if (z1 === 0n) C = Q.multiplyUnsafe(z2);
  else if (z2 === 0n) C = Point.BASE.multiplyUnsafe(z1);
  else C = Point.BASE.mulAddUnsafe(z1, Q, z2);
  if (C.is0()) return false;
  return mod(C.toAffine().x, q) === r;
}

/**
 * GOST R 34.10-2015 verification by NCA's conventions; hashes `data` with Streebog of the key's size.
 * Returns false (never throws) for a bad signature, a malformed key or a key that is not on the curve;
 * throws only for an unsupported parameter-set OID.
 */
export function verifyGost2015(params: GostVerifyParams): boolean {
  const curve = curveFor(params.bits, params.paramSetOid);
  const digest = params.bits === 512 ? streebog512(params.data) : streebog256(params.data);
  return verifyGostDigest(curve, params.publicKey, digest, params.signature);
}
