import * as pkijs from 'pkijs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { GET as crlRoute } from '@/app/api/eds/test-pki/crl/route';
import { POST as ocspRoute } from '@/app/api/eds/test-pki/ocsp/route';
import { openP12, signCmsDetached } from './browser/p12-signer';
import { parseCertificate } from './certificate';
import { parseCms } from './cms';
import { ab, fromBase64 } from './encoding';
import { verifyGostSignedObject } from './gost';
import { buildOcspRequest, checkRevocation, parseCrl, parseOcspResponse, verifyCrlSignature, verifyOcspSignature } from './revocation';
import { ensureTestPki, TEST_GOST_INTERMEDIATE_CN, TEST_GOST_ROOT_CN, testPkiCrl, testPkiOcsp, type DemoKeyName, type TestPki } from './test-pki';
import { createBuiltinVerifier, getVerifier, testPkiRevocationSource, type Purpose } from './verifier';

/** Issue 4 part 3: the generated GOST 34.10-2015 test PKI, signed with our own signGost2015, through the whole verifier. */
const t = useTestDb();
let pki: TestPki;
const NOW = new Date('2026-03-10T09:00:00Z');
const data = new TextEncoder().encode('{"action":"sign-in","nonce":"R09TVA=="}');

beforeAll(async () => {
  setClock(NOW);
  pki = await ensureTestPki(t.db);
}, 300_000);
afterEach(() => {
  setClock(NOW);
  delete process.env.EDS_TEST_MODE;
});

async function sign(name: DemoKeyName, usage: Purpose, payload = data, signingTime = NOW): Promise<string> {
  const f = pki.keys[name][usage];
  return signCmsDetached(await openP12(f.p12, f.password), payload, { signingTime });
}

function verifier() {
  return createBuiltinVerifier({
    trustedRoots: [pki.rootDer, pki.gost.rootDer],
    intermediates: [pki.intermediateDer, pki.gost.intermediateDer],
    revocation: [testPkiRevocationSource(t.db)],
  });
}

const GOST_SIG = '1.2.398.3.10.1.1.2.3.2';

describe('GOST 34.10-2015 test PKI', () => {
  it('X-3 root and intermediate mirror NCA GOST 2015 (512-bit paramSetA, Streebog-512, NCA OIDs) and every level is GOST-signed', () => {
    const root = parseCertificate(pki.gost.rootDer);
    const int = parseCertificate(pki.gost.intermediateDer);
    expect(root.commonName).toBe(TEST_GOST_ROOT_CN);
    expect(int.commonName).toBe(TEST_GOST_INTERMEDIATE_CN);
    for (const c of [root, int]) {
      expect(c.publicKeyAlgorithm).toBe('gost2015-512');
      expect(c.signatureAlgorithmOid).toBe(GOST_SIG);
      expect(c.isCa).toBe(true);
    }
    const spki = pkijs.Certificate.fromBER(ab(pki.gost.intermediateDer)).subjectPublicKeyInfo;
    expect(spki.algorithm.algorithmId).toBe('1.2.398.3.10.1.1.2.2');
    expect(verifyGostSignedObject('certificate', pki.gost.rootDer, pki.gost.rootDer)).toBe(true);
    expect(verifyGostSignedObject('certificate', pki.gost.intermediateDer, pki.gost.rootDer)).toBe(true);
    // The intermediate does not verify under its own key (it is not self-signed), nor the RSA root's chain.
    expect(verifyGostSignedObject('certificate', pki.gost.intermediateDer, pki.gost.intermediateDer)).toBe(false);
    const head = parseCertificate(pki.keys.gost_first_head.auth.certDer);
    expect(head.publicKeyAlgorithm).toBe('gost2015-512');
    expect(head.ncaRoles).toEqual(['legal_entity', 'first_head']);
    expect(head.bin).toBe(pki.keys.gost_first_head.bin);
    expect(head.purposes).toEqual(['auth']);
    expect(parseCertificate(pki.keys.gost_individual.sign.certDer).purposes).toEqual(['sign']);
    expect(verifyGostSignedObject('certificate', pki.keys.gost_individual.sign.certDer, pki.gost.intermediateDer)).toBe(true);
  });

  it('X-3 a GOST demo key file opens with its password and signs a CMS with Streebog-512 + GOST 2015 (NCA OIDs)', async () => {
    const f = pki.keys.gost_individual.auth;
    await expect(openP12(f.p12, 'wrong-password')).rejects.toMatchObject({ code: 'wrong_password' });
    const k = await openP12(f.p12, f.password);
    expect(k.chainDer).toHaveLength(2);
    const cms = parseCms(await signCmsDetached(k, data, { signingTime: NOW }));
    expect(cms.digestAlgorithmOid).toBe('1.2.398.3.10.1.3.3');
    expect(cms.signatureAlgorithmOid).toBe(GOST_SIG);
    expect(cms.signature).toHaveLength(128);
  });

  it('X-3 the GOST CRL and OCSP responses are signed with GOST by the intermediate; OCSP echoes the nonce', async () => {
    const crlDer = await testPkiCrl(t.db, NOW, 'gost');
    const crl = parseCrl(crlDer);
    expect(crl.signatureAlgorithmOid).toBe(GOST_SIG);
    expect(await verifyCrlSignature(crlDer, pki.gost.intermediateDer)).toBe(true);
    expect(await verifyCrlSignature(crlDer, pki.intermediateDer)).toBe(false);
    const revoked = parseCertificate(pki.keys.gost_revoked.auth.certDer);
    expect(crl.revoked.has(revoked.serialNumber)).toBe(true);
    expect(crl.revoked.has(parseCertificate(pki.keys.gost_individual.auth.certDer).serialNumber)).toBe(false);
    // The RSA CRL does not list GOST certificates and vice versa.
    expect(parseCrl(await testPkiCrl(t.db, NOW)).revoked.has(revoked.serialNumber)).toBe(false);

    const nonce = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2]);
    const req = await buildOcspRequest(pki.keys.gost_revoked.auth.certDer, pki.gost.intermediateDer, nonce);
    const der = await testPkiOcsp(t.db, req, NOW);
    const parsed = parseOcspResponse(der);
    expect(parsed.basic!.signatureAlgorithm.algorithmId).toBe(GOST_SIG);
    expect(parsed.responses[0].status).toBe('revoked');
    expect(Buffer.from(parsed.nonce!).toString('hex')).toBe('0908070605040302');
    expect(await verifyOcspSignature(der, pki.gost.intermediateDer)).not.toBeNull();
    expect(await verifyOcspSignature(der, pki.intermediateDer)).toBeNull();
    const good = parseOcspResponse(await testPkiOcsp(t.db, await buildOcspRequest(pki.keys.gost_individual.sign.certDer, pki.gost.intermediateDer, nonce), NOW));
    expect(good.responses[0].status).toBe('good');
  });

  it('X-3 the app serves the GOST CRL (?ca=gost) and answers GOST OCSP requests in test mode only', async () => {
    expect((await crlRoute(new Request('http://x/api/eds/test-pki/crl?ca=gost'))).status).toBe(404);
    process.env.EDS_TEST_MODE = '1';
    const res = await crlRoute(new Request('http://x/api/eds/test-pki/crl?ca=gost'));
    expect(res.status).toBe(200);
    const der = new Uint8Array(await res.arrayBuffer());
    expect(await verifyCrlSignature(der, pki.gost.intermediateDer)).toBe(true);
    expect((await crlRoute(new Request('http://x/api/eds/test-pki/crl?ca=other'))).status).toBe(400);
    const req = await buildOcspRequest(pki.keys.gost_revoked.sign.certDer, pki.gost.intermediateDer, new Uint8Array([1, 1, 2, 3]));
    const o = await ocspRoute(new Request('http://x/api/eds/test-pki/ocsp', { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.from(req) }));
    expect(parseOcspResponse(new Uint8Array(await o.arrayBuffer())).responses[0].status).toBe('revoked');
    // The certificates point at these URLs.
    const c = parseCertificate(pki.keys.gost_individual.sign.certDer);
    expect(c.crlUrls[0]).toMatch(/\/api\/eds\/test-pki\/crl\?ca=gost$/);
    expect(c.ocspUrls[0]).toMatch(/\/api\/eds\/test-pki\/ocsp$/);
  });
});

describe('GOST signatures through the verifier', () => {
  it('X-3 a GOST AUTH signature is accepted: chain every level, valid at signing time and now, OCSP good with nonce', async () => {
    const r = await verifier().verifyCms({ cms: await sign('gost_individual', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: true, validNow: true, validAtSigningTime: true, signingTimeSource: 'signed_attribute', revocation: { source: 'ocsp' } });
    if (!r.ok) return;
    expect(r.chain.map((c) => c.commonName)).toEqual([expect.stringContaining('НҰРҒАЛИЕВ'), TEST_GOST_INTERMEDIATE_CN, TEST_GOST_ROOT_CN]);
    expect(r.signer.iin).toBe(pki.keys.gost_individual.iin);
  });

  it('X-4 a GOST SIGN signature of a first head is accepted for documents; the AUTH key is refused for signing', async () => {
    const ok = await verifier().verifyCms({ cms: await sign('gost_first_head', 'sign'), detachedContent: data, purpose: 'sign', judgeAt: 'signing_time' });
    expect(ok).toMatchObject({ ok: true });
    const wrong = await verifier().verifyCms({ cms: await sign('gost_first_head', 'auth'), detachedContent: data, purpose: 'sign' });
    expect(wrong).toMatchObject({ ok: false, code: 'wrong_key_usage' });
  });

  it('X-3 a GOST signature over other data is refused (payload changed after signing)', async () => {
    const r = await verifier().verifyCms({ cms: await sign('gost_individual', 'auth'), detachedContent: new TextEncoder().encode('other'), purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'payload_mismatch' });
  });

  it('X-3 the revoked GOST certificate is refused by OCSP and, without OCSP, by the GOST CRL', async () => {
    const cms = await sign('gost_revoked', 'auth');
    const byOcsp = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'auth' });
    expect(byOcsp).toMatchObject({ ok: false, code: 'revoked', message: expect.stringContaining('(OCSP)') });
    const crlOnly = createBuiltinVerifier({ trustedRoots: [pki.gost.rootDer], intermediates: [pki.gost.intermediateDer], revocation: [testPkiRevocationSource(t.db, { ocsp: false })] });
    const byCrl = await crlOnly.verifyCms({ cms, detachedContent: data, purpose: 'auth' });
    expect(byCrl).toMatchObject({ ok: false, code: 'revoked', message: expect.stringContaining('(CRL)') });
    // A good GOST key by the CRL fallback.
    const fine = await crlOnly.verifyCms({ cms: await sign('gost_individual', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(fine).toMatchObject({ ok: true, revocation: { source: 'crl' } });
  });

  it('X-3 the expired GOST certificate is refused now and judged valid at a signing time inside its validity', async () => {
    const now = await verifier().verifyCms({ cms: await sign('gost_expired', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(now).toMatchObject({ ok: false, code: 'expired', message: expect.stringContaining('expired on 2024-01-01') });
    const then = await verifier().verifyCms({
      cms: await sign('gost_expired', 'sign', data, new Date('2023-06-01T00:00:00Z')),
      detachedContent: data,
      purpose: 'sign',
      judgeAt: 'signing_time',
    });
    expect(then).toMatchObject({ ok: true, validAtSigningTime: true, validNow: false });
  });

  it('X-3 the GOST chain is trusted only in EDS test mode', async () => {
    const plain = createBuiltinVerifier({ trustedRoots: [pki.rootDer], intermediates: [pki.intermediateDer], revocation: [testPkiRevocationSource(t.db)] });
    expect(await plain.verifyCms({ cms: await sign('gost_individual', 'auth'), detachedContent: data, purpose: 'auth' })).toMatchObject({ ok: false, code: 'untrusted_chain' });
    delete process.env.EDS_TEST_MODE;
    const prod = await getVerifier();
    expect(await prod.verifyCms({ cms: await sign('gost_individual', 'auth'), detachedContent: data, purpose: 'auth' })).toMatchObject({ ok: false, code: 'untrusted_chain' });
    process.env.EDS_TEST_MODE = '1';
    const demo = await getVerifier();
    expect(await demo.verifyCms({ cms: await sign('gost_individual', 'auth'), detachedContent: data, purpose: 'auth' })).toMatchObject({ ok: true });
  });

  it('X-3 a CMS made with a GOST key and checked against the RSA certificate of another person is refused', async () => {
    // Swap in another certificate: the GOST signature must not verify with a foreign key.
    const f = pki.keys.gost_individual.auth;
    const k = await openP12(f.p12, f.password);
    const forged = await signCmsDetached({ certDer: pki.keys.gost_first_head.auth.certDer, privateKey: k.privateKey }, data, { signingTime: NOW });
    expect(fromBase64(forged).length).toBeGreaterThan(0);
    const r = await verifier().verifyCms({ cms: forged, detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'bad_signature' });
  });
});

it('X-3 a revocation check of a GOST certificate goes OCSP first, then the GOST CRL', async () => {
  const signer = parseCertificate(pki.keys.gost_individual.auth.certDer);
  const issuer = parseCertificate(pki.gost.intermediateDer);
  expect(await checkRevocation(signer, issuer, [testPkiRevocationSource(t.db)], NOW)).toMatchObject({ status: 'good', source: 'ocsp' });
  expect(await checkRevocation(signer, issuer, [testPkiRevocationSource(t.db, { ocsp: false })], NOW)).toMatchObject({ status: 'good', source: 'crl' });
});

describe('X-3 OCSP answers about intermediates are cached', () => {
  it('X-3 an OCSP answer is reused per responder and certificate until min(nextUpdate, 1 h), judged again each time', async () => {
    const cert = parseCertificate(pki.keys.gost_individual.auth.certDer);
    const issuer = parseCertificate(pki.gost.intermediateDer);
    const inner = testPkiRevocationSource(t.db, { crl: false });
    let asked = 0;
    const counting = { name: 'counting', ocsp: async (c: typeof cert, i: typeof issuer, req: Uint8Array) => (asked++, inner.ocsp!(c, i, req)) };
    const cache = new Map<string, { der: Uint8Array; refreshAfter: number }>();
    expect(await checkRevocation(cert, issuer, [counting], NOW, { ocspCache: cache })).toMatchObject({ status: 'good', source: 'ocsp' });
    expect(await checkRevocation(cert, issuer, [counting], new Date(NOW.getTime() + 30 * 60_000), { ocspCache: cache })).toMatchObject({ status: 'good', source: 'ocsp' });
    expect(asked).toBe(1);
    // The test responder's answers are valid for 1 hour: after that it is asked again.
    expect(await checkRevocation(cert, issuer, [counting], new Date(NOW.getTime() + 61 * 60_000), { ocspCache: cache })).toMatchObject({ status: 'good' });
    expect(asked).toBe(2);
    // A cached answer that no longer holds (here: a changed signature) is dropped and the responder is asked.
    const [key, entry] = [...cache.entries()][0];
    const bad = entry.der.slice();
    bad[bad.length - 5] ^= 1;
    cache.set(key, { der: bad, refreshAfter: entry.refreshAfter });
    expect(await checkRevocation(cert, issuer, [counting], new Date(NOW.getTime() + 62 * 60_000), { ocspCache: cache })).toMatchObject({ status: 'good' });
    expect(asked).toBe(3);
    // Without a cache (signers' certificates), every check asks with a fresh nonce.
    await checkRevocation(cert, issuer, [counting], NOW);
    await checkRevocation(cert, issuer, [counting], NOW);
    expect(asked).toBe(5);
  });
});
