/**
 * GOST R 34.10-2015 key generation and signing with the same (NCA) byte conventions as verify.ts. Meant for
 * the generated test PKI and tests — real users sign with their own keys through NCALayer. Uses WebCrypto's
 * getRandomValues (Node ≥ 20 and browsers).
 */
import { curveFor } from './curves';
import { streebog256, streebog512 } from './streebog';
import { bytesToBigIntLE } from './verify';

export function bigIntToBytesLE(n: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  if (n !== 0n) throw new Error('number too large');
  return out;
}

/** A uniformly random scalar in [1, q-1] (rejection sampling). */
function randomScalar(q: bigint, size: number): bigint {
  for (;;) {
    const k = bytesToBigIntLE(crypto.getRandomValues(new Uint8Array(size)));
    if (k > 0n && k < q) return k;
  }
}

export type GostKeyPair = {
  /** The private scalar d, little-endian, `bits/8` bytes. */
  privateKey: Uint8Array;
  /** x‖y little-endian (bare, without the OCTET STRING wrapper NCA puts inside the SPKI BIT STRING). */
  publicKey: Uint8Array;
};

export function generateGost2015KeyPair(bits: 512 | 256, paramSetOid?: string): GostKeyPair {
  const { q, size } = curveFor(bits, paramSetOid);
  const privateKey = bigIntToBytesLE(randomScalar(q, size), size);
  return { privateKey, publicKey: gostPublicKeyFromPrivate(bits, privateKey, paramSetOid) };
}

/** x‖y little-endian of d·G. */
export function gostPublicKeyFromPrivate(bits: 512 | 256, privateKey: Uint8Array, paramSetOid?: string): Uint8Array {
  const { size, Point } = curveFor(bits, paramSetOid);
  const P = Point.BASE.multiply(bytesToBigIntLE(privateKey)).toAffine();
  const out = new Uint8Array(2 * size);
  out.set(bigIntToBytesLE(P.x, size), 0);
  out.set(bigIntToBytesLE(P.y, size), size);
  return out;
}

/** Signs Streebog(data) and returns LE(r)‖LE(s), the signature value NCA puts in certificates, CRLs and CMS. */
export function signGost2015(params: { privateKey: Uint8Array; bits: 512 | 256; paramSetOid?: string; data: Uint8Array }): Uint8Array {
  const { q, size, Point } = curveFor(params.bits, params.paramSetOid);
  const d = bytesToBigIntLE(params.privateKey);
  if (d <= 0n || d >= q) throw new Error('invalid GOST private key');
  const digest = params.bits === 512 ? streebog512(params.data) : streebog256(params.data);
  let e = bytesToBigIntLE(digest) % q;
  if (e === 0n) e = 1n;
  for (;;) {
    const k = randomScalar(q, size);
    const r = Point.BASE.multiply(k).toAffine().x % q;
    if (r === 0n) continue;
    const s = (r * d + k * e) % q;
    if (s === 0n) continue;
    const out = new Uint8Array(2 * size);
    out.set(bigIntToBytesLE(r, size), 0);
    out.set(bigIntToBytesLE(s, size), size);
    return out;
  }
}
