import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applicationDocuments, applicationEvents, applications, auditLog, conclusionOutcomes, receipts, remarks } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { registeredPeriodics } from '@/lib/jobs/queue';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from '@/lib/time/astana';
import { WorkingCalendar } from '@/lib/time/calendar';
import { setClock } from '@/lib/time/clock';
import { deadlineSources, previewCalendarChange } from '@/lib/time/deadline';
import {
  archiveExpiredApplications,
  confirmPayment,
  extendApplicationDeadlines,
  getApplicationForApplicant,
  getApplicationForExpert,
  getDeadline,
  issueExpertDocument,
  issueRemarks,
  listApplicationsForApplicant,
  listDocumentHistory,
  listQueueForExpertOrg,
  recordCompleteness,
  reviseExpertDocument,
  runCompletenessDeadlines,
  signConclusion,
  submitApplication,
  submitDocumentVersion,
} from './index';
import './jobs';
import { makeConfig, makeDraft, makeExpertOrg, makeOrg, makeSig, makeUser, sha } from './test-fixtures';

const t = useTestDb();
const at = (date: string, time: string) => astanaInstant(date, time);

let orgA: { orgId: string; expert: Principal };
let orgB: { orgId: string; expert: Principal };
let applicant: Principal;

beforeAll(async () => {
  await makeConfig(t.db, 'cat_working', 'working', { completeness: 5, remarks: 10, remedy: 5, conclusion: 30 });
  await makeConfig(t.db, 'cat_calendar', 'calendar', { completeness: 10, remarks: 10, remedy: 5, conclusion: 30 });
  orgA = await makeExpertOrg(t.db, 'AEX');
  orgB = await makeExpertOrg(t.db, 'BEX');
  applicant = await makeUser(t.db, ['applicant']);
});

afterEach(() => setClock(null));

async function expectAppError(p: Promise<unknown>, code: string, message?: RegExp): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  if (message) expect((e as AppError).message).toMatch(message);
  return e as AppError;
}

/** A registered application of `who` at `receivedAt`. */
async function submitted(receivedAt: Date, who: Principal = applicant, org = orgA, over: Parameters<typeof makeDraft>[3] = {}) {
  setClock(receivedAt);
  const { draft } = await makeDraft(t.db, who, org.orgId, over);
  return submitApplication(t.db, who, { applicationId: draft.id }, { signatureId: await makeSig(t.db, who), receivedAt });
}

describe('registration', () => {
  it('E-18 registration date from submission time: before 14:00, from 14:00, on a weekend', async () => {
    const a = await submitted(at('2026-06-01', '13:59'));
    expect(a.application.registrationDate).toBe('2026-06-01');
    const b = await submitted(at('2026-06-01', '14:05'));
    expect(b.application.registrationDate).toBe('2026-06-02');
    const c = await submitted(at('2026-06-06', '10:00')); // Saturday
    expect(c.application.registrationDate).toBe('2026-06-08');
    expect(c.application.status).toBe('registered');
    // the draft's documents are registered with the application
    const docs = await t.db.select().from(applicationDocuments).where(eq(applicationDocuments.applicationId, c.application.id));
    expect(docs.every((d) => d.registeredOn === '2026-06-08')).toBe(true);
  });

  it('E-19 a blocked or unaccredited expert organisation is refused', async () => {
    const blocked = await makeExpertOrg(t.db, 'BLK', { blocked: true });
    const unaccredited = await makeExpertOrg(t.db, 'UNA', { accredited: false });
    for (const org of [blocked, unaccredited]) {
      const { draft } = await makeDraft(t.db, applicant, org.orgId);
      const e = await expectAppError(
        submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant) }),
        'validation_failed',
        /E-19/,
      );
      expect(e.fields?.expertOrgId).toBeDefined();
      const [row] = await t.db.select().from(applications).where(eq(applications.id, draft.id));
      expect(row.status).toBe('draft');
      expect(row.number).toBeNull();
    }
  });

  it('X-10 numbers are gapless per organisation and year, and a receipt is issued', async () => {
    const org = await makeExpertOrg(t.db, 'NUM');
    const other = await makeExpertOrg(t.db, 'OTH');
    const blocked = await makeExpertOrg(t.db, 'NBL', { blocked: true });
    const n1 = await submitted(at('2026-06-02', '09:00'), applicant, org);
    // a refused submission in between consumes no number
    const { draft: refused } = await makeDraft(t.db, applicant, blocked.orgId);
    await expect(submitApplication(t.db, applicant, { applicationId: refused.id }, { signatureId: await makeSig(t.db, applicant) })).rejects.toThrow();
    const o1 = await submitted(at('2026-06-02', '09:30'), applicant, other);
    const n2 = await submitted(at('2026-06-02', '10:00'), applicant, org);
    const n3 = await submitted(at('2027-01-05', '10:00'), applicant, org);
    expect([n1, n2, n3, o1].map((r) => r.application.number)).toEqual(['NUM-2026-00001', 'NUM-2026-00002', 'NUM-2027-00001', 'OTH-2026-00001']);
    const [receipt] = await t.db.select().from(receipts).where(eq(receipts.entityId, n2.application.id));
    expect(receipt.number).toBe('NUM-2026-00002');
    expect(receipt.recipientUserId).toBe(applicant.userId);
    expect(n2.application.receiptId).toBe(receipt.id);
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'expertise.application.submit'), eq(auditLog.entityId, n2.application.id)));
    expect(audit).toHaveLength(1);
  });

  it('X-10 a duplicate submission is recognised and not applied twice', async () => {
    const org = await makeExpertOrg(t.db, 'DUP');
    setClock(at('2026-06-03', '09:00'));
    const { draft } = await makeDraft(t.db, applicant, org.orgId);
    const sig = await makeSig(t.db, applicant);
    const first = await submitApplication(t.db, applicant, { applicationId: draft.id, idempotencyKey: 'key-000001' }, { signatureId: sig });
    const again = await submitApplication(t.db, applicant, { applicationId: draft.id, idempotencyKey: 'key-000001' }, { signatureId: sig });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.application.number).toBe(first.application.number);
    expect(again.receipt.id).toBe(first.receipt.id);
    // the same key for another draft is refused
    const { draft: other } = await makeDraft(t.db, applicant, org.orgId);
    await expectAppError(submitApplication(t.db, applicant, { applicationId: other.id, idempotencyKey: 'key-000001' }, { signatureId: sig }), 'conflict');
    const next = await submitApplication(t.db, applicant, { applicationId: other.id }, { signatureId: sig });
    expect(next.application.number).toBe('DUP-2026-00002');
    const events = await t.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, draft.id), eq(applicationEvents.kind, 'registered')));
    expect(events).toHaveLength(1);
  });
});

describe('deadlines', () => {
  it('E-44 deadlines are computed per category config with explanations: working vs calendar days', async () => {
    const w = await submitted(at('2026-06-01', '10:00'), applicant, orgA, { category: 'cat_working' });
    const c = await submitted(at('2026-06-01', '10:00'), applicant, orgA, { category: 'cat_calendar' });
    const dw = (await getDeadline(t.db, w.application.id, 'completeness'))!;
    const dc = (await getDeadline(t.db, c.application.id, 'completeness'))!;
    expect(dw.dueDate).toBe('2026-06-08'); // 5 working days after Mon 1 June, over the weekend
    expect(dw.unit).toBe('working_days');
    expect((dw.explanation as { rule: string; skipped?: { date: string }[] }).rule).toBe('E-44');
    expect((dw.explanation as { skipped?: { date: string }[] }).skipped?.map((s) => s.date)).toEqual(['2026-06-06', '2026-06-07']);
    expect(dc.dueDate).toBe('2026-06-11'); // 10 calendar days
    expect(dc.unit).toBe('calendar_days');
    expect(dw.dueAt.toISOString()).toBe('2026-06-08T18:59:59.999Z'); // 23:59:59.999 Astana
  });

  it('E-44 deadlines take extensions and are a deadline source for calendar changes', async () => {
    const w = await submitted(at('2026-06-01', '10:00'));
    const [ext] = await extendApplicationDeadlines(t.db, w.application.id, { by: 2, unit: 'working_days', reason: 'portal unavailable', ref: 'INC-1' });
    expect(ext.dueDate).toBe('2026-06-10');
    expect(ext.extensions).toEqual([{ by: 2, unit: 'working_days', reason: 'portal unavailable', ref: 'INC-1' }]);
    expect(deadlineSources().map((s) => s.name)).toContain('expertise');
    const moves = await previewCalendarChange(t.db, WorkingCalendar.empty(), new WorkingCalendar([{ date: '2026-06-09', kind: 'holiday', name: 'Test holiday' }]));
    const mine = moves.find((m) => m.id === `${w.application.id}:completeness`);
    expect(mine?.to.dueDate).toBe('2026-06-11');
  });
});

describe('completeness', () => {
  it('E-45 automatic positive result when the deadline passes, then the service AND the database refuse a change', async () => {
    expect(registeredPeriodics().map((p) => p.name)).toContain('expertise.completeness');
    const a = await submitted(at('2026-06-01', '10:00')); // completeness due 2026-06-08
    const manual = await submitted(at('2026-06-01', '10:00'));
    setClock(at('2026-06-08', '23:00'));
    await recordCompleteness(t.db, orgA.expert, manual.application.id, { result: 'negative', remarks: 'section AR missing' });
    expect((await runCompletenessDeadlines(t.db)).autoPositive).toBe(0); // not yet due
    setClock(at('2026-06-09', '00:01'));
    await runCompletenessDeadlines(t.db);
    const [row] = await t.db.select().from(applications).where(eq(applications.id, a.application.id));
    expect(row).toMatchObject({ completenessResult: 'positive', completenessAuto: true, completenessLocked: true, status: 'in_review' });
    expect((await getDeadline(t.db, a.application.id, 'remarks'))?.status).toBe('open');
    const [m] = await t.db.select().from(applications).where(eq(applications.id, manual.application.id));
    expect(m).toMatchObject({ completenessResult: 'negative', completenessAuto: false, completenessLocked: true });
    await expectAppError(recordCompleteness(t.db, orgA.expert, a.application.id, { result: 'negative', remarks: 'late' }), 'locked', /E-45/);
    await expectAppError(recordCompleteness(t.db, orgA.expert, manual.application.id, { result: 'positive' }), 'locked');
    await expect(
      t.db.update(applications).set({ completenessResult: 'negative' }).where(eq(applications.id, a.application.id)),
    ).rejects.toThrow();
    await expect(t.db.update(applications).set({ completenessLocked: false }).where(eq(applications.id, a.application.id))).rejects.toThrow();
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'expertise.completeness.auto_positive'), eq(auditLog.entityId, a.application.id)));
    expect(audit).toHaveLength(1);
  });
});

/** A registered application with a positive completeness result recorded at `when`. */
async function inReview(when: Date) {
  const s = await submitted(when);
  await recordCompleteness(t.db, orgA.expert, s.application.id, { result: 'positive' });
  return s.application;
}

describe('remarks', () => {
  it('E-48 a second remarks document is refused with a clear message', async () => {
    const app = await inReview(at('2026-06-01', '10:00'));
    const r = await issueRemarks(t.db, orgA.expert, app.id, { text: 'Fix section KZh', signatureId: await makeSig(t.db, orgA.expert) });
    expect(r.applicationId).toBe(app.id);
    expect((await getDeadline(t.db, app.id, 'remedy'))?.status).toBe('open');
    // the applicant answers; the status returns to review, still no second remarks
    await submitDocumentVersion(t.db, applicant, app.id, { slot: 'feasibility_study', fileName: 'fs2.pdf', sha256: sha(), size: 10, signatureId: await makeSig(t.db, applicant) });
    await expectAppError(
      issueRemarks(t.db, orgA.expert, app.id, { text: 'More remarks', signatureId: await makeSig(t.db, orgA.expert) }),
      'conflict',
      /already issued on 01\.06\.2026/,
    );
    // and the database refuses a second row too
    await expect(t.db.insert(remarks).values({ applicationId: app.id, text: 'x', signatureId: r.signatureId, issuedAt: new Date(), registeredOn: '2026-06-01' })).rejects.toThrow();
  });

  it('E-48 remarks after the remarks deadline are refused', async () => {
    const app = await inReview(at('2026-06-01', '10:00')); // remarks: 10 working days from 1 June → 15 June
    expect((await getDeadline(t.db, app.id, 'remarks'))?.dueDate).toBe('2026-06-15');
    setClock(at('2026-06-16', '09:00'));
    await expectAppError(issueRemarks(t.db, orgA.expert, app.id, { text: 'Late', signatureId: await makeSig(t.db, orgA.expert) }), 'deadline_passed');
    expect(await t.db.select().from(remarks).where(eq(remarks.applicationId, app.id))).toHaveLength(0);
  });
});

describe('documents', () => {
  it('E-51 versions: the applicant is notified and the previous version annulled before the new one; history complete', async () => {
    const app = await inReview(at('2026-06-01', '10:00'));
    const v1 = await issueExpertDocument(t.db, orgA.expert, app.id, { slot: 'expert_opinion', fileName: 'op1.pdf', sha256: sha(), size: 5, signatureId: await makeSig(t.db, orgA.expert) });
    setClock(at('2026-06-02', '11:00'));
    const { annulled, document: v2 } = await reviseExpertDocument(t.db, orgA.expert, app.id, {
      previousDocumentId: v1.id,
      annulmentSignatureId: await makeSig(t.db, orgA.expert),
      reason: 'typo in the table',
      document: { fileName: 'op2.pdf', sha256: sha(), size: 6, signatureId: await makeSig(t.db, orgA.expert) },
    });
    expect(annulled.annulledAt).not.toBeNull();
    expect(annulled.annulmentSignatureId).not.toBeNull();
    expect(v2).toMatchObject({ version: 2, supersedesId: v1.id, slot: 'expert_opinion' });
    const events = await t.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app.id)).orderBy(applicationEvents.id);
    const kinds = events.map((e) => e.kind);
    const notified = kinds.lastIndexOf('applicant_notified');
    expect(notified).toBeGreaterThan(-1);
    expect(kinds.indexOf('document_annulled')).toBeGreaterThan(notified);
    expect(kinds.lastIndexOf('document_delivered')).toBeGreaterThan(kinds.indexOf('document_annulled'));
    const notes = await t.db.execute(sql`select kind from notifications where user_id = ${applicant.userId} and entity_id = ${app.id}`);
    expect([...notes].map((n) => (n as { kind: string }).kind)).toContain('expertise.document_changing');
    // the applicant answers on a Saturday: registered on Monday (E-18 during review)
    const sat = at('2026-06-06', '12:00');
    const a2 = await submitDocumentVersion(t.db, applicant, app.id, { slot: 'feasibility_study', fileName: 'fs-v2.pdf', sha256: sha(), size: 9, signatureId: await makeSig(t.db, applicant, sat) });
    expect(a2).toMatchObject({ version: 2, registeredOn: '2026-06-08' });
    const history = await listDocumentHistory(t.db, applicant, app.id);
    expect(history.map((d) => `${d.slot}:${d.version}`)).toEqual(['expert_opinion:1', 'expert_opinion:2', 'feasibility_study:1', 'feasibility_study:2']);
    // the applicant cannot annul or revise the expert's documents
    await expectAppError(
      reviseExpertDocument(t.db, applicant, app.id, { previousDocumentId: v2.id, annulmentSignatureId: await makeSig(t.db, applicant), reason: 'x', document: { fileName: 'a', sha256: sha(), size: 1, signatureId: await makeSig(t.db, applicant) } }),
      'not_found',
    );
  });

  it('X-5 certified documents cannot be updated or deleted (the database refuses)', async () => {
    const s = await submitted(at('2026-06-01', '10:00'));
    const [doc] = await t.db.select().from(applicationDocuments).where(eq(applicationDocuments.applicationId, s.application.id));
    await expect(t.db.update(applicationDocuments).set({ sha256: sha() }).where(eq(applicationDocuments.id, doc.id))).rejects.toThrow();
    await expect(t.db.update(applicationDocuments).set({ fileName: 'other.pdf' }).where(eq(applicationDocuments.id, doc.id))).rejects.toThrow();
    await expect(t.db.delete(applicationDocuments).where(eq(applicationDocuments.id, doc.id))).rejects.toThrow();
    await expect(t.db.execute(sql`truncate application_documents cascade`)).rejects.toThrow();
    // an annulment needs a signature, and is set once
    await expect(t.db.update(applicationDocuments).set({ annulledAt: new Date() }).where(eq(applicationDocuments.id, doc.id))).rejects.toThrow();
    const sig = await makeSig(t.db, applicant);
    await t.db.update(applicationDocuments).set({ annulledAt: new Date(), annulmentSignatureId: sig }).where(eq(applicationDocuments.id, doc.id));
    await expect(t.db.update(applicationDocuments).set({ annulledAt: new Date(Date.now() + 1000) }).where(eq(applicationDocuments.id, doc.id))).rejects.toThrow();
    const [after] = await t.db.select().from(applicationDocuments).where(eq(applicationDocuments.id, doc.id));
    expect(after.sha256).toBe(doc.sha256);
  });
});

describe('conclusion', () => {
  it('E-50 E-56 the conclusion is held until payment, released after; its signed outcome is recorded', async () => {
    const app = await inReview(at('2026-06-01', '10:00'));
    const doc = await issueExpertDocument(t.db, orgA.expert, app.id, { slot: 'conclusion', fileName: 'conclusion.pdf', sha256: sha(), size: 100, signatureId: await makeSig(t.db, orgA.expert) });
    // releasing before signing is refused
    await expectAppError(confirmPayment(t.db, orgA.expert, app.id, { basis: 'payment order 1' }), 'conflict');
    await signConclusion(t.db, orgA.expert, app.id, { documentId: doc.id, signatureId: await makeSig(t.db, orgA.expert), outcome: 'positive' });
    // E-56: the outcome the expert signed is recorded (the cadastre takes only positive conclusions).
    const [outcome] = await t.db.select().from(conclusionOutcomes).where(eq(conclusionOutcomes.applicationId, app.id));
    expect(outcome).toMatchObject({ outcome: 'positive', documentId: doc.id });
    const held = await getApplicationForApplicant(t.db, applicant, app.id);
    expect(held.conclusion).toMatchObject({ exists: true, held: true, reason: 'awaiting_payment', document: null });
    expect(held.documents.some((d) => d.slot === 'conclusion')).toBe(false);
    expect((await getApplicationForExpert(t.db, orgA.expert, app.id)).conclusion.document?.id).toBe(doc.id);
    // another organisation cannot confirm the payment
    await expectAppError(confirmPayment(t.db, orgB.expert, app.id, { basis: 'x' }), 'not_found');
    await confirmPayment(t.db, orgA.expert, app.id, { basis: 'payment order 1' });
    const released = await getApplicationForApplicant(t.db, applicant, app.id);
    expect(released.application.status).toBe('conclusion_released');
    expect(released.conclusion).toMatchObject({ exists: true, held: false, reason: null });
    expect(released.conclusion.document?.id).toBe(doc.id);
    expect(released.documents.some((d) => d.id === doc.id)).toBe(true);
  });
});

describe('retention', () => {
  it('E-23 X-6 applications are archived 3 years after registration, nothing is deleted', async () => {
    const s = await submitted(at('2026-06-01', '10:00'));
    await archiveExpiredApplications(t.db, at('2029-06-01', '12:00'));
    let [row] = await t.db.select().from(applications).where(eq(applications.id, s.application.id));
    expect(row.status).not.toBe('archived');
    const n = await archiveExpiredApplications(t.db, at('2029-06-02', '03:00'));
    expect(n).toBeGreaterThan(0);
    [row] = await t.db.select().from(applications).where(eq(applications.id, s.application.id));
    expect(row.status).toBe('archived');
    expect(row.archivedAt?.toISOString()).toBe(at('2029-06-02', '03:00').toISOString());
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'expertise.application.archive'), eq(auditLog.entityId, s.application.id)));
    expect(audit).toHaveLength(1);
    expect(await t.db.select().from(applicationDocuments).where(eq(applicationDocuments.applicationId, s.application.id))).toHaveLength(1);
    await expect(t.db.delete(applications).where(eq(applications.id, s.application.id))).rejects.toThrow();
  });
});

describe('access', () => {
  it("X-11 an applicant cannot read another's application; an expert org sees only its queue", async () => {
    const other = await makeUser(t.db, ['applicant']);
    const orgC = await makeExpertOrg(t.db, 'CEX');
    const orgD = await makeExpertOrg(t.db, 'DEX');
    const mine = await submitted(at('2026-06-01', '10:00'), other, orgC);
    await expectAppError(getApplicationForApplicant(t.db, applicant, mine.application.id), 'not_found');
    await expectAppError(getApplicationForExpert(t.db, orgD.expert, mine.application.id), 'not_found');
    expect((await getApplicationForApplicant(t.db, other, mine.application.id)).application.id).toBe(mine.application.id);
    const list = await listApplicationsForApplicant(t.db, applicant, { limit: 100 });
    expect(list.items.some((a) => a.id === mine.application.id)).toBe(false);
    expect((await listQueueForExpertOrg(t.db, orgD.expert)).items).toHaveLength(0);
    // a colleague of the same applicant organisation sees the organisation's applications
    const firm = await makeOrg(t.db, 'Builder LLP');
    const emp1 = await makeUser(t.db, ['applicant'], firm);
    const emp2 = await makeUser(t.db, ['applicant'], firm);
    const firmApp = await submitted(at('2026-06-02', '10:00'), emp1, orgC);
    expect((await getApplicationForApplicant(t.db, emp2, firmApp.application.id)).application.id).toBe(firmApp.application.id);
    // drafts are not in the expert's queue; pages are complete and without repeats
    await makeDraft(t.db, other, orgC.orgId);
    for (let i = 0; i < 4; i++) await submitted(at('2026-06-03', `1${i}:00`), other, orgC);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listQueueForExpertOrg>> = await listQueueForExpertOrg(t.db, orgC.expert, { limit: 2, cursor });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    const ownPages: string[] = [];
    cursor = null;
    do {
      const page: Awaited<ReturnType<typeof listApplicationsForApplicant>> = await listApplicationsForApplicant(t.db, other, { limit: 2, cursor });
      ownPages.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ownPages).toHaveLength(6); // 5 submitted + 1 draft
    expect(new Set(ownPages).size).toBe(6);
  });
});
