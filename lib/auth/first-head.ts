import crypto from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { signatures } from '@/db/schema/eds';
import { organisations } from '@/db/schema/identity';
import { registrationRequests } from '@/db/schema/registration';
import { fullNameOf, type CertInfo } from '@/lib/eds/certificate';
import type { VerificationResult } from '@/lib/eds/verifier';
import { notify, renderTemplate, userLocale } from '@/lib/notify';
import { now } from '@/lib/time/clock';
import { verdictOf } from './verdict';
import { insertRoleGrant } from './users';

/**
 * the first head is recognised by the certificate. When a user signs in with an AUTH certificate that
 * carries NCA's first-head role OID (1.2.398.3.3.4.1.2.1) and the BIN of an organisation whose registration was
 * confirmed, and does not hold first_head in it yet, the role is granted by the system: the sign-in signature is
 * stored as the evidence (purpose 'auth'), the grant is audited with it, and the user is notified. Call inside the
 * sign-in's transaction, after the user was found or created. Returns whether a role was granted now.
 */
export async function grantFirstHeadBySignInTx(
  tx: DbOrTx,
  user: { id: string; orgId: string | null; status: string },
  verified: Extract<VerificationResult, { ok: true }>,
  evidence: { cms: string; content: Uint8Array },
): Promise<boolean> {
  const signer: CertInfo = verified.signer;
  if (user.status !== 'active' || !user.orgId || !signer.bin || !signer.iin || !signer.ncaRoles.includes('first_head')) return false;
  const [org] = await tx.select({ id: organisations.id, bin: organisations.bin, name: organisations.name }).from(organisations).where(eq(organisations.id, user.orgId));
  if (!org || org.bin !== signer.bin) return false;
  const [confirmed] = await tx
    .select({ id: registrationRequests.id })
    .from(registrationRequests)
    .where(
      and(
        eq(registrationRequests.applicantOrgId, org.id),
        eq(registrationRequests.status, 'confirmed'),
        eq(registrationRequests.personType, 'legal_entity'),
        ne(registrationRequests.kind, 'expert_is_user'),
      ),
    )
    .limit(1);
  if (!confirmed) return false;
  const at = now();
  const [sig] = await tx
    .insert(signatures)
    .values({
      signerIin: signer.iin,
      signerBin: signer.bin,
      signerName: fullNameOf(signer) || null,
      certDer: Buffer.from(signer.der).toString('base64'),
      certFingerprint: signer.fingerprintSha256,
      certSerial: signer.serialNumber,
      purpose: 'auth',
      subject: 'auth.sign_in',
      cms: evidence.cms,
      contentSha256: crypto.createHash('sha256').update(evidence.content).digest('hex'),
      signedAt: verified.signedAt,
      verifiedAt: at,
      verdict: verdictOf(verified),
    })
    .returning({ id: signatures.id });
  const { created } = await insertRoleGrant(
    tx,
    { userId: user.id, role: 'first_head', orgId: org.id, grantedBy: null, signatureId: sig.id, at },
    {
      actor: { userId: null, iin: null, bin: null, role: 'system', name: 'auth.first_head_by_certificate' },
      action: 'role.grant_first_head',
      basis: 'X-12 the first head recognised by the certificate (NCA first-head role and the organisation’s BIN) at sign-in',
      signatureId: sig.id,
    },
  );
  if (created) {
    const msg = renderTemplate('role.granted', await userLocale(tx, user.id), { role: 'first_head', organisation: org.name, at });
    await notify(tx, { userId: user.id, kind: 'role.granted', ...msg, link: '/cabinet', entityType: 'user', entityId: user.id, idempotencyKey: `role.granted:first_head:${user.id}:${org.id}:${sig.id}` });
  }
  return created;
}
