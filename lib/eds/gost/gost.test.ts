import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { GostError, streebog512, verifyGost2015, verifyGostDigest, verifyGostSignedObject, verifyGostSignedObjectDetailed } from './index';
import { getCurve } from './curves';

const fixture = (name: string) => new Uint8Array(readFileSync(path.join(__dirname, 'fixtures', name)));
const CA = fixture('nca_gost2015_test.cer'); // "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022"
const CRL = fixture('nca_gost2022_test.crl');
const OCSP = fixture('ocsp_response_individual_2015.bin');
const RSA_CA = fixture('nca_rsa_test.crt');

/** [tbs DER, signature value, SPKI key bytes (for certificates)] of an X.509-style signed object. */
function split(der: Uint8Array): { tbs: Uint8Array; sig: Uint8Array; key: Uint8Array | null } {
  const top = asn1js.fromBER(der).result as asn1js.Sequence;
  const [tbs, , sig] = top.valueBlock.value as [asn1js.Sequence, asn1js.Sequence, asn1js.BitString];
  const f = tbs.valueBlock.value;
  const spki = f[0].idBlock.tagClass === 3 ? f[6] : undefined;
  const key = spki ? new Uint8Array(((spki as asn1js.Sequence).valueBlock.value[1] as asn1js.BitString).valueBlock.valueHexView) : null;
  return { tbs: new Uint8Array(tbs.valueBeforeDecodeView), sig: new Uint8Array(sig.valueBlock.valueHexView), key };
}

/** Index of `needle` in `hay`. */
function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function flipBit(der: Uint8Array, offset: number, bit = 0): Uint8Array {
  const out = der.slice();
  out[offset] ^= 1 << bit;
  return out;
}

const caKey = split(CA).key!;
let responderDer: Uint8Array;

beforeAll(() => {
  getCurve('tc26-512-paramSetA'); // one-time curve set-up (validation, precomputation) outside the timings
  responderDer = verifyGostSignedObjectDetailed('ocsp', OCSP, CA).responderCertDer!;
});

describe('GOST R 34.10-2015 on real NCA test-CA data', () => {
  it('X-3 the curves validate: G on the curve with order q (TC26 512 A, TC26 256 A, CryptoPro A)', () => {
    for (const name of ['tc26-512-paramSetA', 'tc26-256-paramSetA', 'cryptopro-A'] as const) {
      const c = getCurve(name);
      expect(() => c.Point.BASE.assertValidity()).not.toThrow();
      expect(c.Point.BASE.multiplyUnsafe(c.q - 1n).add(c.Point.BASE).is0()).toBe(true); // q·G = O
      expect(c.Point.BASE.multiplyUnsafe(c.q - 2n).add(c.Point.BASE).is0()).toBe(false);
    }
  });

  it("X-3 the GOST 2022 test CRL's signature verifies with nca_gost2015_test.cer's key", () => {
    expect(verifyGostSignedObject('crl', CRL, CA)).toBe(true);
    // The same through the low-level API: SPKI BIT STRING bytes as they are (OCTET STRING-wrapped x‖y LE).
    const { tbs, sig } = split(CRL);
    expect(caKey.length).toBe(131);
    expect(verifyGost2015({ publicKey: caKey, bits: 512, paramSetOid: '1.2.398.3.10.1.1.2.2.1', data: tbs, signature: sig })).toBe(true);
    // …and with the bare 128-byte x‖y, which is what lib/eds/certificate.ts' gostPublicKeyBytes returns.
    expect(verifyGost2015({ publicKey: caKey.subarray(3), bits: 512, data: tbs, signature: sig })).toBe(true);
  });

  it('X-3 the byte conventions are pinned: other orders of key, digest or signature do not verify', () => {
    const { tbs, sig } = split(CRL);
    const x = caKey.subarray(3, 67);
    const y = caKey.subarray(67);
    const rev = (b: Uint8Array) => b.slice().reverse();
    const cat = (a: Uint8Array, b: Uint8Array) => new Uint8Array([...a, ...b]);
    // signature as BE(r)‖BE(s), as BE(s)‖BE(r) reversed wrongly, and s‖r
    expect(verifyGost2015({ publicKey: caKey, bits: 512, data: tbs, signature: cat(rev(sig.subarray(0, 64)), rev(sig.subarray(64))) })).toBe(false);
    expect(verifyGost2015({ publicKey: caKey, bits: 512, data: tbs, signature: cat(sig.subarray(64), sig.subarray(0, 64)) })).toBe(false);
    // key as big-endian x‖y: not even a point on the curve
    expect(verifyGost2015({ publicKey: cat(rev(x), rev(y)), bits: 512, data: tbs, signature: sig })).toBe(false);
    // digest read big-endian instead of little-endian
    const curve = getCurve('tc26-512-paramSetA');
    expect(verifyGostDigest(curve, caKey, streebog512(tbs), sig)).toBe(true);
    expect(verifyGostDigest(curve, caKey, rev(streebog512(tbs)), sig)).toBe(false);
    // wrong hash size
    expect(verifyGost2015({ publicKey: caKey, bits: 256, data: tbs, signature: sig })).toBe(false);
  });

  it('X-3 the OCSP response verifies: signed by the included "OCSP RESPONDER" certificate, which the CA issued', () => {
    const r = verifyGostSignedObjectDetailed('ocsp', OCSP, CA);
    expect(r).toMatchObject({ valid: true, signer: 'responder' });
    expect(verifyGostSignedObject('ocsp', OCSP, CA)).toBe(true);
    // The responder certificate's own signature verifies with the CA key.
    expect(verifyGostSignedObject('certificate', responderDer, CA)).toBe(true);
    // The BasicOCSPResponse alone (without the OCSPResponse wrapper) is accepted too.
    const top = asn1js.fromBER(OCSP).result as asn1js.Sequence;
    const rb = (top.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
    const basic = new Uint8Array((rb.valueBlock.value[1] as asn1js.OctetString).valueBlock.valueHexView);
    expect(verifyGostSignedObject('ocsp', basic, CA)).toBe(true);
    // Given the responder certificate as the issuer, the response is signed by the issuer directly.
    expect(verifyGostSignedObjectDetailed('ocsp', OCSP, responderDer)).toMatchObject({ valid: true, signer: 'issuer' });
  });

  it('X-3 nca_gost2015_test.cer is not self-signed: its issuer is the GOST TEST 2022 root (not in the fixtures), so its own key does not verify it', () => {
    expect(verifyGostSignedObject('certificate', CA, CA)).toBe(false);
  });

  it('X-3 NEGATIVE: one flipped bit in the CRL tbs or signature → false', () => {
    const nameAt = indexOf(CRL, new TextEncoder().encode('(GOST) TEST 2022'));
    expect(nameAt).toBeGreaterThan(0);
    expect(verifyGostSignedObject('crl', flipBit(CRL, nameAt + 3), CA)).toBe(false);
    const last = CRL.length - 1; // the signature value is the last thing in the CRL
    expect(verifyGostSignedObject('crl', flipBit(CRL, last, 7), CA)).toBe(false);
    expect(verifyGostSignedObject('crl', flipBit(CRL, last - 70), CA)).toBe(false); // r's part

    const { tbs, sig } = split(CRL);
    for (const i of [0, 100, tbs.length - 1]) {
      expect(verifyGost2015({ publicKey: caKey, bits: 512, data: flipBit(tbs, i), signature: sig })).toBe(false);
    }
    for (const i of [0, 63, 64, 127]) {
      expect(verifyGost2015({ publicKey: caKey, bits: 512, data: tbs, signature: flipBit(sig, i) })).toBe(false);
    }
  });

  it('X-3 NEGATIVE: one flipped bit in the OCSP response data or in the responder certificate → false', () => {
    const producedAt = indexOf(OCSP, new TextEncoder().encode('20220902165834Z'));
    expect(producedAt).toBeGreaterThan(0);
    expect(verifyGostSignedObject('ocsp', flipBit(OCSP, producedAt + 3), CA)).toBe(false);
    // A forged responder certificate (one bit of its subject changed) no longer chains to the CA.
    const responderAt = indexOf(OCSP, new TextEncoder().encode('OCSP RESPONDER'));
    const secondName = indexOf(OCSP.subarray(responderAt + 1), new TextEncoder().encode('OCSP RESPONDER')) + responderAt + 1;
    expect(secondName).toBeGreaterThan(responderAt);
    expect(verifyGostSignedObject('ocsp', flipBit(OCSP, secondName + 1), CA)).toBe(false);
  });

  it('X-3 NEGATIVE: another key → false (the CRL against the OCSP responder key; the OCSP response against a foreign CA)', () => {
    expect(verifyGostSignedObject('crl', CRL, responderDer)).toBe(false);
    const { tbs, sig } = split(CRL);
    const otherKey = split(responderDer).key!;
    expect(verifyGost2015({ publicKey: otherKey, bits: 512, data: tbs, signature: sig })).toBe(false);
    // The responder certificate was issued by CA, not by itself: with itself as the "issuer" it does not verify.
    expect(verifyGostSignedObject('certificate', responderDer, responderDer)).toBe(false);
  });

  it('X-3 NEGATIVE: a key that is not a curve point, zero or out-of-range r/s, and short signatures → false', () => {
    const { tbs, sig } = split(CRL);
    const bogusKey = new Uint8Array(128).fill(7);
    expect(verifyGost2015({ publicKey: bogusKey, bits: 512, data: tbs, signature: sig })).toBe(false);
    expect(verifyGost2015({ publicKey: caKey, bits: 512, data: tbs, signature: new Uint8Array(128) })).toBe(false);
    expect(verifyGost2015({ publicKey: caKey, bits: 512, data: tbs, signature: new Uint8Array(128).fill(0xff) })).toBe(false);
    expect(verifyGost2015({ publicKey: caKey, bits: 512, data: tbs, signature: sig.subarray(0, 127) })).toBe(false);
  });

  it('X-3 objects that are not GOST 2015 or not DER are refused with a coded error, never accepted', () => {
    expect(() => verifyGostSignedObject('certificate', RSA_CA, CA)).toThrow(GostError);
    try {
      verifyGostSignedObject('certificate', RSA_CA, CA);
    } catch (e) {
      expect((e as GostError).code).toBe('unsupported_algorithm');
    }
    expect(() => verifyGostSignedObject('crl', CRL, RSA_CA)).toThrow(/not GOST/);
    try {
      verifyGostSignedObject('crl', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), CA);
    } catch (e) {
      expect((e as GostError).code).toBe('malformed');
    }
    expect(() => verifyGostSignedObject('crl', CRL.subarray(0, 200), CA)).toThrow(GostError);
    expect(() => verifyGostSignedObject('crl', new Uint8Array([1, 2, 3]), CA)).toThrow(GostError);
    expect(() => verifyGost2015({ publicKey: caKey, bits: 512, paramSetOid: '1.2.3.4', data: new Uint8Array(), signature: new Uint8Array(128) })).toThrow(
      /unsupported/,
    );
  });

  it('X-3 one 512-bit verification takes well under 50 ms', () => {
    const { tbs, sig } = split(CRL);
    // CPU time of this process (not wall time), best of several runs, so that other processes on a shared
    // machine do not decide the result.
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t = process.cpuUsage();
      expect(verifyGost2015({ publicKey: caKey, bits: 512, data: tbs, signature: sig })).toBe(true);
      const d = process.cpuUsage(t);
      times.push((d.user + d.system) / 1000);
    }
    expect(Math.min(...times)).toBeLessThan(50);
  });
});
