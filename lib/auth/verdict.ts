import type { VerificationResult } from '@/lib/eds/verifier';

/** The verifier's verdict as stored with the signature. */
export function verdictOf(r: Extract<VerificationResult, { ok: true }>) {
  return {
    ok: true,
    validAtSigningTime: r.validAtSigningTime,
    validNow: r.validNow,
    signingTimeSource: r.signingTimeSource,
    ...(r.timestampIgnored ? { timestampIgnored: r.timestampIgnored } : {}),
    revocation: { status: r.revocation.status, source: r.revocation.source, checkedAt: r.revocation.checkedAt.toISOString() },
    chain: r.chain.map((c) => c.subjectDn),
  };
}
