import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDb } from '@/lib/testing/db';
import { openP12, signCmsDetached } from './browser/p12-signer';
import { ncanodeVerifier } from './ncanode';
import { ensureTestPki, type DemoKeyName, type TestPki } from './test-pki';

/**
 * The optional NCANode adapter against an HTTP server that speaks NCANode v3's `/cms/verify` contract (the answers
 * below follow its documented JSON). Real CMS signatures from the test PKI; what is checked is what the adapter
 * sends and how it reads each kind of answer — no live NCANode (Java + NCA's library) runs here.
 */
const t = useTestDb();
const NOW = new Date('2026-03-10T09:00:00Z');
const data = new TextEncoder().encode('{"action":"sign-in","nonce":"3q2+7w=="}');
let pki: TestPki;
let server: http.Server;
let url: string;
let answer: { status: number; body: string } = { status: 200, body: '{}' };
const received: Record<string, unknown>[] = [];

const json = (o: unknown) => ({ status: 200, body: JSON.stringify(o) });
const certAnswer = (revocations: unknown[], valid = true) =>
  json({ valid, signers: [{ certificates: [{ valid, notBefore: '2025-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', revocations }] }] });

beforeAll(async () => {
  pki = await ensureTestPki(t.db);
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url, method: req.method, ...(JSON.parse(body || '{}') as object) });
      res.writeHead(answer.status, { 'content-type': answer.body.startsWith('{') ? 'application/json' : 'text/html' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}, 300_000);
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function sign(name: DemoKeyName, usage: 'auth' | 'sign', payload = data): Promise<string> {
  const f = pki.keys[name][usage];
  return signCmsDetached(await openP12(f.p12, f.password), payload, { signingTime: NOW });
}

describe('NCANode adapter (X-3)', () => {
  it('X-3 a valid signature with OCSP checked: the adapter asks for OCSP and CRL, sends the detached data, and says validity is judged now only', async () => {
    answer = certAnswer([{ revoked: false, by: 'OCSP' }]);
    received.length = 0;
    const cms = await sign('individual', 'auth');
    const r = await ncanodeVerifier({ url }).verifyCms({ cms, detachedContent: data, purpose: 'auth', now: NOW });
    expect(r).toMatchObject({ ok: true, validAtSigningTime: false, validNow: true, revocation: { status: 'good', source: 'ocsp' } });
    expect(r.ok && r.signer.iin).toBe(pki.keys.individual.iin);
    expect(pki.keys.individual.iin).toMatch(/^\d{12}$/);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: '/cms/verify', method: 'POST', cms, revocationCheck: ['OCSP', 'CRL'], data: Buffer.from(data).toString('base64') });
  });

  it('X-3 a revocation found by NCANode (CRL) refuses with "revoked"', async () => {
    answer = certAnswer([{ revoked: true, by: 'CRL' }], false);
    const r = await ncanodeVerifier({ url }).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'revoked' });
  });

  it('X-3 NCANode that skipped revocation is not trusted: revocation_unknown', async () => {
    answer = certAnswer([]);
    const r = await ncanodeVerifier({ url }).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'revocation_unknown' });
  });

  it('X-3 NCANode refusing the signature (no certificate judged) → bad_signature; with certificates → untrusted_chain', async () => {
    answer = json({ valid: false, message: 'signature invalid', signers: [] });
    expect(await ncanodeVerifier({ url }).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth', now: NOW })).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
    answer = certAnswer([{ revoked: false, by: 'OCSP' }], false);
    expect(await ncanodeVerifier({ url }).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth', now: NOW })).toMatchObject({
      ok: false,
      code: 'untrusted_chain',
    });
  });

  it('X-3 data changed after signing are refused locally, before NCANode is asked', async () => {
    received.length = 0;
    const cms = await sign('individual', 'auth');
    const r = await ncanodeVerifier({ url }).verifyCms({ cms, detachedContent: new TextEncoder().encode('{"action":"sign-in","nonce":"AAAA"}'), purpose: 'auth', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'payload_mismatch' });
    expect(received).toHaveLength(0);
  });

  it('X-3 a SIGN key offered for sign-in is refused even when NCANode finds it valid (wrong_key_usage)', async () => {
    answer = certAnswer([{ revoked: false, by: 'OCSP' }]);
    const r = await ncanodeVerifier({ url }).verifyCms({ cms: await sign('individual', 'sign'), detachedContent: data, purpose: 'auth', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'wrong_key_usage' });
  });

  it('X-3 an expired certificate is refused by its dates whatever NCANode answers', async () => {
    answer = certAnswer([{ revoked: false, by: 'OCSP' }]);
    const r = await ncanodeVerifier({ url }).verifyCms({ cms: await sign('expired', 'auth'), detachedContent: data, purpose: 'auth', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'expired' });
  });

  it('X-3 NCANode down or answering an HTML error page → revocation_unknown, never a pass', async () => {
    answer = { status: 502, body: '<html>Bad Gateway</html>' };
    expect(await ncanodeVerifier({ url }).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth', now: NOW })).toMatchObject({
      ok: false,
      code: 'revocation_unknown',
    });
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(
      await ncanodeVerifier({ url: `http://127.0.0.1:${port}`, timeoutMs: 2000 }).verifyCms({ cms: await sign('individual', 'auth'), detachedContent: data, purpose: 'auth', now: NOW }),
    ).toMatchObject({ ok: false, code: 'revocation_unknown' });
  });
});
