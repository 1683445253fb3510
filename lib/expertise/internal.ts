import { and, eq, max } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { applicationDocuments, applicationEvents, applications, signatures } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';

export type Application = typeof applications.$inferSelect;
export type EventActor = 'applicant' | 'expert' | 'system';

/** Appends one timeline event. */
export async function addEvent(
  tx: DbOrTx,
  applicationId: string,
  at: Date,
  actor: EventActor,
  actorUserId: string | null,
  kind: string,
  data?: Record<string, unknown>,
): Promise<void> {
  await tx.insert(applicationEvents).values({ applicationId, at, actor, actorUserId, kind, data: data ?? null });
}

/** The application row locked for the rest of the transaction, or AppError 'not_found'. */
export async function lockApplication(tx: DbOrTx, id: string): Promise<Application> {
  const [row] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
  if (!row) throw new AppError('not_found', 'The application does not exist.');
  return row;
}

export function isApplicantOf(p: Principal, app: Pick<Application, 'applicantUserId' | 'applicantOrgId'>): boolean {
  return app.applicantUserId === p.userId || (app.applicantOrgId !== null && app.applicantOrgId === p.orgId);
}

export function isExpertOf(p: Principal, app: Pick<Application, 'expertOrgId' | 'status'>): boolean {
  return (
    app.status !== 'draft' &&
    p.orgId !== null &&
    app.expertOrgId === p.orgId &&
    (p.roles.includes('expert') || p.roles.includes('expert_head'))
  );
}

/** the caller is the applicant (or of its organisation); otherwise 'not_found' (existence is not revealed). */
export function assertApplicant(p: Principal, app: Application): void {
  if (!isApplicantOf(p, app)) throw new AppError('not_found', 'The application does not exist.');
}

/** the caller is an expert of the application's expert organisation. */
export function assertExpert(p: Principal, app: Application): void {
  if (!isExpertOf(p, app)) throw new AppError('not_found', 'The application does not exist.');
}

export type StoredSignature = typeof signatures.$inferSelect;

/**
 * the signature must be a stored (already verified, lib/eds) signature made by the acting person.
 * Returns it; its signedAt (or verifiedAt) is the instant of certification.
 */
export async function requireSignature(tx: DbOrTx, p: Principal, signatureId: string): Promise<StoredSignature> {
  const [sig] = await tx.select().from(signatures).where(eq(signatures.id, signatureId));
  if (!sig) throw new AppError('signature_required', 'The EDS signature was not found; sign again.');
  if (sig.signerIin !== p.iin) throw new AppError('signature_invalid', 'The EDS signature belongs to another person.');
  if (sig.purpose !== 'sign') throw new AppError('signature_invalid', 'The signature was made with an authentication key, not a signing key.');
  return sig;
}

export function certifiedAt(sig: StoredSignature): Date {
  return sig.signedAt ?? sig.verifiedAt;
}

export type ApplicationDocument = typeof applicationDocuments.$inferSelect;

/** Next version number of a slot (1 for a new slot) and the id of the version it supersedes. */
export async function nextVersion(tx: DbOrTx, applicationId: string, slot: string): Promise<{ version: number; previousId: string | null }> {
  const [m] = await tx
    .select({ v: max(applicationDocuments.version) })
    .from(applicationDocuments)
    .where(and(eq(applicationDocuments.applicationId, applicationId), eq(applicationDocuments.slot, slot)));
  const version = (m?.v ?? 0) + 1;
  if (version === 1) return { version, previousId: null };
  const [prev] = await tx
    .select({ id: applicationDocuments.id })
    .from(applicationDocuments)
    .where(and(eq(applicationDocuments.applicationId, applicationId), eq(applicationDocuments.slot, slot), eq(applicationDocuments.version, version - 1)));
  return { version, previousId: prev?.id ?? null };
}

export type DocumentVersionInput = {
  applicationId: string;
  slot: string;
  fileName: string;
  sha256: string;
  size: number;
  storageKey?: string | null;
  /** The EDS certifying this version (E-17 applicant, E-46 expert). */
  signatureId: string;
  issuedBy: 'applicant' | 'expert';
  createdBy: string;
  isCostEstimate?: boolean;
  /** E-18/E-46: the registration (null for a draft's document: registered with the application). */
  registeredOn?: string | null;
  registeredAt?: Date | null;
  /** When set, the version the caller expects (refused with `conflict` otherwise). */
  expectVersion?: { version: number; message: string };
  createdAt: Date;
};

/**
 * X-5/E-51: the one way a document enters an application: as the next version of its slot, superseding the
 * previous one (which stays, unchanged). The unique (application, slot, version) index settles a race.
 */
export async function insertDocumentVersion(tx: DbOrTx, v: DocumentVersionInput): Promise<ApplicationDocument> {
  const { version, previousId } = await nextVersion(tx, v.applicationId, v.slot);
  if (v.expectVersion && v.expectVersion.version !== version) throw new AppError('conflict', v.expectVersion.message);
  const [doc] = await tx
    .insert(applicationDocuments)
    .values({
      applicationId: v.applicationId,
      slot: v.slot,
      version,
      sha256: v.sha256,
      fileName: v.fileName,
      size: v.size,
      storageKey: v.storageKey ?? null,
      certifiedSignatureId: v.signatureId,
      registeredOn: v.registeredOn ?? null,
      registeredAt: v.registeredAt ?? null,
      supersedesId: previousId,
      isCostEstimate: v.isCostEstimate ?? false,
      issuedBy: v.issuedBy,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
    })
    .returning();
  return doc;
}
