/**
 * E-56 (003 §56) / I-INT-2 (§30): design documentation WITHOUT the cost-estimate part, of a project submitted
 * electronically through the portal that received a positive conclusion, is made available to the State
 * Urban-Planning Cadastre — only with the rights holder's signed consent, marked confidential, every transfer
 * audited. No consent → 403 'consent_required'.
 */
import { and, asc, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { applicationDocuments, applications, cadastreConsents, conclusionOutcomes } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { toAuditActor } from '@/lib/auth/policy';
import { fileStore } from '@/lib/documents/store';
import { AppError } from '@/lib/errors';
import { addEvent, assertApplicant, lockApplication, type Application } from '@/lib/expertise/internal';
import { now } from '@/lib/time/clock';
import { partnerAuditActor, UUID } from './expertise';
import { apiPath } from './http';
import type { PartnerPrincipal } from './keys';

export const CONFIDENTIALITY = 'confidential';
export const CONFIDENTIAL_HEADERS = { 'x-confidentiality': CONFIDENTIALITY, 'cache-control': 'no-store' } as const;

type Doc = typeof applicationDocuments.$inferSelect;

/** Submitted electronically through the portal: registered from a signed submission. */
function submittedElectronically(app: Application): boolean {
  return app.submitSignatureId !== null && app.receivedAt !== null && app.status !== 'draft';
}

export type CadastreState = {
  /** 'positive' | 'negative' | null (no result reported yet). */
  outcome: 'positive' | 'negative' | null;
  electronic: boolean;
  eligible: boolean;
  consent: { at: Date; signatureId: string } | null;
};

export async function cadastreState(db: DbOrTx, app: Application): Promise<CadastreState> {
  const [[o], [c]] = await Promise.all([
    db.select().from(conclusionOutcomes).where(eq(conclusionOutcomes.applicationId, app.id)),
    db.select().from(cadastreConsents).where(eq(cadastreConsents.applicationId, app.id)),
  ]);
  const outcome = o?.outcome ?? null;
  const electronic = submittedElectronically(app);
  const signed = app.conclusionSignedAt !== null;
  return {
    outcome,
    electronic,
    eligible: electronic && signed && outcome === 'positive',
    consent: c ? { at: c.consentedAt, signatureId: c.signatureId } : null,
  };
}

export const consentActionSchema = z.object({ applicationId: z.uuid() });

/** The rights holder (the applicant or its organisation) consents, with its EDS, to the cadastre transfer. */
export async function giveCadastreConsent(
  db: DbOrTx,
  applicant: Principal,
  applicationId: string,
  signatureId: string,
): Promise<{ consentedAt: Date; duplicate: boolean }> {
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertApplicant(applicant, app);
    const state = await cadastreState(tx, app);
    if (state.consent) return { consentedAt: state.consent.at, duplicate: true };
    if (!state.eligible) {
      throw new AppError('not_transferable', 'Only design documentation with a positive conclusion, submitted electronically, goes to the cadastre (E-56).', undefined, 409);
    }
    const at = now();
    await tx.insert(cadastreConsents).values({ applicationId: app.id, consentedBy: applicant.userId, signatureId, consentedAt: at });
    await addEvent(tx, app.id, at, 'applicant', applicant.userId, 'cadastre_consent', { signatureId });
    await appendAudit(tx, {
      actor: toAuditActor(applicant),
      action: 'partner.cadastre.consent',
      entityType: 'application',
      entityId: app.id,
      signatureId,
      basis: 'E-56 / I-INT-2: the rights holder’s consent to the transfer to the State Urban-Planning Cadastre',
      after: { consentedAt: at },
    });
    return { consentedAt: at, duplicate: false };
  });
}

// ---- the cadastre's endpoints ----------------------------------------------------------------------------

export const cadastreListQuerySchema = z.object({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}
function decodeCursor(c: string): { at: string; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  if (!at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) throw new AppError('validation_failed', 'Invalid cursor.', { cursor: 'invalid' });
  return { at: new Date(at).toISOString(), id };
}

/** Applications available to the cadastre (consented, positive, electronic), oldest consent first. */
export async function listForCadastre(db: DbOrTx, partner: PartnerPrincipal, q: z.output<typeof cadastreListQuerySchema>) {
  const conds: SQL[] = [eq(conclusionOutcomes.outcome, 'positive'), isNotNull(applications.submitSignatureId), isNotNull(applications.conclusionSignedAt)];
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    conds.push(sql`(${cadastreConsents.consentedAt}, ${cadastreConsents.applicationId}) > (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await db
    .select({ app: applications, consentedAt: cadastreConsents.consentedAt })
    .from(cadastreConsents)
    .innerJoin(applications, eq(applications.id, cadastreConsents.applicationId))
    .innerJoin(conclusionOutcomes, eq(conclusionOutcomes.applicationId, applications.id))
    .where(and(...conds))
    .orderBy(asc(cadastreConsents.consentedAt), asc(cadastreConsents.applicationId))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  void partner;
  return {
    classification: CONFIDENTIALITY,
    items: page.map(({ app, consentedAt }) => ({
      id: app.id,
      number: app.number,
      objectName: app.objectName,
      region: app.region,
      conclusionSignedAt: app.conclusionSignedAt,
      consentedAt,
      packageUrl: apiPath('cadastre', 'applications', app.id),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.consentedAt, last.app.id) : null,
  };
}

/** The application when it may go to the cadastre: 404 unknown, 403 'consent_required', 409 'not_transferable'. */
async function transferable(db: DbOrTx, applicationId: string): Promise<{ app: Application; state: CadastreState }> {
  if (!UUID.test(applicationId)) throw new AppError('not_found', 'The application does not exist.');
  const [app] = await db.select().from(applications).where(eq(applications.id, applicationId));
  if (!app || app.status === 'draft') throw new AppError('not_found', 'The application does not exist.');
  const state = await cadastreState(db, app);
  if (!state.consent) throw new AppError('consent_required', 'The rights holder has not consented to the transfer (E-56, I-INT-2).', undefined, 403);
  if (!state.eligible) throw new AppError('not_transferable', 'Only design documentation with a positive conclusion, submitted electronically, is transferred.', undefined, 409);
  return { app, state };
}

/** E-56: the design documentation — the applicant's current documents without the cost-estimate part. */
export async function designDocuments(db: DbOrTx, applicationId: string): Promise<Doc[]> {
  const docs = await db
    .select()
    .from(applicationDocuments)
    .where(and(eq(applicationDocuments.applicationId, applicationId), eq(applicationDocuments.issuedBy, 'applicant')))
    .orderBy(asc(applicationDocuments.slot), desc(applicationDocuments.version));
  const latest = new Map<string, Doc>();
  for (const d of docs) if (!latest.has(d.slot)) latest.set(d.slot, d);
  return [...latest.values()].filter((d) => !d.annulledAt && !d.isCostEstimate && d.slot !== 'cost_estimate');
}

/** The package (metadata and links), audited as a transfer. */
export async function cadastrePackage(db: DbOrTx, partner: PartnerPrincipal, applicationId: string, requestId?: string) {
  const { app, state } = await transferable(db, applicationId);
  const docs = await designDocuments(db, app.id);
  await appendAudit(db, {
    actor: partnerAuditActor(partner),
    action: 'partner.cadastre.transfer',
    entityType: 'application',
    entityId: app.id,
    requestId: requestId ?? null,
    basis: 'E-56: design documentation without the cost-estimate part, with the rights holder’s consent',
    after: { what: 'package', documents: docs.map((d) => d.id), consentedAt: state.consent!.at },
  });
  return {
    classification: CONFIDENTIALITY,
    application: {
      id: app.id,
      number: app.number,
      objectName: app.objectName,
      region: app.region,
      address: app.address,
      category: app.category,
      workKind: app.workKind,
      registrationDate: app.registrationDate,
    },
    conclusion: { outcome: state.outcome, signedAt: app.conclusionSignedAt },
    consent: { at: state.consent!.at },
    documents: docs.map((d) => ({
      id: d.id,
      slot: d.slot,
      version: d.version,
      fileName: d.fileName,
      size: d.size,
      sha256: d.sha256,
      registeredOn: d.registeredOn,
      downloadUrl: d.storageKey ? apiPath('cadastre', 'applications', app.id, 'documents', d.id) : null,
    })),
  };
}

/** One document of the package (a cost estimate or any other document answers 404), audited as a transfer. */
export async function cadastreDocument(db: DbOrTx, partner: PartnerPrincipal, applicationId: string, documentId: string, requestId?: string): Promise<Doc> {
  const { app } = await transferable(db, applicationId);
  const doc = (await designDocuments(db, app.id)).find((d) => d.id === documentId);
  if (!doc) throw new AppError('not_found', 'The document is not part of the design documentation transferred to the cadastre.');
  if (!doc.storageKey || !(await fileStore().stat(doc.sha256))) throw new AppError('not_found', 'The file is not stored on the portal.');
  await appendAudit(db, {
    actor: partnerAuditActor(partner),
    action: 'partner.cadastre.transfer',
    entityType: 'application_document',
    entityId: doc.id,
    requestId: requestId ?? null,
    basis: 'E-56: a document of the design documentation',
    after: { what: 'document', applicationId: app.id, sha256: doc.sha256, size: doc.size },
  });
  return doc;
}
