import { beforeAll, describe, expect, it } from 'vitest';
import { signCmsDetached } from './browser/p12-signer';
import { withCheckDigit } from './iin';
import type { RevocationSource } from './revocation';
import { addTimestamp, extraCrlSource, generateExtraPki, type ExtraPki } from './test-pki-extra';
import { createBuiltinVerifier } from './verifier';

/**
 * hardening on a second generated PKI whose root key is kept (lib/eds/test-pki-extra.ts): revocation is
 * checked at every level of the chain, and a timestamp token's time is trusted only from a TSA that chains to a
 * pinned root and is fit to stamp time.
 */

let pki: ExtraPki;
const NOW = new Date('2026-03-10T09:00:00Z');
const data = new TextEncoder().encode('{"action":"profile.update","input":{},"nonce":"AAAA"}');

beforeAll(async () => {
  pki = await generateExtraPki({ underGood: withCheckDigit('90010112345'), underRevoked: withCheckDigit('90010154321') });
}, 120_000);

function verifier(sources?: RevocationSource[]) {
  return createBuiltinVerifier({
    trustedRoots: [pki.rootDer],
    intermediates: [pki.goodIntermediateDer, pki.revokedIntermediateDer],
    revocation: sources ?? [extraCrlSource(pki, () => NOW)],
  });
}

describe('X-3 revocation at every level of the chain', () => {
  it('X-3 X-4 a user certificate under a revoked intermediate CA is refused (revoked), though the user certificate itself is not revoked', async () => {
    const cms = await signCmsDetached(pki.underRevoked, data, { signingTime: NOW });
    const r = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'revoked' });
    expect(!r.ok && r.message).toContain('EXTRA TEST CA REVOKED');
    expect(!r.ok && r.message).toContain('CRL');
  });

  it('X-3 X-4 a user certificate under the good intermediate of the same root is accepted (the root CRL lists only the other)', async () => {
    const cms = await signCmsDetached(pki.underGood, data, { signingTime: NOW });
    const r = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: true, revocation: { status: 'good', source: 'crl' } });
    expect(r.ok && r.chain.map((c) => c.commonName)).toEqual([expect.any(String), 'EXTRA TEST CA GOOD', 'EXTRA TEST ROOT']);
  });

  it('X-3 when the intermediate CA’s status cannot be checked (no root CRL), the signature is refused (revocation_unknown)', async () => {
    const leafOnly: RevocationSource = {
      name: 'leaf-only',
      crl: async (_c, issuer) => (Buffer.from(issuer.der).equals(Buffer.from(pki.rootDer)) ? null : pki.crlOf(issuer.der, NOW)),
    };
    const cms = await signCmsDetached(pki.underGood, data, { signingTime: NOW });
    const r = await verifier([leafOnly]).verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'revocation_unknown' });
    expect(!r.ok && r.message).toContain('EXTRA TEST CA GOOD');
  });

  it('X-3 a root CRL signed by another key is not trusted for the intermediate (revocation_unknown, not good)', async () => {
    const forged: RevocationSource = {
      name: 'forged-root-crl',
      // The good intermediate's own CRL offered as the root's: its signature does not verify with the root key.
      crl: async (_c, issuer) => (Buffer.from(issuer.der).equals(Buffer.from(pki.rootDer)) ? pki.crlOf(pki.goodIntermediateDer, NOW) : pki.crlOf(issuer.der, NOW)),
    };
    const cms = await signCmsDetached(pki.underRevoked, data, { signingTime: NOW });
    const r = await verifier([forged]).verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'revocation_unknown' });
  });
});

describe('X-3 X-4 timestamp tokens: the TSA must chain to a trusted root', () => {
  const SIGNED_ATTR_TIME = new Date('2026-03-10T08:00:00Z');
  const GEN_TIME = new Date('2026-03-10T07:59:30Z');

  it('X-4 a token from a TSA under the trusted root gives the signing time (source timestamp)', async () => {
    const cms = await addTimestamp(await signCmsDetached(pki.underGood, data, { signingTime: SIGNED_ATTR_TIME }), pki.tsa, GEN_TIME, [pki.goodIntermediateDer]);
    const r = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: true, signingTimeSource: 'timestamp' });
    expect(r.ok && r.signedAt?.toISOString()).toBe(GEN_TIME.toISOString());
  });

  it('X-4 a token from a TSA under an untrusted root is ignored: the signed attribute time is used', async () => {
    const cms = await addTimestamp(await signCmsDetached(pki.underGood, data, { signingTime: SIGNED_ATTR_TIME }), pki.tsaForeign, GEN_TIME, [pki.tsaForeign.rootDer]);
    const r = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: true, signingTimeSource: 'signed_attribute' });
    expect(r.ok && r.signedAt?.toISOString()).toBe(SIGNED_ATTR_TIME.toISOString());
  });

  it('X-4 a token signed by a certificate without the timeStamping usage is ignored', async () => {
    const cms = await addTimestamp(await signCmsDetached(pki.underGood, data, { signingTime: SIGNED_ATTR_TIME }), pki.tsaWithoutUsage, GEN_TIME, [pki.goodIntermediateDer]);
    const r = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: true, signingTimeSource: 'signed_attribute' });
  });

  it('X-4 a token from a revoked TSA is not used: the verdict says so and the signed attribute time is used', async () => {
    const cms = await addTimestamp(await signCmsDetached(pki.underGood, data, { signingTime: SIGNED_ATTR_TIME }), pki.tsaRevoked, GEN_TIME, [pki.goodIntermediateDer]);
    const r = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: true, signingTimeSource: 'signed_attribute', timestampIgnored: expect.stringMatching(/TSA certificate .* was revoked on .*\(CRL\): its time is not used/) });
    expect(r.ok && r.signedAt?.toISOString()).toBe(SIGNED_ATTR_TIME.toISOString());
    // The good TSA's token still gives the time (and says nothing about being ignored).
    const good = await verifier().verifyCms({
      cms: await addTimestamp(await signCmsDetached(pki.underGood, data, { signingTime: SIGNED_ATTR_TIME }), pki.tsa, GEN_TIME, [pki.goodIntermediateDer]),
      detachedContent: data,
      purpose: 'sign',
      now: NOW,
    });
    expect(good).toMatchObject({ ok: true, signingTimeSource: 'timestamp' });
    expect(good.ok && good.timestampIgnored).toBeUndefined();
  });

  it('X-4 a token from a TSA whose revocation status cannot be checked is not used', async () => {
    const cms = await addTimestamp(await signCmsDetached(pki.underGood, data, { signingTime: SIGNED_ATTR_TIME }), pki.tsa, GEN_TIME, [pki.goodIntermediateDer]);
    // CRLs only for the CA levels (root, revoked intermediate): nobody answers for certificates of the good intermediate...
    const partial: RevocationSource = {
      name: 'partial',
      crl: async (cert, issuer) => (cert.commonName === 'EXTRA TEST TSA' ? null : pki.crlOf(issuer.der, NOW)),
    };
    const r = await verifier([partial]).verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: true, signingTimeSource: 'signed_attribute', timestampIgnored: expect.stringContaining('cannot be checked') });
  });

  it('X-4 a token stamping another signature value is ignored', async () => {
    const other = await signCmsDetached(pki.underGood, new TextEncoder().encode('other'), { signingTime: SIGNED_ATTR_TIME });
    const stamped = await addTimestamp(other, pki.tsa, GEN_TIME, [pki.goodIntermediateDer]);
    // Move the other signature's token onto this signature.
    const pkijs = await import('pkijs');
    const { ab, fromBase64, toBase64 } = await import('./encoding');
    const src = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(ab(fromBase64(stamped))).content });
    const mineCi = pkijs.ContentInfo.fromBER(ab(fromBase64(await signCmsDetached(pki.underGood, data, { signingTime: SIGNED_ATTR_TIME }))));
    const mine = new pkijs.SignedData({ schema: mineCi.content });
    mine.signerInfos[0].unsignedAttrs = src.signerInfos[0].unsignedAttrs;
    const cms = toBase64(new Uint8Array(new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: mine.toSchema(true) }).toSchema().toBER(false)));
    const r = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign', now: NOW });
    expect(r).toMatchObject({ ok: true, signingTimeSource: 'signed_attribute' });
  });
});
