/** The applicant's side up to registration: drafts, draft documents, submission (E-16..E-19, X-10). */
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { applicationDocuments, applications, expertOrgSettings, organisations, receipts, WORK_KINDS } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { assertCan, toAuditActor } from '@/lib/auth/policy';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';
import { issueReceipt, type Receipt } from '@/lib/numbers/receipts';
import { astanaMidnight, formatIsoDate } from '@/lib/time/astana';
import { loadWorkingCalendar } from '@/lib/time/calendar-store';
import { now } from '@/lib/time/clock';
import { getDeadlineConfig, setDeadline } from './deadlines';
import { formatReceiptDate, notifyApplicant } from './notify';
import { addEvent, assertApplicant, insertDocumentVersion, lockApplication, requireSignature, type Application, type ApplicationDocument } from './internal';

export const NUMBER_SYSTEM = 'expertise';

/** E-19: the expert organisations an applicant may choose (accredited, not blocked, active). */
export async function listSelectableExpertOrgs(db: DbOrTx) {
  return db
    .select({ orgId: organisations.id, name: organisations.name, bin: organisations.bin, orgCode: expertOrgSettings.orgCode })
    .from(expertOrgSettings)
    .innerJoin(organisations, eq(organisations.id, expertOrgSettings.orgId))
    .where(and(eq(expertOrgSettings.accredited, true), eq(expertOrgSettings.blocked, false), eq(organisations.status, 'active')))
    .orderBy(asc(organisations.name));
}

// ---- drafts ----------------------------------------------------------------------------------------------

const text = (maxLen: number) => z.string().trim().min(1).max(maxLen);

/** The wizard's fields; a draft may hold any subset, submission needs all (submitFieldsSchema). */
export const draftFieldsSchema = z.object({
  objectName: text(500).optional(),
  region: text(200).optional(),
  address: text(1000).optional(),
  category: text(100).optional(),
  workKind: z.enum(WORK_KINDS).optional(),
  financingSource: text(200).optional(),
  expertOrgId: z.uuid().optional(),
});
export type DraftFields = z.input<typeof draftFieldsSchema>;

export const submitFieldsSchema = draftFieldsSchema.required();

export async function createDraft(db: DbOrTx, applicant: Principal, input: DraftFields = {}): Promise<Application> {
  assertCan(applicant, 'expertise.apply');
  const v = draftFieldsSchema.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(applications)
      .values({ ...v, applicantUserId: applicant.userId, applicantOrgId: applicant.orgId, createdAt: now() })
      .returning();
    await addEvent(tx, row.id, now(), 'applicant', applicant.userId, 'draft_created');
    await appendAudit(tx, { actor: toAuditActor(applicant), action: 'expertise.draft.create', entityType: 'application', entityId: row.id, after: v });
    return row;
  });
}

export async function updateDraft(db: DbOrTx, applicant: Principal, applicationId: string, input: DraftFields): Promise<Application> {
  const v = draftFieldsSchema.parse(input);
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertApplicant(applicant, app);
    if (app.status !== 'draft') throw new AppError('conflict', 'The application is already submitted; it can no longer be edited.');
    const [row] = await tx.update(applications).set(v).where(eq(applications.id, applicationId)).returning();
    await appendAudit(tx, { actor: toAuditActor(applicant), action: 'expertise.draft.update', entityType: 'application', entityId: app.id, after: v });
    return row;
  });
}

export const documentFileSchema = z.object({
  slot: z.string().trim().regex(/^[a-z0-9_]{1,60}$/, 'a slot name: a-z, 0-9, _'),
  fileName: text(255),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'hex SHA-256'),
  size: z.number().int().min(0),
  storageKey: z.string().max(500).nullish(),
  isCostEstimate: z.boolean().default(false),
  /** The applicant's EDS certifying the document (E-17). */
  signatureId: z.uuid(),
});
export type DocumentFileInput = z.input<typeof documentFileSchema>;

/** The stored version of a file the applicant certified (a draft's slot or an answer during the review). */
export function applicantDocumentVersion(applicationId: string, applicant: Principal, v: z.output<typeof documentFileSchema>, createdAt: Date) {
  const { slot, fileName, sha256, size, storageKey, signatureId, isCostEstimate } = v;
  return { applicationId, slot, fileName, sha256, size, storageKey, signatureId, isCostEstimate, issuedBy: 'applicant' as const, createdBy: applicant.userId, createdAt };
}

export type { ApplicationDocument } from './internal';
export { nextVersion } from './internal';

/** E-16/E-17: a certified document in a draft's slot (a second file in the same slot becomes a new version). */
export async function addDraftDocument(db: DbOrTx, applicant: Principal, applicationId: string, input: DocumentFileInput): Promise<ApplicationDocument> {
  const v = documentFileSchema.parse(input);
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertApplicant(applicant, app);
    if (app.status !== 'draft') throw new AppError('conflict', 'The application is submitted: send documents as new versions.');
    await requireSignature(tx, applicant, v.signatureId);
    const doc = await insertDocumentVersion(tx, applicantDocumentVersion(app.id, applicant, v, now()));
    const version = doc.version;
    await addEvent(tx, app.id, now(), 'applicant', applicant.userId, 'document_added', { documentId: doc.id, slot: v.slot, version });
    await appendAudit(tx, {
      actor: toAuditActor(applicant),
      action: 'expertise.draft.document',
      entityType: 'application_document',
      entityId: doc.id,
      signatureId: v.signatureId,
      after: { applicationId: app.id, slot: v.slot, version, sha256: v.sha256, fileName: v.fileName, size: v.size },
    });
    return doc;
  });
}

// ---- submission -------------------------------------------------------------------------------------------

export const submitSchema = z.object({
  applicationId: z.uuid(),
  /** Sent again by a client that retries: the same key returns the first result. */
  idempotencyKey: z.string().trim().min(8).max(200).optional(),
});
export type SubmitInput = z.input<typeof submitSchema>;

export type SubmitResult = { application: Application; receipt: Receipt; duplicate: boolean };

async function receiptOf(tx: DbOrTx, app: Application): Promise<Receipt> {
  const [r] = await tx.select().from(receipts).where(eq(receipts.id, app.receiptId!));
  return r;
}

/**
 * E-16..E-19, X-10: submits a draft. Registration date by E-18 from `receivedAt` (Astana, 14:00, non-working
 * days), the number from the chosen organisation's template (gapless per organisation and year: the receipt
 * and the application share the one allocated number), the receipt, the completeness deadline (E-44), events
 * and an audit row, in one transaction. Submitting an already submitted application (the same draft, or the
 * same idempotency key) returns the first result with `duplicate: true`.
 */
export async function submitApplication(
  db: DbOrTx,
  applicant: Principal,
  input: SubmitInput,
  opts: { signatureId: string; receivedAt?: Date },
): Promise<SubmitResult> {
  assertCan(applicant, 'expertise.apply');
  const v = submitSchema.parse(input);
  const receivedAt = opts.receivedAt ?? now();
  const cal = await loadWorkingCalendar(db);
  return db.transaction(async (tx) => {
    if (v.idempotencyKey) {
      const [seen] = await tx.select().from(applications).where(eq(applications.idempotencyKey, v.idempotencyKey));
      if (seen && seen.id !== v.applicationId) throw new AppError('conflict', 'This idempotency key was used for another application.');
    }
    const app = await lockApplication(tx, v.applicationId);
    assertApplicant(applicant, app);
    if (app.status !== 'draft') {
      if (!app.receiptId) throw new AppError('conflict', 'The application is not a draft.');
      return { application: app, receipt: await receiptOf(tx, app), duplicate: true };
    }
    const fields = submitFieldsSchema.safeParse({
      objectName: app.objectName ?? undefined,
      region: app.region ?? undefined,
      address: app.address ?? undefined,
      category: app.category ?? undefined,
      workKind: app.workKind ?? undefined,
      financingSource: app.financingSource ?? undefined,
      expertOrgId: app.expertOrgId ?? undefined,
    });
    if (!fields.success) throw new AppError('validation_failed', 'Some fields of the application are missing.', fieldErrorsFromZod(fields.error));
    const f = fields.data;

    // E-19: the chosen participant must be an accredited, unblocked, active expert organisation.
    const [org] = await tx
      .select({ settings: expertOrgSettings, status: organisations.status, name: organisations.name })
      .from(expertOrgSettings)
      .innerJoin(organisations, eq(organisations.id, expertOrgSettings.orgId))
      .where(eq(expertOrgSettings.orgId, f.expertOrgId));
    if (!org || !org.settings.accredited || org.settings.blocked || org.status !== 'active') {
      throw new AppError('validation_failed', 'The chosen expert organisation is not accredited or is blocked; choose another one (E-19).', {
        expertOrgId: 'not available',
      });
    }
    const config = await getDeadlineConfig(tx, f.category);
    await requireSignature(tx, applicant, opts.signatureId);

    const docs = await tx
      .select({ id: applicationDocuments.id })
      .from(applicationDocuments)
      .where(and(eq(applicationDocuments.applicationId, app.id), isNotNull(applicationDocuments.certifiedSignatureId), isNull(applicationDocuments.annulledAt)));
    if (!docs.length) throw new AppError('validation_failed', 'Attach and certify at least one document.', { documents: 'required' });

    const reg = cal.registrationDate(receivedAt);
    const registeredAt = now();
    const receipt = await issueReceipt(tx, {
      system: NUMBER_SYSTEM,
      scope: f.expertOrgId,
      template: org.settings.numberTemplate,
      vars: { ORG: org.settings.orgCode },
      subject: `Application for expertise: ${f.objectName} (${docs.length} document(s))`,
      entityType: 'application',
      entityId: app.id,
      content: { applicationId: app.id, fields: f, documents: docs.map((d) => d.id).sort(), signatureId: opts.signatureId },
      receivedAt,
      recipientUserId: applicant.userId,
      details: { registrationDate: reg.date, expertOrg: org.name },
      actor: toAuditActor(applicant),
    });
    const [updated] = await tx
      .update(applications)
      .set({
        status: 'registered',
        number: receipt.number,
        idempotencyKey: v.idempotencyKey ?? null,
        submitSignatureId: opts.signatureId,
        receiptId: receipt.id,
        receivedAt,
        registrationDate: reg.date,
        registeredAt,
        registrationExplanation: reg.explanation,
      })
      .where(eq(applications.id, app.id))
      .returning();
    // Draft documents are registered with the application.
    await tx
      .update(applicationDocuments)
      .set({ registeredOn: reg.date, registeredAt: receivedAt })
      .where(and(eq(applicationDocuments.applicationId, app.id), isNull(applicationDocuments.registeredOn)));
    await addEvent(tx, app.id, receivedAt, 'applicant', applicant.userId, 'submitted', { signatureId: opts.signatureId });
    await addEvent(tx, app.id, registeredAt, 'system', null, 'registered', {
      number: receipt.number,
      registrationDate: reg.date,
      case: reg.case,
      explanation: reg.explanation,
      receiptId: receipt.id,
    });
    // X-10/E-18: the receipt goes to the cabinet and, through the outbox, by e-mail (once: keyed by the receipt).
    await notifyApplicant(
      tx,
      updated,
      'expertise.receipt',
      {
        number: receipt.number,
        object: f.objectName,
        registrationDate: formatIsoDate(reg.date),
        receivedAt: formatReceiptDate(receivedAt),
        org: org.name,
        sha256: receipt.sha256,
      },
      { email: true, idempotencyKey: `expertise.receipt:${receipt.id}` },
    );
    // E-44: the completeness check runs from the registration date.
    await setDeadline(tx, cal, app.id, config, 'completeness', astanaMidnight(reg.date));
    await appendAudit(tx, {
      actor: toAuditActor(applicant),
      action: 'expertise.application.submit',
      entityType: 'application',
      entityId: app.id,
      signatureId: opts.signatureId,
      before: { status: 'draft' },
      after: { status: 'registered', number: receipt.number, registrationDate: reg.date, receivedAt, expertOrgId: f.expertOrgId },
    });
    return { application: updated, receipt, duplicate: false };
  });
}
