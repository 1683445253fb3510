import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signatures } from '@/db/schema/eds';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { openP12, signCmsDetached } from './browser/p12-signer';
import { parseCertificate } from './certificate';
import { parseCms } from './cms';
import { fromBase64, toBase64 } from './encoding';
import { isValidIinOrBin } from './iin';
import { parseCrl, parseOcspResponse, type RevocationSource } from './revocation';
import { ensureTestPki, testPkiCrl, type DemoKeyName, type TestPki } from './test-pki';
import { createBuiltinVerifier, getVerifier, testPkiRevocationSource, type Purpose } from './verifier';
import { GET as crlRoute } from '@/app/api/eds/test-pki/crl/route';
import { POST as ocspRoute } from '@/app/api/eds/test-pki/ocsp/route';

const t = useTestDb();
let pki: TestPki;
const NOW = new Date('2026-03-10T09:00:00Z');
const data = new TextEncoder().encode('{"action":"sign-in","nonce":"3q2+7w=="}');

beforeAll(async () => {
  setClock(NOW);
  pki = await ensureTestPki(t.db);
}, 300_000);
afterEach(() => {
  setClock(NOW);
  delete process.env.EDS_TEST_MODE;
});

async function sign(name: DemoKeyName, usage: Purpose, payload = data): Promise<string> {
  const f = pki.keys[name][usage];
  const key = await openP12(f.p12, f.password);
  return signCmsDetached(key, payload, { signingTime: NOW });
}

function verifier(sources?: RevocationSource[]) {
  return createBuiltinVerifier({
    trustedRoots: [pki.rootDer],
    intermediates: [pki.intermediateDer],
    revocation: sources ?? [testPkiRevocationSource(t.db)],
  });
}

describe('test PKI', () => {
  it('X-3 is generated once, stored, and mirrors NCA subjects, usages and roles', async () => {
    const again = await ensureTestPki(t.db);
    expect(toBase64(again.rootDer)).toBe(toBase64(pki.rootDer));
    const rows = await t.db.execute(sql`select count(*)::int as n from eds_test_pki`);
    expect((rows as unknown as { n: number }[])[0].n).toBe(1);
    const head = parseCertificate(pki.keys.first_head.auth.certDer);
    expect(head.iin).toBe(pki.keys.first_head.iin);
    expect(isValidIinOrBin(head.iin!)).toBe(true);
    expect(head.bin).toBe(pki.keys.first_head.bin);
    expect(head.organization).toBe('ТОО "АЛАТАУ ҚҰРЫЛЫС"');
    expect(head.ncaRoles).toEqual(['legal_entity', 'first_head']);
    expect(head.purposes).toEqual(['auth']);
    expect(head.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    const sign = parseCertificate(pki.keys.first_head.sign.certDer);
    expect(sign.purposes).toEqual(['sign']);
    expect(sign.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(parseCertificate(pki.intermediateDer).commonName).toBe('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) TEST');
    expect(parseCertificate(pki.rootDer).commonName).toBe('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) TEST ROOT');
    expect(parseCertificate(pki.keys.individual.sign.certDer).ncaRoles).toEqual(['individual']);
  });

  it('X-3 a demo key file opens only with its password (PBES2 PKCS#12)', async () => {
    const f = pki.keys.individual.auth;
    await expect(openP12(f.p12, 'wrong-password')).rejects.toMatchObject({ code: 'wrong_password' });
    const k = await openP12(f.p12, f.password);
    expect(parseCertificate(k.certDer).iin).toBe(pki.keys.individual.iin);
    expect(k.chainDer).toHaveLength(2);
  });

  it('X-3 the CRL lists the revoked key and the OCSP responder says revoked / good and echoes the nonce', async () => {
    const crl = parseCrl(await testPkiCrl(t.db));
    const revoked = parseCertificate(pki.keys.revoked.sign.certDer);
    expect(crl.revoked.has(revoked.serialNumber)).toBe(true);
    expect(crl.revoked.has(parseCertificate(pki.keys.individual.sign.certDer).serialNumber)).toBe(false);
  });
});

describe('X-3 sign-in signatures (AUTH)', () => {
  it('X-3 a good individual AUTH signature over a nonce verifies and yields the IIN', async () => {
    const r = await verifier().verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.signer.iin).toBe(pki.keys.individual.iin);
    expect(r.chain).toHaveLength(3);
    expect(r.revocation.source).toBe('ocsp');
    expect(r.signingTimeSource).toBe('signed_attribute');
    expect(r.validNow).toBe(true);
    expect(r.validAtSigningTime).toBe(true);
  });

  it('X-3 a legal entity first head signs in with IIN, BIN and role', async () => {
    const r = await verifier().verifyCms({ cms: await sign('first_head', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r.ok && [r.signer.iin, r.signer.bin, r.signer.ncaRoles]).toEqual([pki.keys.first_head.iin, pki.keys.first_head.bin, ['legal_entity', 'first_head']]);
  });

  it('X-3 a SIGN key used to sign in is refused (wrong_key_usage)', async () => {
    const r = await verifier().verifyCms({ cms: await sign('individual', 'sign'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'wrong_key_usage' });
  });

  it('X-3 the wrong_usage key is refused for both purposes', async () => {
    const a = await verifier().verifyCms({ cms: await sign('wrong_usage', 'auth'), detachedContent: data, purpose: 'auth' });
    const s = await verifier().verifyCms({ cms: await sign('wrong_usage', 'sign'), detachedContent: data, purpose: 'sign' });
    expect([a.ok || a.code, s.ok || s.code]).toEqual(['wrong_key_usage', 'wrong_key_usage']);
  });

  it('X-3 an expired certificate is refused (expired)', async () => {
    const r = await verifier().verifyCms({ cms: await sign('expired', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'expired' });
  });

  it('X-3 a not-yet-valid certificate is refused (not_yet_valid)', async () => {
    const r = await verifier().verifyCms({ cms: await sign('not_yet_valid', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'not_yet_valid' });
  });

  it('X-3 a revoked certificate is refused via OCSP (revoked)', async () => {
    const r = await verifier().verifyCms({ cms: await sign('revoked', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'revoked' });
    expect(!r.ok && r.message).toContain('OCSP');
  });

  it('X-3 a revoked certificate is refused via the CRL when OCSP is down', async () => {
    const r = await verifier([testPkiRevocationSource(t.db, { ocsp: false })]).verifyCms({ cms: await sign('revoked', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'revoked' });
    expect(!r.ok && r.message).toContain('CRL');
    const good = await verifier([testPkiRevocationSource(t.db, { ocsp: false })]).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(good.ok && good.revocation.source).toBe('crl');
  });

  it('X-3 when neither OCSP nor CRL answers, sign-in is refused (revocation_unknown)', async () => {
    const silent: RevocationSource = { name: 'down', ocsp: async () => null, crl: async () => null };
    const r = await verifier([silent]).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'revocation_unknown' });
  });

  it('X-3 a tampered OCSP answer is not trusted (and with no CRL: revocation_unknown)', async () => {
    const forged: RevocationSource = {
      name: 'forged',
      // A real answer with its signature broken.
      ocsp: async (_c, _i, req) => (await import('./test-pki')).testPkiOcsp(t.db, req).then((d) => {
        const bad = d.slice();
        bad[bad.length - 5] ^= 0xff;
        return bad;
      }),
    };
    const r = await verifier([forged]).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'revocation_unknown' });
  });

  it('X-3 a certificate under a foreign root is refused (untrusted_chain)', async () => {
    const r = await verifier().verifyCms({ cms: await sign('foreign_root', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'untrusted_chain' });
  });

  it('X-3 a self-made CA copying the NCA subject is refused (untrusted_chain)', async () => {
    const f = pki.keys.fake_nca_subject.auth;
    const cert = parseCertificate(f.certDer);
    expect(cert.issuerDn).toBe(parseCertificate(pki.intermediateDer).subjectDn);
    const r = await verifier().verifyCms({ cms: await sign('fake_nca_subject', 'auth'), detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'untrusted_chain' });
  });

  it('X-3 a payload changed after signing is refused (payload_mismatch)', async () => {
    const cms = await sign('individual', 'auth');
    const r = await verifier().verifyCms({ cms, detachedContent: new TextEncoder().encode('{"action":"sign-in","nonce":"AAAA"}'), purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'payload_mismatch' });
  });

  it('X-3 a signature value changed after signing is refused (bad_signature)', async () => {
    const der = fromBase64(await sign('individual', 'auth'));
    const p = parseCms(der);
    // Flip a byte inside the signature value (it sits after the signed attributes, near the end).
    const idx = Buffer.from(der).lastIndexOf(Buffer.from(p.signature.subarray(0, 16)));
    der[idx + 20] ^= 0x01;
    const r = await verifier().verifyCms({ cms: der, detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('X-3 garbage is refused as malformed', async () => {
    const r = await verifier().verifyCms({ cms: 'bm90IGEgY21z', detachedContent: data, purpose: 'auth' });
    expect(r).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('X-3 with EDS_TEST_MODE off the test roots are not trusted (untrusted_chain); on, they are', async () => {
    const cms = await sign('individual', 'auth');
    delete process.env.EDS_TEST_MODE;
    const off = await (await getVerifier()).verifyCms({ cms, detachedContent: data, purpose: 'auth' });
    expect(off).toMatchObject({ ok: false, code: 'untrusted_chain' });
    process.env.EDS_TEST_MODE = '1';
    const on = await (await getVerifier()).verifyCms({ cms, detachedContent: data, purpose: 'auth' });
    expect(on.ok).toBe(true);
  });
});

describe('X-4 signed actions (SIGN)', () => {
  it('X-4 a SIGN signature verifies for purpose sign; an AUTH key is refused for it', async () => {
    const ok = await verifier().verifyCms({ cms: await sign('employee', 'sign'), detachedContent: data, purpose: 'sign' });
    expect(ok.ok).toBe(true);
    const bad = await verifier().verifyCms({ cms: await sign('employee', 'auth'), detachedContent: data, purpose: 'sign' });
    expect(bad).toMatchObject({ ok: false, code: 'wrong_key_usage' });
  });

  it('X-4 a document is judged at its signing time: an expired key signed while valid passes with judgeAt signing_time', async () => {
    const f = pki.keys.expired.sign;
    const key = await openP12(f.p12, f.password);
    const cms = await signCmsDetached(key, data, { signingTime: new Date('2023-06-01T00:00:00Z') });
    // No revocation answer is needed to show the time verdict: it refuses earlier when judged now.
    const now = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign' });
    expect(now).toMatchObject({ ok: false, code: 'expired' });
    const atSigning = await verifier().verifyCms({ cms, detachedContent: data, purpose: 'sign', judgeAt: 'signing_time' });
    expect(atSigning).toMatchObject({ ok: true });
    expect(atSigning.ok && [atSigning.validAtSigningTime, atSigning.validNow]).toEqual([true, false]);
  });

  it('X-4 X-5 stored signatures are append-only', async () => {
    const [row] = await t.db
      .insert(signatures)
      .values({
        signerIin: pki.keys.individual.iin,
        certDer: toBase64(pki.keys.individual.sign.certDer),
        certFingerprint: 'x',
        certSerial: 'x',
        purpose: 'sign',
        cms: 'x',
        contentSha256: 'x',
        verifiedAt: NOW,
        verdict: {},
      })
      .returning();
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    await expect(t.db.execute(sql`update signatures set subject = 'changed'`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from signatures`)).rejects.toThrow();
  });
});

describe('test PKI routes', () => {
  it('X-3 CRL and OCSP routes answer only in EDS test mode', async () => {
    delete process.env.EDS_TEST_MODE;
    expect((await crlRoute(new Request('http://x/api/eds/test-pki/crl'))).status).toBe(404);
    process.env.EDS_TEST_MODE = '1';
    const res = await crlRoute(new Request('http://x/api/eds/test-pki/crl'));
    expect(res.headers.get('content-type')).toBe('application/pkix-crl');
    expect(parseCrl(new Uint8Array(await res.arrayBuffer())).revoked.size).toBe(2);
    const { buildOcspRequest } = await import('./revocation');
    const nonce = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const req = await buildOcspRequest(pki.keys.revoked.auth.certDer, pki.intermediateDer, nonce);
    const o = await ocspRoute(new Request('http://x/api/eds/test-pki/ocsp', { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.from(req) }));
    expect(o.headers.get('content-type')).toBe('application/ocsp-response');
    const parsed = parseOcspResponse(new Uint8Array(await o.arrayBuffer()));
    expect(parsed.responses[0].status).toBe('revoked');
    expect(Buffer.from(parsed.nonce!).toString('hex')).toBe('0102030405060708');
  });
});
