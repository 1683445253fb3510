import { now as clockNow } from '@/lib/time/clock';
import { parseCertificate, type CertInfo } from './certificate';
import { parseCms } from './cms';
import { bytesEqual, toBase64 } from './encoding';
import { digestByOid } from './signature';
import type { SignatureVerifier, VerificationResult } from './verifier';

/**
 * Optional adapter for an external NCANode (v3 API): POST {url}/cms/verify with OCSP and CRL requested.
 * For operators who want NCA's own library (e.g. legacy GOST 2004). NCANode judges validity only at the
 * present time, so the verdict's validAtSigningTime is unknown (false). What we check locally regardless:
 * the CMS parses, the signer certificate is included, the message digest matches the content, key usage.
 * Tested against an HTTP server speaking its /cms/verify contract (ncanode.test.ts), not a live NCANode.
 */
type NcaNodeCert = { valid?: boolean; notAfter?: string; notBefore?: string; revocations?: { revoked?: boolean; by?: string }[] };
type NcaNodeAnswer = { valid?: boolean; status?: number; message?: string; signers?: { certificates?: NcaNodeCert[] }[] };

export function ncanodeVerifier(opts: { url: string; timeoutMs?: number; fetchImpl?: typeof fetch }): SignatureVerifier {
  const f = opts.fetchImpl ?? fetch;
  return {
    async verifyCms(input): Promise<VerificationResult> {
      const now = input.now ?? clockNow();
      let signer: CertInfo;
      let content: Uint8Array;
      let cmsB64: string;
      let signedAt: Date | null;
      try {
        const p = parseCms(input.cms);
        const c = input.detachedContent ?? p.attachedContent;
        if (!c) return { ok: false, code: 'malformed', message: 'The signature is detached and no content was given.' };
        content = c;
        if (!p.certsDer[0]) return { ok: false, code: 'malformed', message: "The signature does not include the signer's certificate." };
        signer = parseCertificate(p.certsDer[0]);
        if (p.messageDigest && !bytesEqual(await digestByOid(p.digestAlgorithmOid, content), p.messageDigest)) {
          return { ok: false, code: 'payload_mismatch', message: 'The data were changed after signing.', signer };
        }
        cmsB64 = typeof input.cms === 'string' ? input.cms : toBase64(input.cms);
        signedAt = p.signingTime;
      } catch (e) {
        if ((e as { code?: string }).code === 'unsupported_algorithm') return { ok: false, code: 'unsupported_algorithm', message: (e as Error).message };
        return { ok: false, code: 'malformed', message: 'The signature cannot be read.' };
      }
      let answer: NcaNodeAnswer;
      try {
        const res = await f(`${opts.url.replace(/\/+$/, '')}/cms/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ cms: cmsB64, revocationCheck: ['OCSP', 'CRL'], ...(input.detachedContent ? { data: toBase64(input.detachedContent) } : {}) }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
        });
        answer = (await res.json()) as NcaNodeAnswer;
      } catch {
        return { ok: false, code: 'revocation_unknown', message: 'The external verifier (NCANode) does not answer.', signer };
      }
      const certs = answer.signers?.[0]?.certificates ?? [];
      const revs = certs.flatMap((c) => c.revocations ?? []);
      if (revs.some((r) => r.revoked)) return { ok: false, code: 'revoked', message: 'The certificate was revoked.', signer };
      if (now > signer.notAfter) return { ok: false, code: 'expired', message: `The certificate expired on ${signer.notAfter.toISOString()}.`, signer };
      if (now < signer.notBefore) return { ok: false, code: 'not_yet_valid', message: 'The certificate is not valid yet.', signer };
      if (!answer.valid) return { ok: false, code: certs.length ? 'untrusted_chain' : 'bad_signature', message: answer.message ?? 'NCANode refused the signature.', signer };
      if (!revs.length) return { ok: false, code: 'revocation_unknown', message: 'NCANode did not check revocation.', signer };
      const purposeOk = signer.purposes.includes(input.purpose);
      if (!purposeOk) return { ok: false, code: 'wrong_key_usage', message: `This is not a ${input.purpose.toUpperCase()} key.`, signer };
      const by = (revs[0].by ?? '').toUpperCase() === 'CRL' ? 'crl' : 'ocsp';
      return {
        ok: true,
        signer,
        chain: [signer],
        signedAt,
        signingTimeSource: signedAt ? 'signed_attribute' : 'none',
        validAtSigningTime: false,
        validNow: true,
        revocation: { status: 'good', source: by, checkedAt: now },
        content,
      };
    },
  };
}
