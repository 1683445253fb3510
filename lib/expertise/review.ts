/** The expert organisation's side and the applicant's answers during the review (E-44..E-51, X-5). */
import { and, desc, eq, inArray, isNull, lt, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { applicationDeadlines, applicationDocuments, applications, conclusionOutcomes, remarks } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { toAuditActor } from '@/lib/auth/policy';
import { sha256Hex } from '@/lib/canonical';
import { AppError } from '@/lib/errors';
import { astanaDateOf } from '@/lib/time/astana';
import { loadWorkingCalendar } from '@/lib/time/calendar-store';
import { now } from '@/lib/time/clock';
import { formatReceiptDate, notifyApplicant } from './notify';
import { applicantDocumentVersion, documentFileSchema } from './applications';
import { closeDeadline, getDeadline, getDeadlineConfig, setDeadline } from './deadlines';
import {
  addEvent,
  assertApplicant,
  assertExpert,
  certifiedAt,
  insertDocumentVersion,
  lockApplication,
  nextVersion,
  requireSignature,
  type Application,
  type ApplicationDocument,
} from './internal';

/** While the expertise runs: documents may be sent and issued. */
export const REVIEW_STATUSES = ['registered', 'incomplete', 'in_review', 'remarks_issued'] as const;
/** The completeness result may be recorded (before its deadline, E-45). */
export const COMPLETENESS_STATUSES = ['registered', 'incomplete'] as const;
/** The conclusion may be signed (E-50). */
export const CONCLUSION_STATUSES = ['in_review', 'remarks_issued'] as const;

function inStatus(app: Application, allowed: readonly Application['status'][], what: string): void {
  if (!allowed.includes(app.status)) throw new AppError('conflict', `${what} is not possible while the application is ${app.status}.`);
}

/** The cause of a unique violation (postgres.js error, possibly wrapped by drizzle), or null. */
function uniqueViolation(e: unknown): string | null {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    const pg = c as { code?: string; constraint_name?: string; constraint?: string };
    if (pg.code === '23505') return pg.constraint_name ?? pg.constraint ?? '';
    if (!('cause' in c)) break;
  }
  return null;
}

// ---- completeness (E-45) ---------------------------------------------------------------------------------

export const completenessSchema = z
  .object({ result: z.enum(['positive', 'negative']), remarks: z.string().trim().max(20_000).optional() })
  .refine((v) => v.result === 'positive' || (v.remarks?.length ?? 0) > 0, { message: 'Remarks are required for an incomplete set', path: ['remarks'] });
export type CompletenessInput = z.input<typeof completenessSchema>;

/** Starts the expertise proper: remarks and conclusion deadlines from `start` (E-44). */
async function startExpertise(tx: DbOrTx, app: Application, start: Date): Promise<void> {
  const cal = await loadWorkingCalendar(tx);
  const config = await getDeadlineConfig(tx, app.category!);
  await setDeadline(tx, cal, app.id, config, 'remarks', start);
  await setDeadline(tx, cal, app.id, config, 'conclusion', start);
}

/**
 * E-45: the expert records the completeness result before the completeness deadline. Once the deadline has
 * passed (or the job has locked the result) any change is refused ('locked'; the database refuses as well).
 * A positive result starts the expertise (remarks and conclusion deadlines).
 */
export async function recordCompleteness(db: DbOrTx, expert: Principal, applicationId: string, input: CompletenessInput): Promise<Application> {
  const v = completenessSchema.parse(input);
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertExpert(expert, app);
    const at = now();
    const deadline = await getDeadline(tx, app.id, 'completeness');
    if (app.completenessLocked || (deadline && at.getTime() > deadline.dueAt.getTime())) {
      throw new AppError('locked', `The completeness result can no longer be changed: the completeness deadline (${deadline?.dueDate ?? '—'}) has passed (E-45).`);
    }
    inStatus(app, COMPLETENESS_STATUSES, 'Recording the completeness result');
    const [updated] = await tx
      .update(applications)
      .set({
        completenessResult: v.result,
        completenessRemarks: v.result === 'negative' ? v.remarks! : (v.remarks ?? null),
        completenessAt: at,
        status: v.result === 'positive' ? 'in_review' : 'incomplete',
      })
      .where(eq(applications.id, app.id))
      .returning();
    await addEvent(tx, app.id, at, 'expert', expert.userId, 'completeness_recorded', { result: v.result, remarks: v.remarks ?? null });
    if (v.result === 'positive') await startExpertise(tx, updated, at);
    await appendAudit(tx, {
      actor: toAuditActor(expert),
      action: 'expertise.completeness.record',
      entityType: 'application',
      entityId: app.id,
      before: { completenessResult: app.completenessResult, status: app.status },
      after: { completenessResult: v.result, status: updated.status },
    });
    return updated;
  });
}

/**
 * E-45, run every minute: for each open completeness deadline that has passed, locks the result and, when none
 * was recorded, sets it positive automatically (completeness_auto) and starts the expertise.
 */
export async function runCompletenessDeadlines(db: DbOrTx, at: Date = now(), batch = 200): Promise<{ locked: number; autoPositive: number }> {
  const due = await db
    .select({ applicationId: applicationDeadlines.applicationId })
    .from(applicationDeadlines)
    .where(and(eq(applicationDeadlines.kind, 'completeness'), eq(applicationDeadlines.status, 'open'), lt(applicationDeadlines.dueAt, at)))
    .limit(batch);
  let locked = 0;
  let autoPositive = 0;
  for (const { applicationId } of due) {
    await db.transaction(async (tx) => {
      const app = await lockApplication(tx, applicationId);
      if (app.completenessLocked) return;
      const auto = app.completenessResult === null;
      const [updated] = await tx
        .update(applications)
        .set(
          auto
            ? { completenessResult: 'positive', completenessAuto: true, completenessLocked: true, completenessAt: at, status: 'in_review' }
            : { completenessLocked: true },
        )
        .where(eq(applications.id, app.id))
        .returning();
      await closeDeadline(tx, app.id, 'completeness', 'met', at);
      await addEvent(tx, app.id, at, 'system', null, auto ? 'completeness_auto_positive' : 'completeness_locked', {
        result: updated.completenessResult,
      });
      if (auto) {
        const deadline = await getDeadline(tx, app.id, 'completeness');
        await startExpertise(tx, updated, deadline!.dueAt);
        autoPositive++;
      }
      await appendAudit(tx, {
        action: auto ? 'expertise.completeness.auto_positive' : 'expertise.completeness.lock',
        entityType: 'application',
        entityId: app.id,
        basis: 'E-45: the completeness deadline passed',
        before: { completenessResult: app.completenessResult, completenessLocked: false },
        after: { completenessResult: updated.completenessResult, completenessLocked: true, completenessAuto: updated.completenessAuto },
        at,
      });
      locked++;
    });
  }
  return { locked, autoPositive };
}

// ---- remarks once (E-48) ---------------------------------------------------------------------------------

export const remarksSchema = z.object({ text: z.string().trim().min(1).max(100_000), signatureId: z.uuid() });
export type RemarksInput = z.input<typeof remarksSchema>;
export type Remarks = typeof remarks.$inferSelect;

async function alreadyIssued(db: DbOrTx, applicationId: string): Promise<AppError | null> {
  const [r] = await db.select().from(remarks).where(eq(remarks.applicationId, applicationId));
  return r
    ? new AppError('conflict', `Remarks were already issued on ${formatReceiptDate(r.issuedAt)}; remarks are issued only once (E-48).`, undefined, undefined, {
        issuedAt: r.issuedAt.toISOString(),
      })
    : null;
}

/**
 * E-48: one remarks document per application, signed by the expert, only before the remarks deadline. It is
 * registered at its certification (E-46), delivered to the applicant (E-50) and opens the remedy window.
 */
export async function issueRemarks(db: DbOrTx, expert: Principal, applicationId: string, input: RemarksInput): Promise<Remarks> {
  const v = remarksSchema.parse(input);
  try {
    return await db.transaction(async (tx) => {
      const app = await lockApplication(tx, applicationId);
      assertExpert(expert, app);
      const issued = await alreadyIssued(tx, app.id);
      if (issued) throw issued;
      inStatus(app, ['in_review'], 'Issuing remarks');
      const at = now();
      const deadline = await getDeadline(tx, app.id, 'remarks');
      if (!deadline || at.getTime() > deadline.dueAt.getTime()) {
        throw new AppError('deadline_passed', `The remarks deadline (${deadline?.dueDate ?? '—'}) has passed; remarks can no longer be issued (E-48).`);
      }
      const sig = await requireSignature(tx, expert, v.signatureId);
      const registeredAt = certifiedAt(sig);
      const doc = await insertDocumentVersion(tx, {
        applicationId: app.id,
        slot: 'remarks',
        sha256: sha256Hex(v.text),
        fileName: 'remarks.txt',
        size: Buffer.byteLength(v.text, 'utf8'),
        signatureId: v.signatureId,
        registeredOn: astanaDateOf(registeredAt),
        registeredAt,
        issuedBy: 'expert',
        createdBy: expert.userId,
        createdAt: at,
        expectVersion: { version: 1, message: 'Remarks were already issued; remarks are issued only once (E-48).' },
      });
      const [row] = await tx
        .insert(remarks)
        .values({
          applicationId: app.id,
          text: v.text,
          signatureId: v.signatureId,
          documentId: doc.id,
          issuedBy: expert.userId,
          issuedAt: at,
          registeredOn: astanaDateOf(registeredAt),
        })
        .returning();
      await tx.update(applications).set({ status: 'remarks_issued' }).where(eq(applications.id, app.id));
      await closeDeadline(tx, app.id, 'remarks', 'met', at);
      const cal = await loadWorkingCalendar(tx);
      await setDeadline(tx, cal, app.id, await getDeadlineConfig(tx, app.category!), 'remedy', at);
      await addEvent(tx, app.id, at, 'expert', expert.userId, 'remarks_issued', { remarksId: row.id, documentId: doc.id });
      await notifyApplicant(tx, app, 'expertise.remarks_issued', { number: app.number });
      await appendAudit(tx, {
        actor: toAuditActor(expert),
        action: 'expertise.remarks.issue',
        entityType: 'application',
        entityId: app.id,
        signatureId: v.signatureId,
        after: { remarksId: row.id, documentId: doc.id, sha256: doc.sha256 },
      });
      return row;
    });
  } catch (e) {
    // Two experts at once: the unique index decides; answer with the same clear message.
    if (uniqueViolation(e) !== null) {
      const issued = await alreadyIssued(db, applicationId);
      if (issued) throw issued;
    }
    throw e;
  }
}

// ---- document versions (E-51, X-5, E-46, E-50) -----------------------------------------------------------

/**
 * E-18 (documents during the review), E-51: the applicant answers with a new version of a document, certified
 * with its EDS; it is registered at the instant of certification (a non-working day → the next working day).
 * An answer while remarks are open closes the remedy window.
 */
export async function submitDocumentVersion(db: DbOrTx, applicant: Principal, applicationId: string, input: z.input<typeof documentFileSchema>): Promise<ApplicationDocument> {
  const v = documentFileSchema.parse(input);
  if (['remarks', 'conclusion'].includes(v.slot)) throw new AppError('validation_failed', 'This slot belongs to the expert organisation.', { slot: 'reserved' });
  const cal = await loadWorkingCalendar(db);
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertApplicant(applicant, app);
    inStatus(app, REVIEW_STATUSES, 'Sending a document');
    const sig = await requireSignature(tx, applicant, v.signatureId);
    const reg = cal.registrationDateDuringReview(certifiedAt(sig));
    const at = now();
    const doc = await insertDocumentVersion(tx, {
      ...applicantDocumentVersion(app.id, applicant, v, at),
      registeredOn: reg.date,
      registeredAt: reg.instant ?? certifiedAt(sig),
    });
    const { version, supersedesId: previousId } = doc;
    await addEvent(tx, app.id, at, 'applicant', applicant.userId, 'document_version', {
      documentId: doc.id,
      slot: v.slot,
      version,
      supersedesId: previousId,
      registeredOn: reg.date,
      explanation: reg.explanation,
    });
    if (app.status === 'remarks_issued') {
      const remedy = await getDeadline(tx, app.id, 'remedy');
      if (remedy?.status === 'open') await closeDeadline(tx, app.id, 'remedy', at.getTime() <= remedy.dueAt.getTime() ? 'met' : 'missed', at);
      await tx.update(applications).set({ status: 'in_review' }).where(eq(applications.id, app.id));
    }
    await appendAudit(tx, {
      actor: toAuditActor(applicant),
      action: 'expertise.document.version',
      entityType: 'application_document',
      entityId: doc.id,
      signatureId: v.signatureId,
      after: { applicationId: app.id, slot: v.slot, version, sha256: v.sha256, registeredOn: reg.date },
    });
    return doc;
  });
}

const expertDocumentSchema = documentFileSchema.omit({ isCostEstimate: true });
export type ExpertDocumentInput = z.input<typeof expertDocumentSchema>;

/** E-46: an expert-issued version, registered at the actual instant the expert's EDS certified it. */
async function insertExpertDocument(
  tx: DbOrTx,
  expert: Principal,
  app: Application,
  v: z.output<typeof expertDocumentSchema>,
  expectVersion: { version: number; message: string },
): Promise<ApplicationDocument> {
  const sig = await requireSignature(tx, expert, v.signatureId);
  const registeredAt = certifiedAt(sig);
  return insertDocumentVersion(tx, {
    applicationId: app.id,
    slot: v.slot,
    fileName: v.fileName,
    sha256: v.sha256,
    size: v.size,
    storageKey: v.storageKey,
    signatureId: v.signatureId,
    registeredOn: astanaDateOf(registeredAt),
    registeredAt,
    issuedBy: 'expert',
    createdBy: expert.userId,
    createdAt: now(),
    expectVersion,
  });
}

/** E-46/E-50: a document issued by the expert organisation (certified by the expert), delivered to the applicant's cabinet. */
export async function issueExpertDocument(db: DbOrTx, expert: Principal, applicationId: string, input: ExpertDocumentInput): Promise<ApplicationDocument> {
  const v = expertDocumentSchema.parse(input);
  if (v.slot === 'remarks') throw new AppError('validation_failed', 'Remarks are issued with issueRemarks (E-48).', { slot: 'reserved' });
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertExpert(expert, app);
    inStatus(app, REVIEW_STATUSES, 'Issuing a document');
    const doc = await insertExpertDocument(tx, expert, app, v, { version: 1, message: 'This document was already issued; change it as a new version (E-51).' });
    await addEvent(tx, app.id, now(), 'expert', expert.userId, 'document_delivered', { documentId: doc.id, slot: v.slot, version: 1 });
    if (v.slot !== 'conclusion') await notifyApplicant(tx, app, 'expertise.document_delivered', { number: app.number, slot: v.slot });
    await appendAudit(tx, {
      actor: toAuditActor(expert),
      action: 'expertise.document.issue',
      entityType: 'application_document',
      entityId: doc.id,
      signatureId: v.signatureId,
      after: { applicationId: app.id, slot: v.slot, sha256: v.sha256, registeredOn: doc.registeredOn },
    });
    return doc;
  });
}

export const reviseSchema = z.object({
  previousDocumentId: z.uuid(),
  /** The authorised expert's EDS certifying the annulment of the previous version (E-51). */
  annulmentSignatureId: z.uuid(),
  /** Why the document changes (told to the applicant first). */
  reason: z.string().trim().min(1).max(2000),
  document: expertDocumentSchema.omit({ slot: true }),
});
export type ReviseInput = z.input<typeof reviseSchema>;

/**
 * E-51: an expert-issued document changes only as a new version, in this order: the applicant is notified,
 * the previous version is annulled (certified with the expert's EDS), then the new version is delivered.
 */
export async function reviseExpertDocument(
  db: DbOrTx,
  expert: Principal,
  applicationId: string,
  input: ReviseInput,
): Promise<{ annulled: ApplicationDocument; document: ApplicationDocument }> {
  const v = reviseSchema.parse(input);
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertExpert(expert, app);
    inStatus(app, REVIEW_STATUSES, 'Changing a document');
    const [prev] = await tx
      .select()
      .from(applicationDocuments)
      .where(and(eq(applicationDocuments.id, v.previousDocumentId), eq(applicationDocuments.applicationId, app.id)))
      .for('update');
    if (!prev) throw new AppError('not_found', 'The document does not exist.');
    if (prev.issuedBy !== 'expert' || prev.slot === 'remarks') throw new AppError('forbidden', 'Only documents issued by the expert organisation (other than remarks) are changed this way.');
    if (prev.annulledAt) throw new AppError('conflict', 'This version is already annulled.');
    const { version } = await nextVersion(tx, app.id, prev.slot);
    const latestOnly = { version: prev.version + 1, message: 'Only the latest version can be changed.' };
    if (version !== latestOnly.version) throw new AppError('conflict', latestOnly.message);
    await requireSignature(tx, expert, v.annulmentSignatureId);
    // 1. the applicant is told first
    await addEvent(tx, app.id, now(), 'expert', expert.userId, 'applicant_notified', { documentId: prev.id, slot: prev.slot, reason: v.reason });
    await notifyApplicant(tx, app, 'expertise.document_changing', { number: app.number, slot: prev.slot, reason: v.reason });
    // 2. the previous version is annulled with the expert's EDS
    const [annulled] = await tx
      .update(applicationDocuments)
      .set({ annulledAt: now(), annulmentSignatureId: v.annulmentSignatureId })
      .where(eq(applicationDocuments.id, prev.id))
      .returning();
    await addEvent(tx, app.id, now(), 'expert', expert.userId, 'document_annulled', { documentId: prev.id, signatureId: v.annulmentSignatureId });
    // 3. the new version is delivered
    const doc = await insertExpertDocument(tx, expert, app, { ...v.document, slot: prev.slot }, latestOnly);
    await addEvent(tx, app.id, now(), 'expert', expert.userId, 'document_delivered', { documentId: doc.id, slot: prev.slot, version, supersedesId: prev.id });
    await appendAudit(tx, {
      actor: toAuditActor(expert),
      action: 'expertise.document.revise',
      entityType: 'application_document',
      entityId: doc.id,
      signatureId: v.annulmentSignatureId,
      basis: v.reason,
      before: { documentId: prev.id, version: prev.version, sha256: prev.sha256 },
      after: { documentId: doc.id, version, sha256: doc.sha256 },
    });
    return { annulled, document: doc };
  });
}

// ---- conclusion after payment (E-50) ----------------------------------------------------------------------

/** E-56 needs the outcome: only a positive conclusion can go to the cadastre. */
export const signConclusionSchema = z.object({ documentId: z.uuid(), signatureId: z.uuid(), outcome: z.enum(['positive', 'negative']) });

/** E-50: the consolidated conclusion (an expert-issued 'conclusion' document) is signed; it is held until payment. */
export async function signConclusion(db: DbOrTx, expert: Principal, applicationId: string, input: z.input<typeof signConclusionSchema>): Promise<Application> {
  const v = signConclusionSchema.parse(input);
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertExpert(expert, app);
    inStatus(app, CONCLUSION_STATUSES, 'Signing the conclusion');
    if (app.completenessResult !== 'positive') throw new AppError('conflict', 'The completeness check is not positive.');
    const [doc] = await tx
      .select()
      .from(applicationDocuments)
      .where(and(eq(applicationDocuments.id, v.documentId), eq(applicationDocuments.applicationId, app.id), isNull(applicationDocuments.annulledAt)));
    if (!doc || doc.slot !== 'conclusion' || doc.issuedBy !== 'expert') throw new AppError('validation_failed', 'Choose the current conclusion document.', { documentId: 'not a conclusion' });
    await requireSignature(tx, expert, v.signatureId);
    const at = now();
    const [updated] = await tx
      .update(applications)
      .set({ status: 'conclusion_signed', conclusionDocumentId: doc.id, conclusionSignatureId: v.signatureId, conclusionSignedAt: at })
      .where(eq(applications.id, app.id))
      .returning();
    await tx
      .update(applicationDeadlines)
      .set({ status: 'met', closedAt: at })
      .where(and(eq(applicationDeadlines.applicationId, app.id), eq(applicationDeadlines.status, 'open')));
    await tx
      .insert(conclusionOutcomes)
      .values({ applicationId: app.id, outcome: v.outcome, documentId: doc.id, signatureId: v.signatureId, recordedAt: at })
      .onConflictDoUpdate({ target: conclusionOutcomes.applicationId, set: { outcome: v.outcome, documentId: doc.id, signatureId: v.signatureId, recordedAt: at } });
    await addEvent(tx, app.id, at, 'expert', expert.userId, 'conclusion_signed', { documentId: doc.id, outcome: v.outcome });
    await notifyApplicant(tx, app, 'expertise.conclusion_held', { number: app.number });
    await appendAudit(tx, {
      actor: toAuditActor(expert),
      action: 'expertise.conclusion.sign',
      entityType: 'application',
      entityId: app.id,
      signatureId: v.signatureId,
      before: { status: app.status },
      after: { status: 'conclusion_signed', documentId: doc.id, outcome: v.outcome },
    });
    return updated;
  });
}

export const confirmPaymentSchema = z.object({ basis: z.string().trim().min(1).max(1000) });

/** E-50: the expert organisation records the payment (or confirms the applicant's payment order): the conclusion is released. */
export async function confirmPayment(db: DbOrTx, expertOrgUser: Principal, applicationId: string, input: z.input<typeof confirmPaymentSchema>): Promise<Application> {
  const v = confirmPaymentSchema.parse(input);
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertExpert(expertOrgUser, app);
    inStatus(app, ['conclusion_signed'], 'Releasing the conclusion');
    const at = now();
    const [updated] = await tx
      .update(applications)
      .set({ status: 'conclusion_released', paymentConfirmedAt: at, paymentBasis: v.basis })
      .where(eq(applications.id, app.id))
      .returning();
    await addEvent(tx, app.id, at, 'expert', expertOrgUser.userId, 'payment_confirmed', { basis: v.basis });
    await addEvent(tx, app.id, at, 'system', null, 'conclusion_released', { documentId: app.conclusionDocumentId });
    await notifyApplicant(tx, app, 'expertise.conclusion_released', { number: app.number });
    await appendAudit(tx, {
      actor: toAuditActor(expertOrgUser),
      action: 'expertise.conclusion.release',
      entityType: 'application',
      entityId: app.id,
      basis: v.basis,
      before: { status: app.status },
      after: { status: 'conclusion_released', paymentConfirmedAt: at },
    });
    return updated;
  });
}

// ---- retention (E-23, X-6) --------------------------------------------------------------------------------

/** The Astana date three years before `today` (29 February → 28 February). */
export function threeYearsBefore(today: string): string {
  const [y, m, d] = today.split('-');
  const candidate = `${Number(y) - 3}-${m}-${d}`;
  return m === '02' && d === '29' ? `${Number(y) - 3}-02-28` : candidate;
}

/**
 * E-23/X-6, daily: applications whose 3 years from registration have run out are archived (status archived,
 * archived_at, event and audit rows). Nothing is deleted.
 */
export async function archiveExpiredApplications(db: DbOrTx, at: Date = now(), batch = 500): Promise<number> {
  const cutoff = threeYearsBefore(astanaDateOf(at));
  const rows = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(ne(applications.status, 'archived'), ne(applications.status, 'draft'), lt(applications.registrationDate, cutoff)))
    .orderBy(applications.registrationDate)
    .limit(batch);
  if (!rows.length) return 0;
  await db.transaction(async (tx) => {
    const ids = rows.map((r) => r.id);
    const archived = await tx
      .update(applications)
      .set({ status: 'archived', archivedAt: at })
      .where(and(inArray(applications.id, ids), ne(applications.status, 'archived')))
      .returning({ id: applications.id, number: applications.number, registrationDate: applications.registrationDate });
    for (const a of archived) {
      await addEvent(tx, a.id, at, 'system', null, 'archived', { registrationDate: a.registrationDate });
      await appendAudit(tx, {
        action: 'expertise.application.archive',
        entityType: 'application',
        entityId: a.id,
        basis: 'E-23: 3 years from registration',
        after: { number: a.number, registrationDate: a.registrationDate, archivedAt: at },
        at,
      });
    }
  });
  return rows.length;
}

/** Latest first; for the expert's view of remarks state. */
export async function getRemarks(db: DbOrTx, applicationId: string): Promise<Remarks | null> {
  const [r] = await db.select().from(remarks).where(eq(remarks.applicationId, applicationId)).orderBy(desc(remarks.issuedAt));
  return r ?? null;
}

