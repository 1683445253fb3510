import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from './certificate';
import { checkRevocation, httpRevocationSource, parseCrl, parseOcspResponse, verifyCrlSignature, verifyOcspSignature, type CrlCache } from './revocation';

const fx = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, 'fixtures/nca-test', name)));

describe('CRL and OCSP on real NCA test data', () => {
  it('X-3 the real RSA CRL parses and its signature verifies against the NCA RSA test CA', async () => {
    const crl = parseCrl(fx('nca_rsa_test.crl'));
    expect(crl.thisUpdate.toISOString()).toBe('2022-03-29T04:18:29.000Z');
    expect(crl.nextUpdate?.toISOString()).toBe('2022-09-25T04:18:29.000Z');
    expect(crl.revoked.get('474c38696d8677a2c8b6e40345a8b04168c0905c')?.toISOString()).toBe('2021-04-01T06:56:52.000Z');
    expect(await verifyCrlSignature(fx('nca_rsa_test.crl'), fx('nca_rsa_test.crt'))).toBe(true);
  });

  it('X-3 a CRL with one changed byte, or checked against another CA, does not verify', async () => {
    const der = fx('nca_rsa_test.crl');
    const tampered = der.slice();
    tampered[tampered.length - 10] ^= 0x01; // inside the signature value
    expect(await verifyCrlSignature(tampered, fx('nca_rsa_test.crt'))).toBe(false);
    expect(await verifyCrlSignature(der, fx('individual_valid_sign_2004_rsa.cer'))).toBe(false);
  });

  it('X-3 the real OCSP response parses (good, responder, producedAt) and its delegated signature verifies', async () => {
    const der = fx('ocsp_response_individual_sign_2004.bin');
    const r = parseOcspResponse(der);
    expect(r.responseStatus).toBe(0);
    expect(r.producedAt?.toISOString()).toBe('2022-09-02T16:53:59.000Z');
    expect(r.responses).toHaveLength(1);
    expect(r.responses[0].status).toBe('good');
    expect(r.responses[0].serial).toBe('4279390a141f5353a62947b61ed65e81741467d1');
    expect(r.certsDer).toHaveLength(1);
    const responder = await verifyOcspSignature(der, fx('nca_rsa_test.crt'));
    expect(responder).not.toBeNull();
    expect(responder!.extKeyUsage).toContain('1.3.6.1.5.5.7.3.9');
    expect(responder!.bin).toBe('123456789021');
  });

  it('X-3 an OCSP response is refused against a CA that did not delegate its responder', async () => {
    const der = fx('ocsp_response_individual_sign_2004.bin');
    expect(await verifyOcspSignature(der, fx('individual_valid_sign_2004_rsa.cer'))).toBeNull();
    expect(parseCertificate(fx('nca_rsa_test.crt')).isCa).toBe(true);
  });

  it('X-3 the GOST 2015 CRL and OCSP response verify through the GOST bridge (H6 streebog/34.10-2015)', async () => {
    expect(await verifyCrlSignature(fx('nca_gost2022_test.crl'), fx('nca_gost2015_test.cer'))).toBe(true);
    const tampered = fx('nca_gost2022_test.crl').slice();
    tampered[tampered.length - 3] ^= 0x01;
    expect(await verifyCrlSignature(tampered, fx('nca_gost2015_test.cer'))).toBe(false);
    const ocsp = parseOcspResponse(fx('ocsp_response_individual_2015.bin'));
    // The README calls it "status good", but the response itself (as openssl also reads it) says revoked
    // (certificateHold, revocation time 1970-01-01): we report what the signed data say.
    expect(ocsp.responses[0].status).toBe('revoked');
    expect(ocsp.responses[0].revokedAt?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(await verifyOcspSignature(fx('ocsp_response_individual_2015.bin'), fx('nca_gost2015_test.cer'))).not.toBeNull();
  });
});

describe('CRL cache of the HTTP revocation source', () => {
  const crlDer = fx('nca_rsa_test.crl'); // thisUpdate 2022-03-29T04:18:29Z, nextUpdate 2022-09-25T04:18:29Z
  const issuer = parseCertificate(fx('nca_rsa_test.crt'));
  const user = { ...parseCertificate(fx('individual_valid_sign_2004_rsa.cer')), ocspUrls: [], crlUrls: ['http://crl.test/nca_rsa.crl'] };
  const setup = (answers: (Uint8Array | null)[]) => {
    let calls = 0;
    let t = Date.parse('2022-04-01T00:00:00Z');
    const fetchImpl = (async () => {
      const body = answers[Math.min(calls++, answers.length - 1)];
      return body ? new Response(new Blob([body as BlobPart])) : new Response('down', { status: 503 });
    }) as typeof fetch;
    const cache: CrlCache = new Map();
    const src = httpRevocationSource({ fetchImpl, crlCache: cache, crlMaxAgeMs: 60 * 60_000, now: () => t });
    return { src, cache, calls: () => calls, advance: (ms: number) => (t += ms), at: () => new Date(t) };
  };

  it('X-3 a CRL is downloaded once per hour, not at every sign-in, and still judged every time', async () => {
    const s = setup([crlDer]);
    for (let i = 0; i < 5; i++) expect(await checkRevocation(user, issuer, [s.src], s.at())).toMatchObject({ status: 'good', source: 'crl' });
    expect(s.calls()).toBe(1);
    s.advance(61 * 60_000);
    await checkRevocation(user, issuer, [s.src], s.at());
    expect(s.calls()).toBe(2);
  });

  it('X-3 when the CRL server is down the cached CRL serves until its nextUpdate, then the status is unknown', async () => {
    const s = setup([crlDer, null]);
    expect((await checkRevocation(user, issuer, [s.src], s.at())).status).toBe('good');
    s.advance(2 * 60 * 60_000); // refresh due, server down: the cached CRL is still current
    expect((await checkRevocation(user, issuer, [s.src], s.at())).status).toBe('good');
    expect(s.calls()).toBe(2);
    s.advance(200 * 24 * 60 * 60_000); // past nextUpdate: nothing trustworthy left
    expect(await checkRevocation(user, issuer, [s.src], s.at())).toMatchObject({ status: 'unknown' });
  });

  it('X-3 a tampered CRL is never cached as good: it is refused on every check', async () => {
    const bad = crlDer.slice();
    bad[bad.length - 10] ^= 0x01;
    const s = setup([bad]);
    expect(await checkRevocation(user, issuer, [s.src], s.at())).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/CRL signature/) });
    expect(await checkRevocation(user, issuer, [s.src], s.at())).toMatchObject({ status: 'unknown' });
  });
});
