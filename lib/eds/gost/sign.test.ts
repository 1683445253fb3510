import { describe, expect, it } from 'vitest';
import { generateGost2015KeyPair, gostPublicKeyFromPrivate, signGost2015 } from './sign';
import { verifyGost2015 } from './verify';

const data = new TextEncoder().encode('{"action":"auth.sign_in","nonce":"3q2+7w=="}');

describe('GOST R 34.10-2015 signing (test PKI helper) against the verifier', () => {
  it('X-3 a 512-bit (NCA paramset A) signature verifies, also with the key wrapped as NCA writes it in the SPKI', () => {
    const oid = '1.2.398.3.10.1.1.2.2.1';
    const kp = generateGost2015KeyPair(512, oid);
    expect(kp.publicKey.length).toBe(128);
    expect(gostPublicKeyFromPrivate(512, kp.privateKey, oid)).toEqual(kp.publicKey);
    const sig = signGost2015({ privateKey: kp.privateKey, bits: 512, paramSetOid: oid, data });
    expect(sig.length).toBe(128);
    expect(verifyGost2015({ publicKey: kp.publicKey, bits: 512, paramSetOid: oid, data, signature: sig })).toBe(true);
    const wrapped = new Uint8Array([0x04, 0x81, 0x80, ...kp.publicKey]);
    expect(verifyGost2015({ publicKey: wrapped, bits: 512, data, signature: sig })).toBe(true);
  });

  it('X-3 NEGATIVE: a changed payload or another key → false', () => {
    const a = generateGost2015KeyPair(512);
    const b = generateGost2015KeyPair(512);
    const sig = signGost2015({ privateKey: a.privateKey, bits: 512, data });
    const changed = data.slice();
    changed[5] ^= 0x20;
    expect(verifyGost2015({ publicKey: a.publicKey, bits: 512, data: changed, signature: sig })).toBe(false);
    expect(verifyGost2015({ publicKey: b.publicKey, bits: 512, data, signature: sig })).toBe(false);
  });

  it('X-3 256-bit keys: NCA paramset A (TC26 256 A, cofactor 4) and CryptoPro A sign and verify', () => {
    for (const oid of ['1.2.398.3.10.1.1.2.1.1', '1.2.643.2.2.35.1']) {
      const kp = generateGost2015KeyPair(256, oid);
      const sig = signGost2015({ privateKey: kp.privateKey, bits: 256, paramSetOid: oid, data });
      expect(sig.length).toBe(64);
      expect(verifyGost2015({ publicKey: kp.publicKey, bits: 256, paramSetOid: oid, data, signature: sig })).toBe(true);
      expect(verifyGost2015({ publicKey: kp.publicKey, bits: 256, paramSetOid: oid, data: data.subarray(1), signature: sig })).toBe(false);
    }
    // A 256-bit set cannot be used for a 512-bit key.
    expect(() => generateGost2015KeyPair(512, '1.2.398.3.10.1.1.2.1.1')).toThrow(/not 512-bit/);
  });
});
