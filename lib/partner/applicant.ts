/** E-21: the applicant signs, with its EDS, a document the expert IS sent for its signature. */
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { applicationDocuments, partnerSignRequests } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { toAuditActor } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';
import { addEvent, assertApplicant, lockApplication } from '@/lib/expertise/internal';
import { now } from '@/lib/time/clock';
import type { signRequestActionSchema } from './expertise';

/**
 * Records the applicant's signature (made for the signed action whose input names the document's SHA-256, so the
 * signature covers the document). The expert IS sees it in the feed (the application changes, the sign request
 * carries signedAt and the signature's id).
 */
export async function signPartnerDocument(
  db: DbOrTx,
  applicant: Principal,
  input: z.output<typeof signRequestActionSchema>,
  signatureId: string,
): Promise<{ signedAt: Date }> {
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, input.applicationId);
    assertApplicant(applicant, app);
    const [row] = await tx
      .select({ r: partnerSignRequests, d: applicationDocuments })
      .from(partnerSignRequests)
      .innerJoin(applicationDocuments, eq(applicationDocuments.id, partnerSignRequests.documentId))
      .where(and(eq(partnerSignRequests.id, input.requestId), eq(partnerSignRequests.applicationId, app.id)))
      .for('update', { of: partnerSignRequests });
    if (!row) throw new AppError('not_found', 'The document to sign does not exist.');
    if (row.r.signedAt) throw new AppError('conflict', 'This document is already signed.');
    if (row.d.annulledAt) throw new AppError('conflict', 'This document version was annulled; sign the new version.');
    if (row.d.sha256 !== input.sha256) throw new AppError('validation_failed', 'The signed digest is not the document’s.', { sha256: 'mismatch' });
    const at = now();
    await tx
      .update(partnerSignRequests)
      .set({ signedAt: at, signedBy: applicant.userId, signatureId })
      .where(eq(partnerSignRequests.id, row.r.id));
    await addEvent(tx, app.id, at, 'applicant', applicant.userId, 'partner_document_signed', { documentId: row.d.id, signRequestId: row.r.id, signatureId });
    await appendAudit(tx, {
      actor: toAuditActor(applicant),
      action: 'partner.document.sign',
      entityType: 'application_document',
      entityId: row.d.id,
      signatureId,
      after: { applicationId: app.id, signRequestId: row.r.id, sha256: row.d.sha256, signedAt: at },
    });
    return { signedAt: at };
  });
}
