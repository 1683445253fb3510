import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, incidentExtensions, incidents, incidentTimers, mailOutbox, notifications, partnerApiKeys, users } from '@/db/schema';
import { calendarSeeder } from '@/db/seed/calendar';
import { incidentsSeeder } from '@/db/seed/incidents';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { getDeadline, submitApplication } from '@/lib/expertise';
import { makeConfig, makeDraft, makeExpertOrg, makeOrg, makeSig, makeUser } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import {
  addWindow,
  answerInfo,
  applyExtensions,
  bannerIncidents,
  confirmIncident,
  fixIncident,
  getIncidentView,
  getPlanView,
  listIncidents,
  notifyMaintenance,
  publishPlan,
  recordIncident,
  refuteIncident,
  registerDueReports,
  registerIncident,
  reportIncident,
  requestInfo,
  transferToLawEnforcement,
  upcomingWindows,
  watchTimers,
} from './index';
import { reportSchema, windowSchema } from './schemas';

const t = useTestDb();
const at = (date: string, time: string) => astanaInstant(date, time);

let operator: Principal;
let reporter: Principal;
let applicant: Principal;
let expertOrg: { orgId: string; expert: Principal };

beforeAll(async () => {
  await calendarSeeder.run(t.db);
  await makeConfig(t.db, 'cat_working', 'working', { completeness: 5 });
  expertOrg = await makeExpertOrg(t.db, 'IEX');
  operator = await makeUser(t.db, ['operator']);
  reporter = await makeUser(t.db, ['applicant']);
  applicant = await makeUser(t.db, ['applicant']);
  await t.db.update(users).set({ email: 'reporter@example.kz' }).where(eq(users.id, reporter.userId));
  await t.db.update(users).set({ email: 'operator@example.kz' }).where(eq(users.id, operator.userId));
});
afterEach(() => setClock(null));

async function expectAppError(p: Promise<unknown>, code: string): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

function reportInput(over: Record<string, unknown> = {}) {
  return reportSchema.parse({
    component: 'expertise',
    detectedDate: '2026-11-25',
    detectedTime: '10:00',
    description: 'The application form does not save the documents.',
    fullName: 'Aigerim Test',
    idNumber: '900715401234',
    email: 'reporter@example.kz',
    ...over,
  });
}

async function report(receivedAt: Date, over: Record<string, unknown> = {}) {
  setClock(receivedAt);
  return (await t.db.transaction((tx) => reportIncident(tx, reporter, reportInput(over)))).incident;
}

async function registered(receivedAt: Date, over: Record<string, unknown> = {}) {
  const inc = await report(receivedAt, over);
  return t.db.transaction((tx) => registerIncident(tx, operator, inc.id));
}

async function submitted(receivedAt: Date) {
  setClock(receivedAt);
  const { draft } = await makeDraft(t.db, applicant, expertOrg.orgId);
  const r = await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant), receivedAt });
  return r.application;
}

async function timer(incidentId: string, kind: string) {
  const [row] = await t.db.select().from(incidentTimers).where(and(eq(incidentTimers.incidentId, incidentId), eq(incidentTimers.kind, kind as 'analysis')));
  return row;
}

describe('reports and registration (I-3, I-4, I-5)', () => {
  it('I-4 a report during lunch is registered after 14:00 (30 min after lunch at the latest), with a unique ID e-mailed (I-5)', async () => {
    const inc = await report(at('2026-11-25', '12:45'));
    expect(inc.status).toBe('received');
    expect((await timer(inc.id, 'registration')).dueAt.toISOString()).toBe(at('2026-11-25', '14:30').toISOString());
    expect(await registerDueReports(t.db, at('2026-11-25', '13:59'))).toBe(0);
    setClock(at('2026-11-25', '14:01'));
    expect(await registerDueReports(t.db, at('2026-11-25', '14:01'))).toBe(1);
    const [row] = await t.db.select().from(incidents).where(eq(incidents.id, inc.id));
    expect(row.status).toBe('registered');
    expect(row.number).toMatch(/^INC-2026-\d{6}$/);
    expect((await timer(inc.id, 'registration')).metAt).not.toBeNull();
    const idMail = await timer(inc.id, 'id_email');
    expect(idMail.metAt?.toISOString()).toBe(at('2026-11-25', '14:01').toISOString());
    const mails = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'reporter@example.kz'));
    expect(mails.some((m) => m.subject.includes(row.number!))).toBe(true);
  });

  it('I-4 after hours: registered on the next working day (Friday evening → Monday 09:00, due 09:30)', async () => {
    const inc = await report(at('2026-11-27', '19:10'), { detectedDate: '2026-11-27', detectedTime: '19:00' });
    expect((await timer(inc.id, 'registration')).dueAt.toISOString()).toBe(at('2026-11-30', '09:30').toISOString());
    expect(await registerDueReports(t.db, at('2026-11-28', '10:00'))).toBe(0);
    expect(await registerDueReports(t.db, at('2026-11-30', '08:59'))).toBe(0);
    setClock(at('2026-11-30', '09:00'));
    expect(await registerDueReports(t.db, at('2026-11-30', '09:00'))).toBe(1);
    const [row] = await t.db.select().from(incidents).where(eq(incidents.id, inc.id));
    expect(row.registeredAt?.toISOString()).toBe(at('2026-11-30', '09:00').toISOString());
  });

  it('I-3 the same report sent twice (idempotency key) is recognised; a future detection time is refused', async () => {
    const a = await report(at('2026-11-25', '10:05'), { idempotencyKey: 'report-key-1' });
    setClock(at('2026-11-25', '10:06'));
    const again = await t.db.transaction((tx) => reportIncident(tx, reporter, reportInput({ idempotencyKey: 'report-key-1' })));
    expect(again.duplicate).toBe(true);
    expect(again.incident.id).toBe(a.id);
    const e = await expectAppError(t.db.transaction((tx) => reportIncident(tx, reporter, reportInput({ detectedTime: '11:00' }))), 'validation_failed');
    expect(e.fields?.detectedTime).toBe('incidents.in_future');
  });

  it('I-3 the report form needs a name, a contact and a 12-digit BIN/IIN', () => {
    const r = reportSchema.safeParse({ component: 'expertise', detectedDate: '2026-11-25', detectedTime: '10:00', description: 'Something broke badly', idNumber: '123' });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    expect(paths).toEqual(expect.arrayContaining(['idNumber:incidents.id_number', 'fullName:incidents.name_required', 'email:incidents.contact_required']));
  });

  it('I-2 / I-19 the operator records a phone report for a person without an account; the ID goes by e-mail', async () => {
    setClock(at('2026-11-25', '15:00'));
    const { incident } = await t.db.transaction((tx) =>
      recordIncident(tx, operator, {
        ...reportInput({ email: 'outsider@example.kz' }),
        source: 'user_report',
        channel: 'phone',
      } as never),
    );
    expect(incident.channel).toBe('phone');
    await t.db.transaction((tx) => registerIncident(tx, operator, incident.id));
    const mails = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'outsider@example.kz'));
    expect(mails).toHaveLength(1);
  });
});

describe('analysis (I-6, I-7, I-8, I-14)', () => {
  it('I-7 without an answer within 2 hours the report is closed and the user told; an answer in time resumes the analysis (I-6)', async () => {
    const inc = await registered(at('2026-11-25', '10:10'));
    setClock(at('2026-11-25', '10:30'));
    await t.db.transaction((tx) => requestInfo(tx, operator, { id: inc.id, question: 'Which browser do you use?' }));
    expect((await watchTimers(t.db, at('2026-11-25', '12:29'))).closed).toBe(0);
    setClock(at('2026-11-25', '12:31'));
    expect((await watchTimers(t.db, at('2026-11-25', '12:31'))).closed).toBe(1);
    const [row] = await t.db.select().from(incidents).where(eq(incidents.id, inc.id));
    expect(row.status).toBe('closed');
    expect(row.closeReason).toBe('no_info');
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.userId, reporter.userId), eq(notifications.kind, 'incident.closed_no_info')));
    expect(notes.filter((n) => n.entityId === inc.id)).toHaveLength(1);
    // a late answer is refused
    await expectAppError(t.db.transaction((tx) => answerInfo(tx, reporter, { id: inc.id, answer: 'Firefox' })), 'conflict');

    const other = await registered(at('2026-11-25', '10:40'));
    setClock(at('2026-11-25', '11:00'));
    await t.db.transaction((tx) => requestInfo(tx, operator, { id: other.id, question: 'Which browser do you use?' }));
    setClock(at('2026-11-25', '12:00'));
    const answered = await t.db.transaction((tx) => answerInfo(tx, reporter, { id: other.id, answer: 'Chromium 130' }));
    expect(answered.status).toBe('registered');
    // analysis restarts from the answer: 12:00 + 2 working hours = 12:30 + lunch + 15:30
    expect((await timer(other.id, 'analysis')).dueAt.toISOString()).toBe(at('2026-11-25', '15:30').toISOString());
    expect((await watchTimers(t.db, at('2026-11-25', '14:30'))).closed).toBe(0);
  });

  it('I-6 an overdue analysis is marked once and the operators are notified once', async () => {
    const inc = await registered(at('2026-11-26', '09:05'));
    const due = (await timer(inc.id, 'analysis')).dueAt;
    expect(due.toISOString()).toBe(at('2026-11-26', '11:05').toISOString());
    setClock(at('2026-11-26', '11:06'));
    await watchTimers(t.db, at('2026-11-26', '11:06'));
    await watchTimers(t.db, at('2026-11-26', '11:07'));
    expect((await timer(inc.id, 'analysis')).overdueAt).not.toBeNull();
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.userId, operator.userId), eq(notifications.kind, 'incident.overdue'), eq(notifications.entityId, inc.id)));
    expect(notes).toHaveLength(1);
    expect((await listIncidents(t.db, { overdue: true }, at('2026-11-26', '11:07'))).some((i) => i.id === inc.id)).toBe(true);
  });

  it('I-8 a refuted failure: the user is notified at once with the evidence; I-1 the cause class is kept', async () => {
    const inc = await registered(at('2026-11-26', '10:00'));
    setClock(at('2026-11-26', '10:20'));
    const row = await t.db.transaction((tx) => refuteIncident(tx, operator, { id: inc.id, evidence: 'The logs show the upload finished at 10:01.', cause: 'user_software_limits' }));
    expect(row.status).toBe('refuted');
    expect(row.operatorCaused).toBe(false);
    expect((await timer(inc.id, 'refute_notice')).metAt?.toISOString()).toBe(at('2026-11-26', '10:20').toISOString());
    const [n] = await t.db.select().from(notifications).where(and(eq(notifications.kind, 'incident.refuted'), eq(notifications.entityId, inc.id)));
    expect(n.body).toContain('upload finished at 10:01');
  });

  it('I-14 the transfer to law enforcement is recorded once and audited', async () => {
    const inc = await registered(at('2026-11-26', '10:30'));
    await t.db.transaction((tx) => transferToLawEnforcement(tx, operator, { id: inc.id, body: 'Police of Astana', reference: 'No. 15/2026' }));
    await expectAppError(t.db.transaction((tx) => transferToLawEnforcement(tx, operator, { id: inc.id, body: 'Police', reference: 'again' })), 'duplicate');
    const rows = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'incident.law_enforcement'), eq(auditLog.entityId, inc.id)));
    expect(rows).toHaveLength(1);
  });
});

describe('extensions (I-11, I-12)', () => {
  it('I-12 a high failure extends exactly the applications whose deadlines overlapped the failure, once; a longer actual failure tops up', async () => {
    const before = await submitted(at('2026-11-10', '10:00')); // completeness due 17 Nov: ended before the failure
    const during = await submitted(at('2026-11-23', '10:00')); // completeness due 30 Nov: overlaps
    const afterApp = await submitted(at('2026-11-27', '10:00')); // starts after the failure
    const dBefore = (await getDeadline(t.db, before.id, 'completeness'))!;
    const dDuring = (await getDeadline(t.db, during.id, 'completeness'))!;
    const dAfter = (await getDeadline(t.db, afterApp.id, 'completeness'))!;
    expect(dDuring.dueDate).toBe('2026-11-30');

    const inc = await registered(at('2026-11-25', '10:30'));
    setClock(at('2026-11-25', '11:00'));
    await t.db.transaction((tx) =>
      confirmIncident(tx, operator, { id: inc.id, criticality: 'high', startedDate: '2026-11-25', startedTime: '10:00', plannedFixDate: '2026-11-25', plannedFixTime: '13:00' }),
    );
    // I-12 the banner shows it at once (its timer met at confirmation)
    expect((await bannerIncidents(t.db, at('2026-11-25', '11:01'))).map((b) => b.id)).toContain(inc.id);
    expect((await timer(inc.id, 'banner')).metAt).not.toBeNull();

    const view = await getIncidentView(t.db, inc.id);
    expect(view.preview?.rule).toBe('I-12');
    expect(view.preview?.targets.map((x) => x.applicationId)).toEqual([during.id]);

    await t.db.transaction((tx) => applyExtensions(tx, operator, inc.id));
    await t.db.transaction((tx) => applyExtensions(tx, operator, inc.id)); // never twice
    const d1 = (await getDeadline(t.db, during.id, 'completeness'))!;
    expect(d1.dueDate).toBe('2026-12-01');
    expect(d1.extensions).toHaveLength(1);
    expect((await getDeadline(t.db, before.id, 'completeness'))!.dueAt.toISOString()).toBe(dBefore.dueAt.toISOString());
    expect((await getDeadline(t.db, afterApp.id, 'completeness'))!.dueAt.toISOString()).toBe(dAfter.dueAt.toISOString());

    // fixed a day later than planned: 24 h 1 min → 2 days in total, the difference only
    setClock(at('2026-11-26', '10:30'));
    await t.db.transaction((tx) => fixIncident(tx, operator, { id: inc.id, fixedDate: '2026-11-26', fixedTime: '10:01', note: 'The storage node was replaced.' }));
    await t.db.transaction((tx) => applyExtensions(tx, operator, inc.id));
    await t.db.transaction((tx) => applyExtensions(tx, operator, inc.id));
    const d2 = (await getDeadline(t.db, during.id, 'completeness'))!;
    expect(d2.dueDate).toBe('2026-12-02');
    expect(d2.extensions).toHaveLength(2);
    const ext = await t.db.select().from(incidentExtensions).where(eq(incidentExtensions.incidentId, inc.id));
    expect(ext.reduce((s, e) => s + e.days, 0)).toBe(2);
    expect(new Set(ext.map((e) => e.applicationId))).toEqual(new Set([during.id]));
    // the banner now says fixed (with the actual time) for three days
    const b = (await bannerIncidents(t.db, at('2026-11-27', '10:00'))).find((x) => x.id === inc.id);
    expect(b?.fixedAt?.toISOString()).toBe(at('2026-11-26', '10:01').toISOString());
    expect(await bannerIncidents(t.db, at('2026-11-30', '10:02'))).toEqual([]);
  });

  it('I-11 a medium failure extends only the affected application and notifies its participants (applicant and experts)', async () => {
    const app = await submitted(at('2026-11-24', '10:00'));
    const other = await submitted(at('2026-11-24', '11:00'));
    const dOther = (await getDeadline(t.db, other.id, 'completeness'))!;
    const inc = await registered(at('2026-11-25', '15:00'), { detectedTime: '14:50' });
    setClock(at('2026-11-25', '15:30'));
    await expectAppError(
      t.db.transaction((tx) => confirmIncident(tx, operator, { id: inc.id, criticality: 'medium', plannedFixDate: '2026-11-25', plannedFixTime: '17:00' })),
      'validation_failed',
    );
    await t.db.transaction((tx) =>
      confirmIncident(tx, operator, { id: inc.id, criticality: 'medium', plannedFixDate: '2026-11-25', plannedFixTime: '17:00', applicationNumber: app.number! }),
    );
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.kind, 'incident.participants'), eq(notifications.entityId, inc.id)));
    expect(new Set(notes.map((n) => n.userId))).toEqual(new Set([applicant.userId, expertOrg.expert.userId]));
    expect((await timer(inc.id, 'participants_notice')).metAt).not.toBeNull();
    const done = await t.db.transaction((tx) => applyExtensions(tx, operator, inc.id));
    expect(done.map((d) => d.applicationId)).toEqual([app.id]);
    expect((await getDeadline(t.db, app.id, 'completeness'))!.extensions).toHaveLength(1);
    expect((await getDeadline(t.db, other.id, 'completeness'))!.dueAt.toISOString()).toBe(dOther.dueAt.toISOString());
  });

  it('I-10 a low failure extends nothing', async () => {
    const inc = await registered(at('2026-11-26', '15:00'), { detectedDate: '2026-11-26', detectedTime: '14:55' });
    setClock(at('2026-11-26', '15:10'));
    await t.db.transaction((tx) => confirmIncident(tx, operator, { id: inc.id, criticality: 'low', plannedFixDate: '2026-11-27', plannedFixTime: '10:00' }));
    await expectAppError(t.db.transaction((tx) => applyExtensions(tx, operator, inc.id)), 'conflict');
    expect((await timer(inc.id, 'confirm_notice')).rule).toBe('I-10');
  });
});

describe('maintenance (I-17, I-18)', () => {
  it('I-17 the plan published in the first ten days of January is on time; I-18 a window needs 2 days’ notice and a reason outside the default hours', async () => {
    setClock(at('2027-01-08', '10:00'));
    const plan = await t.db.transaction((tx) => publishPlan(tx, operator, { year: 2027, note: 'Yearly plan' }));
    expect(plan.check.onTime).toBe(true);
    expect((await getPlanView(t.db, 2027)).check.onTime).toBe(true);

    const w = (over: Record<string, unknown>) =>
      windowSchema.parse({ year: 2027, component: 'portal', startsDate: '2027-01-13', startsTime: '21:00', endsDate: '2027-01-14', endsTime: '05:00', description: 'Database upgrade', ...over });
    const short = await expectAppError(t.db.transaction((tx) => addWindow(tx, operator, w({ startsDate: '2027-01-09' }))), 'validation_failed');
    expect(short.fields?.startsDate).toBe('incidents.notice_too_short');
    const day = await expectAppError(t.db.transaction((tx) => addWindow(tx, operator, w({ startsTime: '14:00', endsDate: '2027-01-13', endsTime: '16:00' }))), 'validation_failed');
    expect(day.fields?.reason).toBe('incidents.reason_required');
    const ok = await t.db.transaction((tx) => addWindow(tx, operator, w({})));
    expect(ok.check.withinDefault).toBe(true);
    const reasoned = await t.db.transaction((tx) => addWindow(tx, operator, w({ startsTime: '14:00', endsDate: '2027-01-13', endsTime: '16:00', reason: 'Urgent security patch' })));
    expect(reasoned.outsideDefaultReason).toBe('Urgent security patch');
    expect(reasoned.unplanned).toBe(true);
  });

  it('I-18 the owners of integrated systems (partner API key holders) are notified once, 2+ days before; the banner shows upcoming works', async () => {
    const orgId = await makeOrg(t.db, 'Expert IS owner');
    const owner = await makeUser(t.db, ['employee'], orgId);
    await t.db.insert(partnerApiKeys).values({ orgId, kind: 'expert_is', name: 'IS', prefix: 'pk_test1', keyHash: 'h'.repeat(64) });
    setClock(at('2027-02-01', '10:00'));
    await t.db.transaction((tx) =>
      addWindow(tx, operator, windowSchema.parse({ year: 2027, component: 'partner_api', startsDate: '2027-02-06', startsTime: '09:00', endsDate: '2027-02-06', endsTime: '15:00', description: 'API gateway upgrade' })),
    );
    expect((await notifyMaintenance(t.db, at('2027-02-01', '10:00'))).windows).toBe(0); // more than 3 days ahead
    setClock(at('2027-02-03', '10:00'));
    const r = await notifyMaintenance(t.db, at('2027-02-03', '10:00'));
    expect(r.windows).toBe(1);
    await notifyMaintenance(t.db, at('2027-02-03', '10:10'));
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.userId, owner.userId), eq(notifications.kind, 'maintenance.notice')));
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain('06.02.2027');
    expect((await upcomingWindows(t.db, at('2027-02-03', '10:00'))).map((x) => x.description)).toContain('API gateway upgrade');
  });

  it('I-17 the demo seed publishes this year’s plan on time with windows in the default hours (idempotent)', async () => {
    setClock(at('2028-03-01', '10:00'));
    await incidentsSeeder.run(t.db);
    await incidentsSeeder.run(t.db);
    const view = await getPlanView(t.db, 2028);
    expect(view.check.onTime).toBe(true);
    expect(view.windows).toHaveLength(2);
    expect(view.windows.every((w) => w.check.withinDefault)).toBe(true);
  });
});
