import fs from 'node:fs';
import path from 'node:path';
import * as pkijs from 'pkijs';
import { getDb, type DbOrTx } from '@/db/client';
import { now as clockNow } from '@/lib/time/clock';
import { edsTestMode } from './config';
import { certInfoOf, parsePkijsCertificate, type CertInfo } from './certificate';
import { CmsError, parseCms, parseTimestampToken, type ParsedCms } from './cms';
import { bytesEqual, toDer, toHex } from './encoding';
import { checkRevocation, httpRevocationSource, type OcspCache, type RevocationResult, type RevocationSource } from './revocation';
import { digestByOid, UnsupportedAlgorithmError, verifyRaw, verifySignedObject } from './signature';
import { ensureTestPki, testPkiCrl, testPkiOcsp, type TestCa } from './test-pki';

/**
 * The built-in EDS verifier (X-3, X-4): CMS signature, chain to PINNED roots with every level's signature,
 * validity at the signing time and now, key usage for the purpose, revocation (OCSP, then CRL). Server only.
 */
export type Purpose = 'auth' | 'sign';
export type VerifyFailure =
  | 'malformed'
  | 'bad_signature'
  | 'payload_mismatch'
  | 'untrusted_chain'
  | 'expired'
  | 'not_yet_valid'
  | 'revoked'
  | 'revocation_unknown'
  | 'wrong_key_usage'
  | 'unsupported_algorithm';

export type VerificationResult =
  | {
      ok: true;
      signer: CertInfo;
      chain: CertInfo[];
      signedAt: Date | null;
      signingTimeSource: 'timestamp' | 'signed_attribute' | 'none';
      /** Why a timestamp token present in the signature was not used for the signing time (e.g. its TSA was revoked). */
      timestampIgnored?: string;
      validAtSigningTime: boolean;
      validNow: boolean;
      revocation: { status: 'good'; source: 'ocsp' | 'crl'; checkedAt: Date };
      content: Uint8Array;
    }
  | { ok: false; code: VerifyFailure; message: string; signer?: CertInfo };

export interface SignatureVerifier {
  verifyCms(input: {
    cms: Uint8Array | string;
    detachedContent?: Uint8Array;
    purpose: Purpose;
    judgeAt?: 'now' | 'signing_time';
    now?: Date;
  }): Promise<VerificationResult>;
}

export type BuiltinVerifierConfig = {
  /** Pinned trust anchors (DER). Only chains ending in one of these are accepted. */
  trustedRoots: Uint8Array[];
  /** Known intermediate CA certificates (DER); still signature-checked up to a root. */
  intermediates?: Uint8Array[];
  /** Revocation sources, asked in order (OCSP from all, then CRL from all). */
  revocation: RevocationSource[];
  /** OCSP answers about intermediates (default: one cache per verifier; see OcspCache). */
  ocspCache?: OcspCache;
};

type Cert = { info: CertInfo; cert: pkijs.Certificate };

function load(der: Uint8Array): Cert {
  const { cert, der: d } = parsePkijsCertificate(der);
  return { info: certInfoOf(cert, d), cert };
}

const fail = (code: VerifyFailure, message: string, signer?: CertInfo): VerificationResult => ({ ok: false, code, message, signer });

const OID_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

const inWindow = (c: CertInfo, at: Date) => c.notBefore.getTime() <= at.getTime() && at.getTime() <= c.notAfter.getTime();

function usageFits(c: CertInfo, purpose: Purpose): boolean {
  if (purpose === 'auth') return c.purposes.includes('auth') && c.keyUsage.includes('digitalSignature');
  return c.purposes.includes('sign') && (c.keyUsage.includes('nonRepudiation') || c.keyUsage.includes('digitalSignature'));
}

export function createBuiltinVerifier(config: BuiltinVerifierConfig): SignatureVerifier {
  const roots = config.trustedRoots.map(load);
  const intermediates = (config.intermediates ?? []).map(load);
  const ocspCache: OcspCache = config.ocspCache ?? new Map();

  /** Leaf → … → pinned root, each link's signature and CA flags checked. */
  async function buildChain(leaf: Cert, extra: Cert[]): Promise<Cert[] | string> {
    const pool = [...extra, ...intermediates, ...roots];
    const chain: Cert[] = [leaf];
    let current = leaf;
    for (let depth = 0; depth < 8; depth++) {
      if (roots.some((r) => bytesEqual(r.info.der, current.info.der))) return chain;
      const candidates = pool.filter(
        (c) =>
          bytesEqual(c.info.subjectDer, current.info.issuerDer) &&
          !bytesEqual(c.info.der, current.info.der) &&
          (!current.info.authorityKeyId || !c.info.subjectKeyId || current.info.authorityKeyId === c.info.subjectKeyId),
      );
      let next: Cert | null = null;
      for (const c of candidates) {
        if (!c.info.isCa || (c.info.keyUsage.length > 0 && !c.info.keyUsage.includes('keyCertSign'))) continue;
        const ok = await verifySignedObject('certificate', current.cert, current.info.der, c.cert, c.info.der).catch((e) => {
          if (e instanceof UnsupportedAlgorithmError) throw e;
          return false;
        });
        if (ok) {
          next = c;
          break;
        }
      }
      if (!next) {
        return candidates.length
          ? `The certificate "${current.info.subjectDn}" is not signed by the CA it names.`
          : `No trusted issuer for "${current.info.issuerDn}".`;
      }
      // A self-signed certificate that is not pinned is a dead end.
      if (bytesEqual(next.info.subjectDer, next.info.issuerDer) && !roots.some((r) => bytesEqual(r.info.der, next!.info.der))) {
        return `The root "${next.info.subjectDn}" is not trusted.`;
      }
      chain.push(next);
      current = next;
    }
    return 'The certificate chain is too long.';
  }

  /**
   * The signing time (X-3, X-4): an RFC 3161 timestamp token's genTime is used only when the token stamps THIS
   * signature value, its TSA signature holds, the TSA certificate is fit to stamp time (the timeStamping
   * extended key usage), chains to a pinned root (every level's signature, as for signers), was valid at genTime
   * and is not revoked (OCSP, then CRL, like a signer's certificate: a revoked TSA, or one whose status cannot be
   * checked, does not vouch for time). Otherwise the token is ignored (`ignored` says why when the TSA is at
   * fault) and the signed attribute signingTime is used (the signer's own claim); 'none' when there is neither.
   */
  async function signingTimeOf(
    p: ParsedCms,
    now: Date,
  ): Promise<{ at: Date | null; source: 'timestamp' | 'signed_attribute' | 'none'; ignored?: string }> {
    let ignored: string | undefined;
    if (p.timestampTokenDer) {
      try {
        const tst = parseTimestampToken(p.timestampTokenDer);
        const imprint = await digestByOid(tst.imprintAlgOid, p.signature);
        const tsaCerts = tst.cms.certsDer.map(load);
        const sid = tst.cms.sid;
        const tsa = tsaCerts.find((c) =>
          'keyId' in sid ? c.info.subjectKeyId === toHex(sid.keyId) : c.cert.issuer.isEqual(sid.issuer) && c.info.serialNumber === sid.serial,
        );
        if (tsa && bytesEqual(imprint, tst.imprint) && tst.cms.signedAttrsDer && tst.cms.messageDigest && tsa.info.extKeyUsage.includes(OID_TIME_STAMPING)) {
          const content = tst.cms.attachedContent!;
          const md = await digestByOid(tst.cms.digestAlgorithmOid, content);
          const sigOk = await verifyRaw({
            signerCert: tsa.cert,
            sigAlgOid: tst.cms.signatureAlgorithmOid,
            digestOid: tst.cms.digestAlgorithmOid,
            data: tst.cms.signedAttrsDer,
            signature: tst.cms.signature,
          });
          if (bytesEqual(md, tst.cms.messageDigest) && sigOk) {
            const chain = await buildChain(tsa, tsaCerts.filter((c) => c !== tsa));
            if (typeof chain !== 'string' && chain.every((c) => inWindow(c.info, tst.genTime))) {
              const rev = await checkRevocation(tsa.info, chain[1].info, config.revocation, now);
              if (rev.status === 'good') return { at: tst.genTime, source: 'timestamp' };
              ignored =
                rev.status === 'revoked'
                  ? `The timestamp's TSA certificate "${tsa.info.subjectDn}" was revoked${rev.revokedAt ? ` on ${rev.revokedAt.toISOString()}` : ''} (${rev.source.toUpperCase()}): its time is not used.`
                  : `The revocation status of the timestamp's TSA certificate "${tsa.info.subjectDn}" cannot be checked (${rev.reason}): its time is not used.`;
            }
          }
        }
      } catch {
        /* fall back to the signed attribute */
      }
    }
    const rest = ignored ? { ignored } : {};
    if (p.signingTime) return { at: p.signingTime, source: 'signed_attribute', ...rest };
    return { at: null, source: 'none', ...rest };
  }

  /**
   * Revocation of a CA certificate below the root (X-3: every level of the chain): a source that is the
   * authority for it may vouch in-process (caStatus); otherwise OCSP, then the issuer's CRL, like a signer's.
   */
  async function caRevocation(ca: CertInfo, issuer: CertInfo, now: Date): Promise<RevocationResult> {
    for (const src of config.revocation) {
      if (src.caStatus && (await src.caStatus(ca, issuer).catch(() => null)) === 'good') return { status: 'good', source: 'crl', checkedAt: now };
    }
    return checkRevocation(ca, issuer, config.revocation, now, { ocspCache });
  }

  return {
    async verifyCms(input) {
      const now = input.now ?? clockNow();
      let p: ParsedCms;
      try {
        p = parseCms(input.cms);
      } catch (e) {
        return fail('malformed', e instanceof CmsError ? e.message : 'The signature cannot be read.');
      }
      if (input.detachedContent && p.attachedContent && !bytesEqual(input.detachedContent, p.attachedContent)) {
        return fail('payload_mismatch', 'The signed content differs from the data sent.');
      }
      const content = input.detachedContent ?? p.attachedContent;
      if (!content) return fail('malformed', 'The signature is detached and no content was given.');

      const carried = p.certsDer.map((d) => {
        try {
          return load(d);
        } catch {
          return null;
        }
      }).filter((c): c is Cert => c !== null);
      const sid = p.sid;
      const signerCert = carried.find((c) =>
        'keyId' in sid
          ? c.info.subjectKeyId === toHex(sid.keyId)
          : c.cert.issuer.isEqual(sid.issuer) && c.info.serialNumber === sid.serial,
      );
      if (!signerCert) return fail('malformed', "The signature does not include the signer's certificate.");
      const signer = signerCert.info;

      try {
        if (p.signedAttrsDer) {
          if (!p.messageDigest) return fail('malformed', 'The signature has signed attributes but no message digest.', signer);
          const digest = await digestByOid(p.digestAlgorithmOid, content);
          if (!bytesEqual(digest, p.messageDigest)) return fail('payload_mismatch', 'The data were changed after signing.', signer);
        }
        const ok = await verifyRaw({
          signerCert: signerCert.cert,
          sigAlgOid: p.signatureAlgorithmOid,
          digestOid: p.digestAlgorithmOid,
          data: p.signedAttrsDer ?? content,
          signature: p.signature,
        });
        if (!ok) return fail(p.signedAttrsDer ? 'bad_signature' : 'payload_mismatch', 'The signature does not match the data and the certificate.', signer);

        const chain = await buildChain(signerCert, carried.filter((c) => c !== signerCert));
        if (typeof chain === 'string') return fail('untrusted_chain', `The certificate is not issued by a trusted certification centre. ${chain}`, signer);

        const { at: signedAt, source: signingTimeSource, ignored: timestampIgnored } = await signingTimeOf(p, now);
        const judgeAt = input.purpose === 'auth' ? 'now' : (input.judgeAt ?? 'now');
        const at = judgeAt === 'signing_time' && signedAt ? signedAt : now;
        const validNow = chain.every((c) => inWindow(c.info, now));
        const validAtSigningTime = signedAt ? chain.every((c) => inWindow(c.info, signedAt)) : false;
        for (const c of chain) {
          if (at.getTime() > c.info.notAfter.getTime()) {
            return fail('expired', `The certificate${c === signerCert ? '' : ` of "${c.info.subjectDn}"`} expired on ${c.info.notAfter.toISOString()}.`, signer);
          }
          if (at.getTime() < c.info.notBefore.getTime()) {
            return fail('not_yet_valid', `The certificate is valid only from ${c.info.notBefore.toISOString()}.`, signer);
          }
        }

        if (!usageFits(signer, input.purpose)) {
          return fail(
            'wrong_key_usage',
            input.purpose === 'auth' ? 'This is not an authentication (AUTH) key: sign in with your AUTH key.' : 'This is not a signing (SIGN) key: sign with your RSA/GOST SIGN key.',
            signer,
          );
        }

        const issuer = chain[1];
        if (!issuer) return fail('untrusted_chain', 'The certificate has no issuer.', signer);
        // Every CA level below the pinned root, top down: a certificate under a revoked intermediate is refused.
        for (let i = chain.length - 2; i >= 1; i--) {
          const ca = chain[i].info;
          const caRev = await caRevocation(ca, chain[i + 1].info, now);
          if (caRev.status === 'revoked') {
            return fail(
              'revoked',
              `The issuing certification centre "${ca.subjectDn}" was revoked${caRev.revokedAt ? ` on ${caRev.revokedAt.toISOString()}` : ''} (${caRev.source.toUpperCase()}): the certificates it issued are not valid.`,
              signer,
            );
          }
          if (caRev.status === 'unknown') {
            return fail('revocation_unknown', `The revocation status of the issuing certification centre "${ca.subjectDn}" cannot be checked now (${caRev.reason}). Try again later.`, signer);
          }
        }
        const rev = await checkRevocation(signer, issuer.info, config.revocation, now);
        if (rev.status === 'revoked') return fail('revoked', `The certificate was revoked${rev.revokedAt ? ` on ${rev.revokedAt.toISOString()}` : ''} (${rev.source.toUpperCase()}).`, signer);
        if (rev.status === 'unknown') return fail('revocation_unknown', `The certificate's revocation status cannot be checked now (${rev.reason}). Try again later.`, signer);

        return {
          ok: true,
          signer,
          chain: chain.map((c) => c.info),
          signedAt,
          signingTimeSource,
          ...(timestampIgnored ? { timestampIgnored } : {}),
          validAtSigningTime,
          validNow,
          revocation: { status: 'good', source: rev.source, checkedAt: rev.checkedAt },
          content,
        };
      } catch (e) {
        if (e instanceof UnsupportedAlgorithmError) return fail('unsupported_algorithm', e.message, signer);
        return fail('malformed', `The signature cannot be verified: ${(e as Error).message}`, signer);
      }
    },
  };
}

/** In-process revocation answers for the test PKI's RSA and GOST chains (no HTTP to itself); other issuers get no answer. */
export function testPkiRevocationSource(db: DbOrTx, opts: { ocsp?: boolean; crl?: boolean } = {}): RevocationSource {
  const caOf = async (issuer: CertInfo): Promise<TestCa | null> => {
    const pki = await ensureTestPki(db);
    if (bytesEqual(pki.intermediateDer, issuer.der)) return 'rsa';
    if (bytesEqual(pki.gost.intermediateDer, issuer.der)) return 'gost';
    return null;
  };
  return {
    name: 'test-pki',
    // The test roots' keys are not kept after generation: they never revoke (nor publish a CRL for) their intermediates.
    caStatus: async (ca: CertInfo, issuer: CertInfo) => {
      const pki = await ensureTestPki(db);
      const ours =
        (bytesEqual(pki.intermediateDer, ca.der) && bytesEqual(pki.rootDer, issuer.der)) ||
        (bytesEqual(pki.gost.intermediateDer, ca.der) && bytesEqual(pki.gost.rootDer, issuer.der));
      return ours ? 'good' : null;
    },
    ...(opts.ocsp === false ? {} : { ocsp: async (_c: CertInfo, issuer: CertInfo, req: Uint8Array) => ((await caOf(issuer)) ? testPkiOcsp(db, req) : null) }),
    ...(opts.crl === false
      ? {}
      : {
          crl: async (_c: CertInfo, issuer: CertInfo) => {
            const ca = await caOf(issuer);
            return ca ? testPkiCrl(db, clockNow(), ca) : null;
          },
        }),
  };
}

/**
 * Certificates in a directory (DER or PEM: .cer .crt .der .pem): self-signed ones are the pinned roots,
 * the others known intermediates (still checked up to a root).
 */
export function loadCertificatesFromDir(dir: string): { roots: Uint8Array[]; intermediates: Uint8Array[] } {
  const roots: Uint8Array[] = [];
  const intermediates: Uint8Array[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!/\.(cer|crt|der|pem)$/i.test(name)) continue;
    const der = toDer(new Uint8Array(fs.readFileSync(path.join(dir, name))));
    const { cert } = parsePkijsCertificate(der);
    (cert.subject.isEqual(cert.issuer) ? roots : intermediates).push(der);
  }
  return { roots, intermediates };
}

export { edsTestMode };

const cache = new WeakMap<object, { key: string; verifier: Promise<SignatureVerifier> }>();

/**
 * The process's verifier. Roots: EDS_TRUSTED_ROOTS_DIR (NCA production roots and intermediates); the test
 * PKI's root ONLY when EDS_TEST_MODE is on. With NCANODE_URL set, the external NCANode adapter is used.
 */
export async function getVerifier(): Promise<SignatureVerifier> {
  const db = getDb();
  const key = [edsTestMode(), process.env.EDS_TRUSTED_ROOTS_DIR ?? '', process.env.NCANODE_URL ?? ''].join('|');
  const hit = cache.get(db);
  if (hit && hit.key === key) return hit.verifier;
  const verifier = (async (): Promise<SignatureVerifier> => {
    if (process.env.NCANODE_URL) {
      const { ncanodeVerifier } = await import('./ncanode');
      return ncanodeVerifier({ url: process.env.NCANODE_URL });
    }
    const dir = process.env.EDS_TRUSTED_ROOTS_DIR;
    const fromDir = dir ? loadCertificatesFromDir(dir) : { roots: [], intermediates: [] };
    const sources: RevocationSource[] = [];
    if (edsTestMode()) {
      const pki = await ensureTestPki(db);
      fromDir.roots.push(pki.rootDer, pki.gost.rootDer);
      fromDir.intermediates.push(pki.intermediateDer, pki.gost.intermediateDer);
      sources.push(testPkiRevocationSource(db));
    }
    sources.push(httpRevocationSource());
    return createBuiltinVerifier({ trustedRoots: fromDir.roots, intermediates: fromDir.intermediates, revocation: sources });
  })();
  cache.set(db, { key, verifier });
  verifier.catch(() => cache.delete(db));
  return verifier;
}

