import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { applicationDocuments } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { requireSignedUpload } from '@/lib/documents/tus';
import { AppError } from '@/lib/errors';
import { addDraftDocument, submitApplication, submitDocumentVersion, type SubmitResult } from '@/lib/expertise';
import { DOCUMENT_SLOTS, type DocumentSlot } from '@/components/expertise/slots';

export { DOCUMENT_SLOTS };

/**
 * The testable cores of the wizard's signed actions (actions.ts wraps them in signedAction). The signature
 * covers the input as sent, so certifying a document signs its name and SHA-256 (E-17), and the submission
 * signs the manifest of every document's digest (E-16).
 */

const SLOT_NAMES = DOCUMENT_SLOTS.map((s) => s.slot) as [DocumentSlot, ...DocumentSlot[]];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const certifyDocumentSchema = z.object({
  applicationId: z.uuid(),
  slot: z.enum(SLOT_NAMES),
  uploadId: z.uuid(),
  fileName: z.string().min(1).max(255),
  size: z.number().int().min(0),
  sha256: hex64,
});
export type CertifyDocumentInput = z.input<typeof certifyDocumentSchema>;

/** E-17: the applicant's signature over {slot, file name, size, SHA-256} certifies its own finished upload. */
export async function certifyDocument(tx: DbOrTx, p: Principal, input: z.output<typeof certifyDocumentSchema>, signatureId: string) {
  const up = await requireSignedUpload(tx, p, input);
  const doc = await addDraftDocument(tx, p, input.applicationId, {
    slot: input.slot,
    fileName: input.fileName,
    sha256: up.sha256,
    size: up.size,
    storageKey: up.storageKey,
    isCostEstimate: DOCUMENT_SLOTS.find((s) => s.slot === input.slot)!.costEstimate,
    signatureId,
  });
  return { documentId: doc.id, slot: doc.slot, version: doc.version, sha256: doc.sha256, fileName: doc.fileName, size: doc.size };
}

/** The documents a submission covers: the newest certified, not annulled version of every slot. */
export async function currentManifest(db: DbOrTx, applicationId: string): Promise<{ slot: string; sha256: string }[]> {
  const rows = await db
    .select({ slot: applicationDocuments.slot, sha256: applicationDocuments.sha256, version: applicationDocuments.version })
    .from(applicationDocuments)
    .where(
      and(
        eq(applicationDocuments.applicationId, applicationId),
        isNotNull(applicationDocuments.certifiedSignatureId),
        isNull(applicationDocuments.annulledAt),
      ),
    );
  const latest = new Map<string, { slot: string; sha256: string; version: number }>();
  for (const r of rows) if ((latest.get(r.slot)?.version ?? 0) < r.version) latest.set(r.slot, r);
  return [...latest.values()].map(({ slot, sha256 }) => ({ slot, sha256 })).sort((a, b) => a.slot.localeCompare(b.slot));
}

export const submitManifestSchema = z.object({
  applicationId: z.uuid(),
  manifest: z.array(z.object({ slot: z.string().min(1).max(60), sha256: hex64 })).min(1).max(100),
});
export type SubmitManifestInput = z.input<typeof submitManifestSchema>;

/** E-16: the submission, signed over the manifest; a manifest that differs from the draft's documents is refused. */
export async function submitWithManifest(
  tx: DbOrTx,
  p: Principal,
  input: z.output<typeof submitManifestSchema>,
  signatureId: string,
): Promise<SubmitResult> {
  const current = await currentManifest(tx, input.applicationId);
  const signed = [...input.manifest].sort((a, b) => a.slot.localeCompare(b.slot));
  if (JSON.stringify(current) !== JSON.stringify(signed)) {
    throw new AppError('conflict', 'The documents changed after you signed the manifest; review and sign again.');
  }
  return submitApplication(tx, p, { applicationId: input.applicationId }, { signatureId });
}

/** E-48/E-51: the applicant answers remarks with a new version of a document, certified with its EDS. */
export async function answerWithVersion(tx: DbOrTx, p: Principal, input: z.output<typeof certifyDocumentSchema>, signatureId: string) {
  const up = await requireSignedUpload(tx, p, input);
  const doc = await submitDocumentVersion(tx, p, input.applicationId, {
    slot: input.slot,
    fileName: input.fileName,
    sha256: up.sha256,
    size: up.size,
    storageKey: up.storageKey,
    isCostEstimate: DOCUMENT_SLOTS.find((s) => s.slot === input.slot)!.costEstimate,
    signatureId,
  });
  return { documentId: doc.id, slot: doc.slot, version: doc.version, registeredOn: doc.registeredOn };
}
