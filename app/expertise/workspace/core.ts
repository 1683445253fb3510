import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import type { Principal } from '@/lib/auth/principal';
import { requireSignedUpload } from '@/lib/documents/tus';
import { AppError } from '@/lib/errors';
import { completenessSchema, confirmPayment, issueExpertDocument, issueRemarks, recordCompleteness, reviseExpertDocument, signConclusion } from '@/lib/expertise';

/**
 * The cores of the expert workspace's signed actions (actions.ts wraps them in signedAction): the signature made
 * for the action is the expert's EDS the domain function requires (E-45, E-46, E-48, E-50, E-51).
 */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const fileRef = z.object({ uploadId: z.uuid(), fileName: z.string().min(1).max(255), size: z.number().int().min(0), sha256: hex64 });

async function ownFile(tx: DbOrTx, p: Principal, f: z.output<typeof fileRef>) {
  const up = await requireSignedUpload(tx, p, f);
  return { fileName: f.fileName, sha256: up.sha256, size: up.size, storageKey: up.storageKey };
}

export const completenessActionSchema = z.object({ applicationId: z.uuid(), result: z.enum(['positive', 'negative']), remarks: z.string().trim().max(20_000).optional() });
export async function completenessCore(tx: DbOrTx, p: Principal, v: z.output<typeof completenessActionSchema>) {
  const input = completenessSchema.parse({ result: v.result, remarks: v.remarks || undefined });
  const app = await recordCompleteness(tx, p, v.applicationId, input);
  return { status: app.status };
}

export const remarksActionSchema = z.object({ applicationId: z.uuid(), text: z.string().trim().min(1).max(100_000) });
export async function remarksCore(tx: DbOrTx, p: Principal, v: z.output<typeof remarksActionSchema>, signatureId: string) {
  const r = await issueRemarks(tx, p, v.applicationId, { text: v.text, signatureId });
  return { remarksId: r.id };
}

export const issueDocumentActionSchema = z.object({ applicationId: z.uuid(), slot: z.string().regex(/^[a-z0-9_]{1,60}$/), file: fileRef });
export async function issueDocumentCore(tx: DbOrTx, p: Principal, v: z.output<typeof issueDocumentActionSchema>, signatureId: string) {
  if (v.slot === 'conclusion') throw new AppError('validation_failed', 'Issue the conclusion with “Sign the conclusion”.', { slot: 'reserved' });
  const doc = await issueExpertDocument(tx, p, v.applicationId, { slot: v.slot, ...(await ownFile(tx, p, v.file)), signatureId });
  return { documentId: doc.id };
}

export const reviseActionSchema = z.object({ applicationId: z.uuid(), previousDocumentId: z.uuid(), reason: z.string().trim().min(1).max(2000), file: fileRef });
/** E-51: one signature certifies both the annulment of the previous version and the new version it names. */
export async function reviseCore(tx: DbOrTx, p: Principal, v: z.output<typeof reviseActionSchema>, signatureId: string) {
  const r = await reviseExpertDocument(tx, p, v.applicationId, {
    previousDocumentId: v.previousDocumentId,
    annulmentSignatureId: signatureId,
    reason: v.reason,
    document: { ...(await ownFile(tx, p, v.file)), signatureId },
  });
  return { documentId: r.document.id, version: r.document.version };
}

export const conclusionActionSchema = z.object({ applicationId: z.uuid(), file: fileRef, outcome: z.enum(['positive', 'negative']) });
/** E-50: the conclusion document is issued and signed in one signed act; it is held until payment. */
export async function conclusionCore(tx: DbOrTx, p: Principal, v: z.output<typeof conclusionActionSchema>, signatureId: string) {
  const doc = await issueExpertDocument(tx, p, v.applicationId, { slot: 'conclusion', ...(await ownFile(tx, p, v.file)), signatureId });
  const app = await signConclusion(tx, p, v.applicationId, { documentId: doc.id, signatureId, outcome: v.outcome });
  return { status: app.status };
}

export const paymentActionSchema = z.object({ applicationId: z.uuid(), basis: z.string().trim().min(1).max(1000) });
export async function paymentCore(tx: DbOrTx, p: Principal, v: z.output<typeof paymentActionSchema>) {
  const app = await confirmPayment(tx, p, v.applicationId, { basis: v.basis });
  return { status: app.status };
}
