import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ab, bytesEqual, serialHex, toDer } from './encoding';
import { certInfoOf, OID, type CertInfo } from './certificate';
import { verifySignedObject } from './signature';

/**
 * CRLs and OCSP: parsing, signature checks (RSA/ECDSA via WebCrypto, GOST 2015 via lib/eds/gost),
 * and pluggable sources: HTTP for real NCA URLs, in-process for the test PKI.
 */

export type ParsedCrl = {
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | null;
  revoked: Map<string, Date>;
  signatureAlgorithmOid: string;
  der: Uint8Array;
  crl: pkijs.CertificateRevocationList;
};

export function parseCrl(input: Uint8Array | string): ParsedCrl {
  const der = toDer(input);
  const crl = pkijs.CertificateRevocationList.fromBER(ab(der));
  const revoked = new Map<string, Date>();
  for (const r of crl.revokedCertificates ?? []) revoked.set(serialHex(r.userCertificate.valueBlock.valueHexView), r.revocationDate.value);
  return {
    issuerDer: new Uint8Array(crl.issuer.toSchema().toBER(false)),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
    revoked,
    signatureAlgorithmOid: crl.signatureAlgorithm.algorithmId,
    der,
    crl,
  };
}

/** Checks that `issuerCertDer` signed the CRL. */
export async function verifyCrlSignature(crlDer: Uint8Array | string, issuerCertDer: Uint8Array | string): Promise<boolean> {
  const parsed = parseCrl(crlDer);
  const issuerDer = toDer(issuerCertDer);
  const issuer = pkijs.Certificate.fromBER(ab(issuerDer));
  if (!parsed.crl.issuer.isEqual(issuer.subject)) return false;
  return verifySignedObject('crl', parsed.crl, parsed.der, issuer, issuerDer);
}

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';
export type ParsedOcsp = {
  responseStatus: number;
  producedAt: Date | null;
  responderName: pkijs.RelativeDistinguishedNames | null;
  responderKeyHash: Uint8Array | null;
  responses: {
    serial: string;
    issuerNameHash: Uint8Array;
    issuerKeyHash: Uint8Array;
    hashAlgorithmOid: string;
    status: OcspCertStatus;
    revokedAt: Date | null;
    thisUpdate: Date;
    nextUpdate: Date | null;
  }[];
  nonce: Uint8Array | null;
  certsDer: Uint8Array[];
  basic: pkijs.BasicOCSPResponse | null;
  basicDer: Uint8Array | null;
};

const OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

/** The nonce's bytes, whether wrapped in an OCTET STRING (RFC 8954) or raw (older responders). */
function nonceValue(ext: pkijs.Extension): Uint8Array {
  const raw = new Uint8Array(ext.extnValue.valueBlock.valueHexView);
  const inner = asn1js.fromBER(ab(raw));
  if (inner.offset === raw.length && inner.result instanceof asn1js.OctetString) return new Uint8Array(inner.result.valueBlock.valueHexView);
  return raw;
}

export function parseOcspResponse(input: Uint8Array | string): ParsedOcsp {
  const der = toDer(input);
  const resp = pkijs.OCSPResponse.fromBER(ab(der));
  const status = resp.responseStatus.valueBlock.valueDec;
  const empty: ParsedOcsp = { responseStatus: status, producedAt: null, responderName: null, responderKeyHash: null, responses: [], nonce: null, certsDer: [], basic: null, basicDer: null };
  if (status !== 0 || !resp.responseBytes) return empty;
  const basicDer = new Uint8Array(resp.responseBytes.response.valueBlock.valueHexView);
  const basic = pkijs.BasicOCSPResponse.fromBER(ab(basicDer));
  const rd = basic.tbsResponseData;
  const rid = rd.responderID as unknown;
  const responses = rd.responses.map((r) => {
    const cs = r.certStatus as asn1js.BaseBlock & { valueBlock?: { value?: asn1js.BaseBlock[] } };
    const tag = cs.idBlock.tagNumber;
    const s: OcspCertStatus = tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown';
    const revokedAt = s === 'revoked' ? ((cs.valueBlock?.value?.[0] as asn1js.GeneralizedTime | undefined)?.toDate() ?? null) : null;
    return {
      serial: serialHex(r.certID.serialNumber.valueBlock.valueHexView),
      issuerNameHash: new Uint8Array(r.certID.issuerNameHash.valueBlock.valueHexView),
      issuerKeyHash: new Uint8Array(r.certID.issuerKeyHash.valueBlock.valueHexView),
      hashAlgorithmOid: r.certID.hashAlgorithm.algorithmId,
      status: s,
      revokedAt,
      thisUpdate: r.thisUpdate,
      nextUpdate: r.nextUpdate ?? null,
    };
  });
  const nonceExt = rd.responseExtensions?.find((e) => e.extnID === OCSP_NONCE);
  return {
    responseStatus: status,
    producedAt: rd.producedAt,
    responderName: rid instanceof pkijs.RelativeDistinguishedNames ? rid : null,
    responderKeyHash: rid instanceof asn1js.OctetString ? new Uint8Array(rid.valueBlock.valueHexView) : null,
    responses,
    nonce: nonceExt ? nonceValue(nonceExt) : null,
    certsDer: (basic.certs ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => new Uint8Array(c.toSchema().toBER(false))),
    basic,
    basicDer,
  };
}

/**
 * Checks the OCSP response's signature: by the issuer itself, or by a delegated responder certificate
 * included in the response that the issuer signed and that carries the OCSPSigning EKU (RFC 6960 §4.2.2.2).
 * Returns the responder's certificate info, or null when the signature does not hold.
 */
export async function verifyOcspSignature(input: Uint8Array | string, issuerCertDer: Uint8Array | string): Promise<CertInfo | null> {
  const parsed = parseOcspResponse(input);
  if (!parsed.basic || !parsed.basicDer) return null;
  const issuerDer = toDer(issuerCertDer);
  const issuer = pkijs.Certificate.fromBER(ab(issuerDer));
  const candidates: { cert: pkijs.Certificate; der: Uint8Array; delegated: boolean }[] = [{ cert: issuer, der: issuerDer, delegated: false }];
  for (const d of parsed.certsDer) candidates.push({ cert: pkijs.Certificate.fromBER(ab(d)), der: d, delegated: !bytesEqual(d, issuerDer) });
  for (const c of candidates) {
    if (c.delegated) {
      const info = certInfoOf(c.cert, c.der);
      if (!info.extKeyUsage.includes(OID.ocspSigning)) continue;
      if (!c.cert.issuer.isEqual(issuer.subject)) continue;
      if (!(await verifySignedObject('certificate', c.cert, c.der, issuer, issuerDer))) continue;
    }
    // The responder ID must name this candidate (by name or by key hash).
    if (parsed.responderName && !bytesEqual(new Uint8Array(parsed.responderName.toSchema().toBER(false)), new Uint8Array(c.cert.subject.toSchema().toBER(false)))) continue;
    if (parsed.responderKeyHash) {
      const keyHash = new Uint8Array(await crypto.subtle.digest('SHA-1', c.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView.slice()));
      if (!bytesEqual(keyHash, parsed.responderKeyHash)) continue;
    }
    const ok = await verifySignedObject('ocsp', parsed.basic, parsed.basicDer, c.cert, c.der).catch(() => false);
    if (ok) return certInfoOf(c.cert, c.der);
  }
  return null;
}

/** A DER OCSPRequest for one certificate with a nonce extension (SHA-1 CertID, as NCA's responder expects). */
export async function buildOcspRequest(certDer: Uint8Array, issuerDer: Uint8Array, nonce: Uint8Array): Promise<Uint8Array> {
  const cert = pkijs.Certificate.fromBER(ab(certDer));
  const issuer = pkijs.Certificate.fromBER(ab(issuerDer));
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer });
  req.tbsRequest.requestExtensions = [
    new pkijs.Extension({ extnID: OCSP_NONCE, extnValue: new asn1js.OctetString({ valueHex: ab(nonce) }).toBER(false) }),
  ];
  return new Uint8Array(req.toSchema(true).toBER(false));
}

/** Where revocation answers come from. Each method returns DER, or null when it has no answer. */
export interface RevocationSource {
  readonly name: string;
  ocsp?(cert: CertInfo, issuer: CertInfo, requestDer: Uint8Array): Promise<Uint8Array | null>;
  crl?(cert: CertInfo, issuer: CertInfo): Promise<Uint8Array | null>;
  /**
   * An in-process answer about a CA certificate (an intermediate) that this source is itself the authority for,
   * without OCSP or CRL: 'good', or null when it does not know. Only configured sources answer (the test PKI,
   * whose root key is not kept after generation, so its root can never revoke its intermediate).
   */
  caStatus?(cert: CertInfo, issuer: CertInfo): Promise<'good' | null>;
}

/**
 * CRLs fetched over HTTP, kept per URL until the earlier of their nextUpdate and `maxAgeMs` after fetching, so that
 * every sign-in does not download NCA's CRLs again (they are published for hours and grow to megabytes). A CRL that
 * can't be refreshed is still served until its own nextUpdate; checkRevocation judges its signature and freshness
 * every time, so the cache never makes a stale or forged CRL acceptable. OCSP answers are never cached (nonce).
 */
export type CrlCache = Map<string, { der: Uint8Array; refreshAfter: number; nextUpdate: number }>;
const sharedCrlCache: CrlCache = new Map();
const CRL_CACHE_MAX_ENTRIES = 64;

/** Real NCA responders over HTTP (the URLs in the certificate's AIA and CRL DP). */
export function httpRevocationSource(
  opts: { timeoutMs?: number; fetchImpl?: typeof fetch; crlCache?: CrlCache; crlMaxAgeMs?: number; now?: () => number } = {},
): RevocationSource {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const f = opts.fetchImpl ?? fetch;
  const cache = opts.crlCache ?? sharedCrlCache;
  const maxAgeMs = opts.crlMaxAgeMs ?? 60 * 60_000;
  const clock = opts.now ?? (() => Date.now());
  const cachedCrl = async (url: string): Promise<Uint8Array | null> => {
    const t = clock();
    const hit = cache.get(url);
    if (hit && t < hit.refreshAfter) return hit.der;
    const body = await get(url);
    if (!body) return hit && t < hit.nextUpdate ? hit.der : null;
    let nextUpdate = 0;
    try {
      nextUpdate = parseCrl(body).nextUpdate?.getTime() ?? 0;
    } catch {
      return body; // not a CRL: let checkRevocation say why, don't keep it
    }
    if (cache.size >= CRL_CACHE_MAX_ENTRIES && !cache.has(url)) cache.delete(cache.keys().next().value as string);
    cache.set(url, { der: body, refreshAfter: Math.min(nextUpdate, t + maxAgeMs), nextUpdate });
    return body;
  };
  const get = async (url: string, init?: RequestInit): Promise<Uint8Array | null> => {
    try {
      const res = await f(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) return null;
      return new Uint8Array(await res.arrayBuffer());
    } catch {
      return null;
    }
  };
  return {
    name: 'http',
    async ocsp(cert, _issuer, requestDer) {
      for (const url of cert.ocspUrls.filter((u) => /^https?:/.test(u))) {
        const body = await get(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: ab(requestDer) });
        if (body) return body;
      }
      return null;
    },
    async crl(cert) {
      for (const url of cert.crlUrls.filter((u) => /^https?:/.test(u))) {
        const body = await cachedCrl(url);
        if (body) return body;
      }
      return null;
    },
  };
}

export type RevocationResult =
  | { status: 'good'; source: 'ocsp' | 'crl'; checkedAt: Date }
  | { status: 'revoked'; source: 'ocsp' | 'crl'; checkedAt: Date; revokedAt: Date | null }
  | { status: 'unknown'; reason: string };

/**
 * OCSP answers about CA certificates (intermediates), kept per responder and certificate until the earlier of
 * the answer's nextUpdate and one hour after it was fetched, so that every verification does not ask NCA about the
 * same intermediate again. A cached answer is judged again every time it is used (signature, CertID, freshness);
 * its nonce was checked when it was fetched. Signers' OCSP answers are never cached (their nonce is checked).
 */
export type OcspCache = Map<string, { der: Uint8Array; refreshAfter: number }>;
export const OCSP_CACHE_MAX_AGE_MS = 60 * 60_000;
const OCSP_CACHE_MAX_ENTRIES = 256;

type OcspVerdict = { status: OcspCertStatus; revokedAt: Date | null; nextUpdate: Date | null };

/** Judges an OCSP response about `cert`: status, nonce (when given), signature, CertID and freshness. Throws why not. */
async function judgeOcsp(der: Uint8Array, cert: CertInfo, issuer: CertInfo, now: Date, nonce: Uint8Array | null): Promise<OcspVerdict> {
  const skewMs = 5 * 60_000;
  const parsed = parseOcspResponse(der);
  if (parsed.responseStatus !== 0) throw new Error(`OCSP responder status ${parsed.responseStatus}`);
  if (nonce && (!parsed.nonce || !bytesEqual(parsed.nonce, nonce))) throw new Error('OCSP nonce mismatch');
  if (!(await verifyOcspSignature(der, issuer.der))) throw new Error('OCSP response signature is not valid');
  const single = parsed.responses.find((r) => r.serial === cert.serialNumber);
  if (!single) throw new Error('OCSP response is about another certificate');
  if (single.thisUpdate.getTime() > now.getTime() + skewMs) throw new Error('OCSP response is from the future');
  if (single.nextUpdate && single.nextUpdate.getTime() < now.getTime() - skewMs) throw new Error('OCSP response is stale');
  return { status: single.status, revokedAt: single.revokedAt, nextUpdate: single.nextUpdate };
}

/**
 * OCSP first (nonce and response signature checked, the CertID must match), then CRLs (signature and
 * freshness checked); 'unknown' when neither gives a trustworthy answer. With `ocspCache` (CA certificates
 * only), a cached OCSP answer is reused until its refresh time (see OcspCache).
 */
export async function checkRevocation(
  cert: CertInfo,
  issuer: CertInfo,
  sources: RevocationSource[],
  now: Date,
  opts: { ocspCache?: OcspCache } = {},
): Promise<RevocationResult> {
  const reasons: string[] = [];
  const skewMs = 5 * 60_000;
  for (const src of sources) {
    if (!src.ocsp) continue;
    const cacheKey = `${src.name}|${cert.ocspUrls.join(' ')}|${issuer.fingerprintSha256}|${cert.serialNumber}`;
    const hit = opts.ocspCache?.get(cacheKey);
    let verdict: OcspVerdict | null = null;
    if (hit && now.getTime() < hit.refreshAfter) {
      verdict = await judgeOcsp(hit.der, cert, issuer, now, null).catch(() => null);
      if (!verdict) opts.ocspCache!.delete(cacheKey);
    }
    if (!verdict) {
      const nonce = crypto.getRandomValues(new Uint8Array(16));
      const req = await buildOcspRequest(cert.der, issuer.der, nonce);
      const der = await src.ocsp(cert, issuer, req).catch(() => null);
      if (!der) continue;
      try {
        verdict = await judgeOcsp(der, cert, issuer, now, nonce);
      } catch (e) {
        reasons.push(`${src.name}: ${(e as Error).message}`);
        continue;
      }
      if (opts.ocspCache && verdict.status !== 'unknown') {
        const cache = opts.ocspCache;
        if (cache.size >= OCSP_CACHE_MAX_ENTRIES && !cache.has(cacheKey)) cache.delete(cache.keys().next().value as string);
        cache.set(cacheKey, { der, refreshAfter: Math.min(verdict.nextUpdate?.getTime() ?? now.getTime(), now.getTime() + OCSP_CACHE_MAX_AGE_MS) });
      }
    }
    if (verdict.status === 'good') return { status: 'good', source: 'ocsp', checkedAt: now };
    if (verdict.status === 'revoked') return { status: 'revoked', source: 'ocsp', checkedAt: now, revokedAt: verdict.revokedAt };
    reasons.push(`${src.name}: OCSP status unknown`);
  }
  for (const src of sources) {
    if (!src.crl) continue;
    const der = await src.crl(cert, issuer).catch(() => null);
    if (!der) continue;
    try {
      const parsed = parseCrl(der);
      if (!(await verifyCrlSignature(der, issuer.der))) throw new Error('CRL signature is not valid');
      if (parsed.thisUpdate.getTime() > now.getTime() + skewMs) throw new Error('CRL is from the future');
      if (!parsed.nextUpdate || parsed.nextUpdate.getTime() < now.getTime()) throw new Error('CRL is stale (nextUpdate passed)');
      const at = parsed.revoked.get(cert.serialNumber);
      if (at) return { status: 'revoked', source: 'crl', checkedAt: now, revokedAt: at };
      return { status: 'good', source: 'crl', checkedAt: now };
    } catch (e) {
      reasons.push(`${src.name}: ${(e as Error).message}`);
    }
  }
  return { status: 'unknown', reason: reasons.join('; ') || 'neither OCSP nor CRL answered' };
}
