/**
 * Incidents (I-1..I-14, 003 §57–72): reports, registration with a unique ID, analysis, information requests,
 * refutation, confirmation with criticality, fix, extensions of application deadlines through the expertise
 * hook, and the transfer to law enforcement. Every state change runs in the caller's transaction with its
 * timeline event, SLA timers, notifications and audit row.
 */
import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import {
  applicationDeadlines,
  applications,
  incidentAttachments,
  incidentEvents,
  incidentExtensions,
  incidents,
  incidentTimers,
  INCIDENT_TIMER_KINDS,
  OPERATOR_CAUSES,
  userRoles,
  users,
  type INCIDENT_COMPONENTS,
} from '@/db/schema';
import { appendAudit, type AuditActor } from '@/lib/audit';
import { toAuditActor } from '@/lib/auth/policy';
import type { Principal } from '@/lib/auth/principal';
import { getOwnUpload } from '@/lib/documents/tus';
import { AppError } from '@/lib/errors';
import { extendApplicationDeadlines } from '@/lib/expertise/deadlines';
import { defaultLocale, type Locale } from '@/lib/i18n/config';
import { mailTo, notify, userLocale } from '@/lib/notify';
import { allocateNumber } from '@/lib/numbers';
import { DAY_MS, astanaInstant } from '@/lib/time/astana';
import { loadSupportCalendar } from '@/lib/time/calendar-store';
import { now } from '@/lib/time/clock';
import type { Explanation } from '@/lib/time/explain';
import { formatParams, incidentsTranslator } from './explain';
import type {
  answerInfoSchema,
  confirmSchema,
  fixSchema,
  lawEnforcementSchema,
  recordSchema,
  refuteSchema,
  reportSchema,
  requestInfoSchema,
} from './schemas';
import {
  analysisDue,
  bannerDue,
  confirmNoticeDue,
  failureExtension,
  forceMajeureExtension,
  idEmailDue,
  infoReplyDue,
  participantsNoticeDue,
  refuteNoticeDue,
  registrationDue,
  type Due,
  type ExtensionPlan,
} from './sla';
import type { z } from 'zod';

export type Incident = typeof incidents.$inferSelect;
export type IncidentTimer = typeof incidentTimers.$inferSelect;
export type IncidentEvent = typeof incidentEvents.$inferSelect;
export type TimerKind = (typeof INCIDENT_TIMER_KINDS)[number];
export type Component = (typeof INCIDENT_COMPONENTS)[number];

/** The support hours incidents are handled in (003 §59: the portal and the expert organisations' ISs). */
export const SUPPORT_SYSTEM = 'expertise';
/** I-5: the incident ID template (gapless per Astana year, lib/numbers). */
export const INCIDENT_NUMBER_TEMPLATE = 'INC-{YYYY}-{SEQ:6}';
/** Components whose failure stops the submission or review of applications (I-12 extends their deadlines). */
export const APPLICATION_COMPONENTS: readonly Component[] = ['portal', 'expertise', 'eds', 'documents'];

type Opts = { signatureId?: string | null; requestId?: string | null };

// ---- helpers -----------------------------------------------------------------------------------------------

async function lockIncident(tx: DbOrTx, id: string): Promise<Incident> {
  const [row] = await tx.select().from(incidents).where(eq(incidents.id, id)).for('update');
  if (!row) throw new AppError('not_found', 'No such incident.');
  return row;
}

async function addEvent(tx: DbOrTx, incidentId: string, at: Date, actorUserId: string | null, kind: string, data?: Record<string, unknown>, signatureId?: string | null) {
  await tx.insert(incidentEvents).values({ incidentId, at, actorUserId, kind, data: data ?? null, signatureId: signatureId ?? null });
}

async function setTimer(tx: DbOrTx, incidentId: string, kind: TimerKind, start: Date, d: Due, metAt: Date | null = null) {
  const values = { incidentId, kind, rule: d.explanation.rule, startAt: start, dueAt: d.due, explanation: d.explanation, metAt, overdueAt: null, cancelledAt: null };
  await tx.insert(incidentTimers).values(values).onConflictDoUpdate({ target: [incidentTimers.incidentId, incidentTimers.kind], set: values });
}

async function meetTimer(tx: DbOrTx, incidentId: string, kind: TimerKind, at: Date) {
  await tx
    .update(incidentTimers)
    .set({ metAt: at })
    .where(and(eq(incidentTimers.incidentId, incidentId), eq(incidentTimers.kind, kind), isNull(incidentTimers.metAt), isNull(incidentTimers.cancelledAt)));
}

async function cancelTimer(tx: DbOrTx, incidentId: string, kind: TimerKind, at: Date) {
  await tx
    .update(incidentTimers)
    .set({ cancelledAt: at })
    .where(and(eq(incidentTimers.incidentId, incidentId), eq(incidentTimers.kind, kind), isNull(incidentTimers.metAt), isNull(incidentTimers.cancelledAt)));
}

function actorOf(p: Principal | null): AuditActor | null {
  return p ? toAuditActor(p) : null;
}

function assertStatus(row: Incident, allowed: readonly Incident['status'][]) {
  if (!allowed.includes(row.status)) {
    throw new AppError('conflict', `The incident is ${row.status}; this step is not possible now.`, { status: `incidents.status_${row.status}` });
  }
}

function instant(date: string, time: string, field: string): Date {
  try {
    return astanaInstant(date, time);
  } catch {
    throw new AppError('validation_failed', 'Not a valid date and time.', { [field]: 'incidents.date' });
  }
}

async function applicationByNumber(tx: DbOrTx, number: string | undefined, field: string): Promise<string | null> {
  if (!number) return null;
  const [a] = await tx.select({ id: applications.id }).from(applications).where(eq(applications.number, number));
  if (!a) throw new AppError('validation_failed', 'No application has this number.', { [field]: 'incidents.application_unknown' });
  return a.id;
}

// ---- notifications -------------------------------------------------------------------------------------

export type NoticeKind = 'registered' | 'info_request' | 'closed_no_info' | 'refuted' | 'confirmed' | 'participants' | 'fixed' | 'overdue' | 'maintenance';

/** The title and body of a notice in `locale` (incidents.notify.<kind>). */
export function renderNotice(kind: NoticeKind, locale: Locale, params: Explanation['params']): { title: string; body: string } {
  const t = incidentsTranslator(locale);
  const p = formatParams(params, locale);
  if (typeof params.criticality === 'string') p.criticality = t(`criticality.${params.criticality}`);
  if (typeof params.component === 'string') p.component = t(`component.${params.component}`);
  return { title: t(`notify.${kind}.title`, p), body: t(`notify.${kind}.body`, p) };
}

/** A notice to the reporter: in the cabinet (and by e-mail) for a portal user, else by e-mail to the given address. */
async function noticeReporter(tx: DbOrTx, inc: Incident, kind: NoticeKind, params: Explanation['params'], key: string): Promise<boolean> {
  const full = { number: inc.number ?? '—', ...params };
  if (inc.reporterUserId) {
    const locale = await userLocale(tx, inc.reporterUserId);
    const { title, body } = renderNotice(kind, locale, full);
    await notify(tx, {
      userId: inc.reporterUserId,
      kind: `incident.${kind}`,
      title,
      body,
      link: '/support',
      entityType: 'incident',
      entityId: inc.id,
      email: true,
      idempotencyKey: `incident:${inc.id}:${key}`,
    });
    return true;
  }
  if (inc.reporterEmail) {
    const { title, body } = renderNotice(kind, defaultLocale, full);
    await mailTo(tx, { to: inc.reporterEmail, locale: defaultLocale, title, body, kind: `incident.${kind}`, idempotencyKey: `incident:${inc.id}:${key}` });
    return true;
  }
  return false;
}

/** The operators (for overdue timers and new reports). */
export async function operatorUserIds(tx: DbOrTx): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ id: users.id })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.role, 'operator'), isNull(userRoles.revokedAt), eq(users.status, 'active')));
  return rows.map((r) => r.id);
}

/** I-11: the participants of an application: the applicant and the expert organisation's experts. */
async function participantsOf(tx: DbOrTx, applicationId: string): Promise<string[]> {
  const [app] = await tx.select({ applicant: applications.applicantUserId, expertOrgId: applications.expertOrgId }).from(applications).where(eq(applications.id, applicationId));
  if (!app) return [];
  const ids = new Set<string>([app.applicant]);
  if (app.expertOrgId) {
    const experts = await tx
      .selectDistinct({ id: users.id })
      .from(userRoles)
      .innerJoin(users, eq(users.id, userRoles.userId))
      .where(and(eq(userRoles.orgId, app.expertOrgId), inArray(userRoles.role, ['expert', 'expert_head']), isNull(userRoles.revokedAt), eq(users.status, 'active')));
    for (const e of experts) ids.add(e.id);
  }
  return [...ids];
}

// ---- reports (I-2, I-3, I-4) ---------------------------------------------------------------------------------

type ReportData = z.output<typeof reportSchema>;
type RecordData = z.output<typeof recordSchema>;

async function createIncident(
  tx: DbOrTx,
  actor: Principal | null,
  data: Omit<ReportData, 'idNumber'> & { idNumber?: string; source: Incident['source']; channel: Incident['channel']; forceMajeure?: boolean },
  reporterUserId: string | null,
  opts: Opts,
): Promise<{ incident: Incident; duplicate: boolean }> {
  const at = now();
  if (data.idempotencyKey) {
    const [dup] = await tx.select().from(incidents).where(eq(incidents.idempotencyKey, data.idempotencyKey));
    if (dup) {
      if (dup.reporterUserId !== reporterUserId) throw new AppError('conflict', 'This key was used for another report.');
      return { incident: dup, duplicate: true };
    }
  }
  const detectedAt = instant(data.detectedDate, data.detectedTime, 'detectedTime');
  if (detectedAt.getTime() > at.getTime() + 60_000) throw new AppError('validation_failed', 'The detection time is in the future.', { detectedTime: 'incidents.in_future' });
  const applicationId = await applicationByNumber(tx, data.applicationNumber, 'applicationNumber');
  const [inc] = await tx
    .insert(incidents)
    .values({
      source: data.source,
      channel: data.channel,
      forceMajeure: data.forceMajeure ?? false,
      component: data.component,
      reporterUserId,
      reporterOrgName: data.orgName ?? null,
      reporterFullName: data.fullName ?? null,
      reporterIdNumber: data.idNumber ?? null,
      reporterEmail: data.email ?? null,
      reporterPhone: data.phone ?? null,
      detectedAt,
      description: data.description,
      applicationId,
      status: 'received',
      receivedAt: at,
      idempotencyKey: data.idempotencyKey ?? null,
      createdBy: actor?.userId ?? null,
    })
    .returning();
  if (data.uploadIds?.length) {
    if (!actor) throw new AppError('forbidden', 'Only a signed-in user attaches files.');
    for (const uploadId of data.uploadIds) {
      const up = await getOwnUpload(tx, actor, uploadId);
      if (!up) throw new AppError('validation_failed', 'An attached file was not found; upload it again.', { uploadIds: 'incidents.file_missing' });
      await tx.insert(incidentAttachments).values({
        incidentId: inc.id,
        role: 'report',
        fileName: up.fileName,
        size: up.size,
        sha256: up.sha256,
        storageKey: up.storageKey,
        uploadedBy: actor.userId,
        createdAt: at,
      });
    }
  }
  const support = await loadSupportCalendar(tx, SUPPORT_SYSTEM);
  const reg = registrationDue(support, at);
  await setTimer(tx, inc.id, 'registration', at, reg);
  await addEvent(tx, inc.id, at, actor?.userId ?? null, 'received', { source: data.source, channel: data.channel, registrationDue: reg.due }, opts.signatureId);
  await appendAudit(tx, {
    actor: actorOf(actor),
    action: 'incident.receive',
    entityType: 'incident',
    entityId: inc.id,
    basis: 'I-3',
    after: { source: inc.source, channel: inc.channel, component: inc.component, detectedAt: inc.detectedAt },
    signatureId: opts.signatureId ?? null,
    requestId: opts.requestId ?? null,
  });
  return { incident: inc, duplicate: false };
}

/** I-3: a signed-in user reports a failure through the portal. */
export async function reportIncident(tx: DbOrTx, reporter: Principal, data: ReportData, opts: Opts = {}) {
  return createIncident(tx, reporter, { ...data, source: 'user_report', channel: 'portal' }, reporter.userId, opts);
}

/** I-2 / I-19: the operator records a report that came by e-mail or phone, or one from monitoring. */
export async function recordIncident(tx: DbOrTx, operator: Principal, data: RecordData, opts: Opts = {}) {
  const channel = data.source === 'user_report' ? (data.channel ?? 'email') : null;
  return createIncident(tx, operator, { ...data, channel }, null, opts);
}

/**
 * I-4 / I-5: registration in the journal: the unique ID (INC-YYYY-NNNNNN), e-mailed to the reporter at once
 * (the I-5 hour is met by the outbox), and the I-6 analysis timer starts.
 */
export async function registerIncident(tx: DbOrTx, actor: Principal | null, id: string, opts: Opts = {}): Promise<Incident> {
  const inc = await lockIncident(tx, id);
  assertStatus(inc, ['received']);
  const at = now();
  const { number } = await allocateNumber(tx, { system: 'incidents', scope: 'portal', template: INCIDENT_NUMBER_TEMPLATE, at });
  const [row] = await tx.update(incidents).set({ number, status: 'registered', registeredAt: at }).where(eq(incidents.id, id)).returning();
  await meetTimer(tx, id, 'registration', at);
  const support = await loadSupportCalendar(tx, SUPPORT_SYSTEM);
  await setTimer(tx, id, 'analysis', at, analysisDue(support, at));
  const sent = await noticeReporter(tx, row, 'registered', { at }, 'registered');
  await setTimer(tx, id, 'id_email', at, idEmailDue(at), sent ? at : null);
  if (!sent) await cancelTimer(tx, id, 'id_email', at); // no e-mail address: nothing to send (003 §61 "при наличии")
  await addEvent(tx, id, at, actor?.userId ?? null, 'registered', { number, emailed: sent }, opts.signatureId);
  await appendAudit(tx, { actor: actorOf(actor), action: 'incident.register', entityType: 'incident', entityId: id, basis: 'I-4, I-5', after: { number }, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return row;
}

/** I-4: registers the received reports whose support time has come (the job calls this every minute). */
export async function registerDueReports(db: DbOrTx, at: Date = now()): Promise<number> {
  const received = await db.select({ id: incidents.id, receivedAt: incidents.receivedAt }).from(incidents).where(eq(incidents.status, 'received')).orderBy(asc(incidents.receivedAt));
  if (!received.length) return 0; // nothing waits: the support hours are not even needed
  const support = await loadSupportCalendar(db, SUPPORT_SYSTEM);
  let n = 0;
  for (const r of received) {
    // Registered once support is open (during lunch: after it; after hours: the next working day), never later than due.
    if (support.nextOpening(r.receivedAt).getTime() > at.getTime()) continue;
    await db.transaction(async (tx) => {
      const [cur] = await tx.select({ status: incidents.status }).from(incidents).where(eq(incidents.id, r.id)).for('update');
      if (cur?.status !== 'received') return;
      await registerIncident(tx, null, r.id);
      n++;
    });
  }
  return n;
}

// ---- analysis (I-6..I-9) -------------------------------------------------------------------------------------

type Input<S extends z.ZodType> = z.output<S>;

/** I-7: the operator asks the reporter for more information; without an answer within 2 hours the report closes. */
export async function requestInfo(tx: DbOrTx, operator: Principal, input: Input<typeof requestInfoSchema>, opts: Opts = {}) {
  const inc = await lockIncident(tx, input.id);
  assertStatus(inc, ['registered']);
  if (!inc.reporterUserId && !inc.reporterEmail) throw new AppError('conflict', 'The reporter left no e-mail address to ask.', { question: 'incidents.no_contact' });
  const at = now();
  const [row] = await tx.update(incidents).set({ status: 'info_requested', infoRequestedAt: at, infoRequest: input.question, infoAnsweredAt: null }).where(eq(incidents.id, inc.id)).returning();
  await cancelTimer(tx, inc.id, 'analysis', at);
  const due = infoReplyDue(at);
  await setTimer(tx, inc.id, 'info_reply', at, due);
  await noticeReporter(tx, row, 'info_request', { question: input.question, due: due.due }, `info:${at.getTime()}`);
  await addEvent(tx, inc.id, at, operator.userId, 'info_requested', { question: input.question, due: due.due }, opts.signatureId);
  await appendAudit(tx, { actor: actorOf(operator), action: 'incident.request_info', entityType: 'incident', entityId: inc.id, basis: 'I-7', after: { question: input.question }, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return row;
}

/** I-7: the reporter answers in time; the analysis (I-6) starts again from the answer. */
export async function answerInfo(tx: DbOrTx, reporter: Principal, input: Input<typeof answerInfoSchema>, opts: Opts = {}) {
  const inc = await lockIncident(tx, input.id);
  if (inc.reporterUserId !== reporter.userId) throw new AppError('not_found', 'No such incident.');
  assertStatus(inc, ['info_requested']);
  const at = now();
  const [timer] = await tx.select().from(incidentTimers).where(and(eq(incidentTimers.incidentId, inc.id), eq(incidentTimers.kind, 'info_reply')));
  if (timer && timer.dueAt.getTime() <= at.getTime()) throw new AppError('deadline_passed', 'The 2 hours for the answer have passed; the report is being closed (I-7).');
  for (const uploadId of input.uploadIds ?? []) {
    const up = await getOwnUpload(tx, reporter, uploadId);
    if (!up) throw new AppError('validation_failed', 'An attached file was not found; upload it again.', { uploadIds: 'incidents.file_missing' });
    await tx.insert(incidentAttachments).values({ incidentId: inc.id, role: 'answer', fileName: up.fileName, size: up.size, sha256: up.sha256, storageKey: up.storageKey, uploadedBy: reporter.userId, createdAt: at });
  }
  const [row] = await tx.update(incidents).set({ status: 'registered', infoAnsweredAt: at }).where(eq(incidents.id, inc.id)).returning();
  await meetTimer(tx, inc.id, 'info_reply', at);
  const support = await loadSupportCalendar(tx, SUPPORT_SYSTEM);
  await setTimer(tx, inc.id, 'analysis', at, analysisDue(support, at));
  await addEvent(tx, inc.id, at, reporter.userId, 'info_answered', { answer: input.answer }, opts.signatureId);
  await appendAudit(tx, { actor: actorOf(reporter), action: 'incident.answer_info', entityType: 'incident', entityId: inc.id, basis: 'I-7', requestId: opts.requestId ?? null });
  return row;
}

/** I-7: closes the reports whose information request expired unanswered, and tells the reporters. */
export async function closeUnanswered(db: DbOrTx, at: Date = now()): Promise<number> {
  const due = await db
    .select({ id: incidentTimers.incidentId })
    .from(incidentTimers)
    .innerJoin(incidents, eq(incidents.id, incidentTimers.incidentId))
    .where(and(eq(incidentTimers.kind, 'info_reply'), isNull(incidentTimers.metAt), isNull(incidentTimers.cancelledAt), lt(incidentTimers.dueAt, at), eq(incidents.status, 'info_requested')));
  let n = 0;
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      const inc = await lockIncident(tx, id);
      if (inc.status !== 'info_requested') return;
      const [row] = await tx.update(incidents).set({ status: 'closed', closedAt: at, closeReason: 'no_info' }).where(eq(incidents.id, id)).returning();
      await tx.update(incidentTimers).set({ overdueAt: at }).where(and(eq(incidentTimers.incidentId, id), eq(incidentTimers.kind, 'info_reply')));
      await noticeReporter(tx, row, 'closed_no_info', { at }, 'closed_no_info');
      await addEvent(tx, id, at, null, 'closed', { reason: 'no_info' });
      await appendAudit(tx, { actor: null, action: 'incident.close', entityType: 'incident', entityId: id, basis: 'I-7 no answer within 2 hours', after: { status: 'closed', closeReason: 'no_info' } });
      n++;
    });
  }
  return n;
}

/** I-8: there was no failure; the reporter is told at once, with the evidence. */
export async function refuteIncident(tx: DbOrTx, operator: Principal, input: Input<typeof refuteSchema>, opts: Opts = {}) {
  const inc = await lockIncident(tx, input.id);
  assertStatus(inc, ['registered', 'info_requested']);
  const at = now();
  const cause = input.cause ?? null;
  const [row] = await tx
    .update(incidents)
    .set({ status: 'refuted', refutedAt: at, refutationEvidence: input.evidence, closedAt: at, closeReason: 'refuted', cause, operatorCaused: cause ? (OPERATOR_CAUSES as readonly string[]).includes(cause) : null })
    .where(eq(incidents.id, inc.id))
    .returning();
  await meetTimer(tx, inc.id, 'analysis', at);
  await cancelTimer(tx, inc.id, 'info_reply', at);
  const sent = await noticeReporter(tx, row, 'refuted', { evidence: input.evidence, at }, 'refuted');
  await setTimer(tx, inc.id, 'refute_notice', at, refuteNoticeDue(at), sent ? at : null);
  if (!sent) await cancelTimer(tx, inc.id, 'refute_notice', at);
  await addEvent(tx, inc.id, at, operator.userId, 'refuted', { evidence: input.evidence, cause }, opts.signatureId);
  await appendAudit(tx, { actor: actorOf(operator), action: 'incident.refute', entityType: 'incident', entityId: inc.id, basis: 'I-8', after: { status: 'refuted', cause }, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return row;
}

/**
 * I-9..I-12: the failure is confirmed with its criticality and planned fix. The reporter is told at once
 * (I-10/I-11/I-12, 30 min); medium: the application's participants too (I-11, 1 h); high: the banner shows it
 * from now on (I-12, 30 min). I-13 force majeure needs no criticality.
 */
export async function confirmIncident(tx: DbOrTx, operator: Principal, input: Input<typeof confirmSchema>, opts: Opts = {}) {
  const inc = await lockIncident(tx, input.id);
  assertStatus(inc, ['registered', 'info_requested']);
  if (!input.criticality && !inc.forceMajeure) throw new AppError('validation_failed', 'Choose the criticality.', { criticality: 'incidents.criticality' });
  const at = now();
  const plannedFixAt = instant(input.plannedFixDate, input.plannedFixTime, 'plannedFixTime');
  const startedAt = input.startedDate && input.startedTime ? instant(input.startedDate, input.startedTime, 'startedTime') : inc.detectedAt;
  if (plannedFixAt.getTime() <= startedAt.getTime()) throw new AppError('validation_failed', 'The planned fix must be after the start.', { plannedFixTime: 'incidents.fix_before_start' });
  if (startedAt.getTime() > at.getTime()) throw new AppError('validation_failed', 'The start is in the future.', { startedTime: 'incidents.in_future' });
  const applicationId = (await applicationByNumber(tx, input.applicationNumber, 'applicationNumber')) ?? inc.applicationId;
  const criticality = input.criticality ?? null;
  if (criticality === 'medium' && !applicationId) throw new AppError('validation_failed', 'A medium failure names the application it occurred in (I-11).', { applicationNumber: 'incidents.application_required' });
  const cause = input.cause ?? null;
  const [row] = await tx
    .update(incidents)
    .set({
      status: 'confirmed',
      criticality,
      confirmedAt: at,
      failureStartedAt: startedAt,
      plannedFixAt,
      applicationId,
      cause,
      operatorCaused: cause ? (OPERATOR_CAUSES as readonly string[]).includes(cause) : null,
    })
    .where(eq(incidents.id, inc.id))
    .returning();
  await meetTimer(tx, inc.id, 'analysis', at);
  await cancelTimer(tx, inc.id, 'info_reply', at);
  const params = { criticality: criticality ?? 'high', plannedFixAt, component: row.component };
  const sent = await noticeReporter(tx, row, 'confirmed', params, 'confirmed');
  if (criticality) {
    await setTimer(tx, inc.id, 'confirm_notice', at, confirmNoticeDue(at, criticality), sent ? at : null);
    if (!sent) await cancelTimer(tx, inc.id, 'confirm_notice', at);
  }
  if (criticality === 'medium' && applicationId) {
    const [app] = await tx.select({ number: applications.number }).from(applications).where(eq(applications.id, applicationId));
    for (const userId of await participantsOf(tx, applicationId)) {
      if (userId === row.reporterUserId) continue;
      const locale = await userLocale(tx, userId);
      const { title, body } = renderNotice('participants', locale, { number: row.number ?? '—', application: app?.number ?? '—', ...params });
      await notify(tx, { userId, kind: 'incident.participants', title, body, entityType: 'incident', entityId: inc.id, email: true, idempotencyKey: `incident:${inc.id}:participants:${userId}` });
    }
    await setTimer(tx, inc.id, 'participants_notice', at, participantsNoticeDue(at), at);
  }
  // I-12: the banner reads confirmed high incidents, so the notice is posted with this transaction.
  if (criticality === 'high') await setTimer(tx, inc.id, 'banner', at, bannerDue(at), at);
  await addEvent(tx, inc.id, at, operator.userId, 'confirmed', { criticality, plannedFixAt, startedAt, applicationId, cause }, opts.signatureId);
  await appendAudit(tx, {
    actor: actorOf(operator),
    action: 'incident.confirm',
    entityType: 'incident',
    entityId: inc.id,
    basis: inc.forceMajeure ? 'I-13' : 'I-9',
    after: { criticality, plannedFixAt, startedAt, applicationId },
    signatureId: opts.signatureId ?? null,
    requestId: opts.requestId ?? null,
  });
  return row;
}

/** I-10..I-12: the failure is fixed (actual time); the reporter is told, with the extensions granted. */
export async function fixIncident(tx: DbOrTx, operator: Principal, input: Input<typeof fixSchema>, opts: Opts = {}) {
  const inc = await lockIncident(tx, input.id);
  assertStatus(inc, ['confirmed']);
  const at = now();
  const fixedAt = instant(input.fixedDate, input.fixedTime, 'fixedTime');
  if (fixedAt.getTime() > at.getTime() + 60_000) throw new AppError('validation_failed', 'The fix time is in the future.', { fixedTime: 'incidents.in_future' });
  const start = inc.failureStartedAt ?? inc.detectedAt;
  if (fixedAt.getTime() <= start.getTime()) throw new AppError('validation_failed', 'The fix must be after the start of the failure.', { fixedTime: 'incidents.fix_before_start' });
  const [row] = await tx.update(incidents).set({ status: 'fixed', fixedAt, fixNote: input.note }).where(eq(incidents.id, inc.id)).returning();
  const ext = await tx.select({ days: sql<number>`coalesce(max(${incidentExtensions.days}), 0)::int` }).from(incidentExtensions).where(eq(incidentExtensions.incidentId, inc.id));
  await noticeReporter(tx, row, 'fixed', { fixedAt, note: input.note, days: ext[0]?.days ?? 0 }, 'fixed');
  await addEvent(tx, inc.id, at, operator.userId, 'fixed', { fixedAt, note: input.note }, opts.signatureId);
  await appendAudit(tx, { actor: actorOf(operator), action: 'incident.fix', entityType: 'incident', entityId: inc.id, basis: 'I-10..I-12', after: { fixedAt }, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return row;
}

export async function closeIncident(tx: DbOrTx, operator: Principal, id: string, opts: Opts = {}) {
  const inc = await lockIncident(tx, id);
  assertStatus(inc, ['fixed']);
  const at = now();
  const [row] = await tx.update(incidents).set({ status: 'closed', closedAt: at, closeReason: 'fixed' }).where(eq(incidents.id, id)).returning();
  await addEvent(tx, id, at, operator.userId, 'closed', { reason: 'fixed' }, opts.signatureId);
  await appendAudit(tx, { actor: actorOf(operator), action: 'incident.close', entityType: 'incident', entityId: id, after: { status: 'closed' }, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return row;
}

/** I-14: signs of an offence are passed to law enforcement (recorded once). */
export async function transferToLawEnforcement(tx: DbOrTx, operator: Principal, input: Input<typeof lawEnforcementSchema>, opts: Opts = {}) {
  const inc = await lockIncident(tx, input.id);
  if (inc.lawEnforcementAt) throw new AppError('duplicate', 'Already transferred to law enforcement.');
  const at = now();
  const [row] = await tx.update(incidents).set({ lawEnforcementAt: at, lawEnforcementBody: input.body, lawEnforcementRef: input.reference }).where(eq(incidents.id, inc.id)).returning();
  await addEvent(tx, inc.id, at, operator.userId, 'law_enforcement', { body: input.body, reference: input.reference }, opts.signatureId);
  await appendAudit(tx, { actor: actorOf(operator), action: 'incident.law_enforcement', entityType: 'incident', entityId: inc.id, basis: 'I-14', after: { body: input.body, reference: input.reference }, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return row;
}

// ---- extensions (I-11, I-12, I-13) ---------------------------------------------------------------------------

export type ExtensionTarget = { applicationId: string; number: string | null; kinds: string[]; alreadyDays: number; addDays: number };
export type ExtensionPreview = { rule: 'I-11' | 'I-12' | 'I-13'; plan: ExtensionPlan; start: Date; end: Date; targets: ExtensionTarget[] };

/** Which applications an incident extends, and by how many days each (those already extended only top up). */
export async function previewExtensions(db: DbOrTx, inc: Incident): Promise<ExtensionPreview | null> {
  if (inc.status !== 'confirmed' && inc.status !== 'fixed') return null;
  const start = inc.failureStartedAt ?? inc.detectedAt;
  const end = inc.fixedAt ?? inc.plannedFixAt;
  if (!end) return null;
  let rule: ExtensionPreview['rule'];
  if (inc.forceMajeure) rule = 'I-13';
  else if (inc.criticality === 'high') rule = 'I-12';
  else if (inc.criticality === 'medium' && inc.applicationId) rule = 'I-11';
  else return null;
  const plan = rule === 'I-13' ? forceMajeureExtension(start, end) : failureExtension(rule, start, end);

  const conds = [eq(applicationDeadlines.status, 'open')];
  if (rule === 'I-11') conds.push(eq(applicationDeadlines.applicationId, inc.applicationId!));
  else {
    if (rule === 'I-12' && !APPLICATION_COMPONENTS.includes(inc.component)) return { rule, plan, start, end, targets: [] };
    // the deadlines that coincided with the failure: [start_at, due_at] overlaps [start, end)
    conds.push(lt(applicationDeadlines.startAt, end), sql`${applicationDeadlines.dueAt} > ${start.toISOString()}::timestamptz`);
  }
  const rows = await db
    .select({ applicationId: applicationDeadlines.applicationId, kind: applicationDeadlines.kind, number: applications.number })
    .from(applicationDeadlines)
    .innerJoin(applications, eq(applications.id, applicationDeadlines.applicationId))
    .where(and(...conds))
    .orderBy(asc(applications.number), asc(applicationDeadlines.kind));
  const applied = await db
    .select({ applicationId: incidentExtensions.applicationId, days: sql<number>`sum(${incidentExtensions.days})::int` })
    .from(incidentExtensions)
    .where(eq(incidentExtensions.incidentId, inc.id))
    .groupBy(incidentExtensions.applicationId);
  const already = new Map(applied.map((a) => [a.applicationId, Number(a.days)]));
  const byApp = new Map<string, ExtensionTarget>();
  for (const r of rows) {
    let t = byApp.get(r.applicationId);
    if (!t) {
      const alreadyDays = already.get(r.applicationId) ?? 0;
      t = { applicationId: r.applicationId, number: r.number, kinds: [], alreadyDays, addDays: Math.max(0, plan.days - alreadyDays) };
      byApp.set(r.applicationId, t);
    }
    t.kinds.push(r.kind);
  }
  return { rule, plan, start, end, targets: [...byApp.values()] };
}

/**
 * Applies the preview through the expertise extension hook (lib/expertise/deadlines.ts). Idempotent: each
 * application gets at most the plan's days from this incident in total (a second apply adds nothing; a longer
 * actual failure adds only the difference).
 */
export async function applyExtensions(tx: DbOrTx, operator: Principal | null, id: string, opts: Opts = {}): Promise<ExtensionTarget[]> {
  const inc = await lockIncident(tx, id);
  const preview = await previewExtensions(tx, inc);
  if (!preview) throw new AppError('conflict', 'This incident extends no deadlines (I-11: medium with an application; I-12: high; I-13: force majeure).');
  const at = now();
  const done: ExtensionTarget[] = [];
  for (const t of preview.targets) {
    if (t.addDays <= 0) continue;
    await extendApplicationDeadlines(
      tx,
      t.applicationId,
      { by: t.addDays, unit: 'calendar_days', reason: `${preview.rule}: ${inc.number ?? inc.id}`, ref: inc.number ?? inc.id, kinds: t.kinds as ['completeness'] },
      actorOf(operator),
    );
    await tx.insert(incidentExtensions).values({
      incidentId: id,
      applicationId: t.applicationId,
      rule: preview.rule,
      days: t.addDays,
      unit: 'calendar_days',
      kinds: t.kinds,
      appliedAt: at,
      appliedBy: operator?.userId ?? null,
      signatureId: opts.signatureId ?? null,
    });
    done.push(t);
  }
  await addEvent(tx, id, at, operator?.userId ?? null, 'extensions_applied', { rule: preview.rule, days: preview.plan.days, applications: done.map((d) => d.number ?? d.applicationId) }, opts.signatureId);
  await appendAudit(tx, {
    actor: actorOf(operator),
    action: 'incident.extend',
    entityType: 'incident',
    entityId: id,
    basis: preview.rule,
    after: { days: preview.plan.days, applications: done.map((d) => ({ id: d.applicationId, add: d.addDays, kinds: d.kinds })) },
    signatureId: opts.signatureId ?? null,
    requestId: opts.requestId ?? null,
  });
  return done;
}

// ---- SLA watcher ---------------------------------------------------------------------------------------------

/**
 * Marks overdue timers (once) and tells the operators (cabinet + e-mail). The I-7 info_reply timer is not an
 * operator's: its expiry closes the report (closeUnanswered).
 */
export async function watchTimers(db: DbOrTx, at: Date = now()): Promise<{ overdue: number; closed: number }> {
  const closed = await closeUnanswered(db, at);
  const rows = await db
    .select({ incidentId: incidentTimers.incidentId, kind: incidentTimers.kind, rule: incidentTimers.rule, dueAt: incidentTimers.dueAt, number: incidents.number, receivedAt: incidents.receivedAt })
    .from(incidentTimers)
    .innerJoin(incidents, eq(incidents.id, incidentTimers.incidentId))
    .where(and(isNull(incidentTimers.metAt), isNull(incidentTimers.cancelledAt), isNull(incidentTimers.overdueAt), lt(incidentTimers.dueAt, at), sql`${incidentTimers.kind} <> 'info_reply'`));
  if (!rows.length) return { overdue: 0, closed };
  const operators = await operatorUserIds(db);
  for (const r of rows) {
    await db.transaction(async (tx) => {
      const upd = await tx
        .update(incidentTimers)
        .set({ overdueAt: at })
        .where(and(eq(incidentTimers.incidentId, r.incidentId), eq(incidentTimers.kind, r.kind), isNull(incidentTimers.overdueAt), isNull(incidentTimers.metAt)))
        .returning({ k: incidentTimers.kind });
      if (!upd.length) return;
      for (const userId of operators) {
        const locale = await userLocale(tx, userId);
        const t = incidentsTranslator(locale);
        const { title, body } = renderNotice('overdue', locale, { number: r.number ?? t('unregistered'), rule: r.rule, timer: t(`timer.${r.kind}`), due: r.dueAt });
        await notify(tx, { userId, kind: 'incident.overdue', title, body, link: `/admin/incidents/${r.incidentId}`, entityType: 'incident', entityId: r.incidentId, idempotencyKey: `incident:${r.incidentId}:overdue:${r.kind}:${userId}` });
      }
      await addEvent(tx, r.incidentId, at, null, 'timer_overdue', { timer: r.kind, rule: r.rule, due: r.dueAt });
    });
  }
  return { overdue: rows.length, closed };
}

// ---- reading -------------------------------------------------------------------------------------------------

export type IncidentListItem = Incident & { timers: IncidentTimer[]; overdue: boolean; nextDue: Date | null };

export type IncidentFilters = { status?: Incident['status']; criticality?: NonNullable<Incident['criticality']>; overdue?: boolean; open?: boolean };

const OPEN_STATUSES: Incident['status'][] = ['received', 'registered', 'info_requested', 'confirmed'];

async function withTimers(db: DbOrTx, rows: Incident[], at: Date): Promise<IncidentListItem[]> {
  if (!rows.length) return [];
  const timers = await db.select().from(incidentTimers).where(inArray(incidentTimers.incidentId, rows.map((r) => r.id)));
  return rows.map((r) => {
    const mine = timers.filter((t) => t.incidentId === r.id);
    const open = mine.filter((t) => !t.metAt && !t.cancelledAt);
    const overdue = mine.some((t) => t.overdueAt !== null && !t.metAt) || open.some((t) => t.dueAt.getTime() < at.getTime());
    const nextDue = open.reduce<Date | null>((m, t) => (!m || t.dueAt < m ? t.dueAt : m), null);
    return { ...r, timers: mine, overdue, nextDue };
  });
}

/** The operator's queue: newest first, with SLA timers; filters by status, criticality, overdue. */
export async function listIncidents(db: DbOrTx, f: IncidentFilters = {}, at: Date = now()): Promise<IncidentListItem[]> {
  const conds = [];
  if (f.status) conds.push(eq(incidents.status, f.status));
  else if (f.open) conds.push(inArray(incidents.status, OPEN_STATUSES));
  if (f.criticality) conds.push(eq(incidents.criticality, f.criticality));
  const rows = await db.select().from(incidents).where(conds.length ? and(...conds) : undefined).orderBy(desc(incidents.receivedAt)).limit(500);
  const items = await withTimers(db, rows, at);
  return f.overdue ? items.filter((i) => i.overdue) : items;
}

/** The reporter's own incidents. */
export async function listOwnIncidents(db: DbOrTx, reporter: Principal, at: Date = now()): Promise<(IncidentListItem & { events: IncidentEvent[] })[]> {
  const rows = await db.select().from(incidents).where(eq(incidents.reporterUserId, reporter.userId)).orderBy(desc(incidents.receivedAt)).limit(100);
  const items = await withTimers(db, rows, at);
  if (!items.length) return [];
  const events = await db.select().from(incidentEvents).where(inArray(incidentEvents.incidentId, rows.map((r) => r.id))).orderBy(asc(incidentEvents.id));
  return items.map((i) => ({ ...i, events: events.filter((e) => e.incidentId === i.id) }));
}

export type IncidentView = {
  incident: Incident;
  timers: IncidentTimer[];
  events: IncidentEvent[];
  attachments: (typeof incidentAttachments.$inferSelect)[];
  extensions: (typeof incidentExtensions.$inferSelect & { number: string | null })[];
  application: { id: string; number: string | null } | null;
  preview: ExtensionPreview | null;
};

export async function getIncidentView(db: DbOrTx, id: string): Promise<IncidentView> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not_found', 'No such incident.');
  const [incident] = await db.select().from(incidents).where(eq(incidents.id, id));
  if (!incident) throw new AppError('not_found', 'No such incident.');
  const [timers, events, attachments, extensions, app, preview] = await Promise.all([
    db.select().from(incidentTimers).where(eq(incidentTimers.incidentId, id)),
    db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, id)).orderBy(asc(incidentEvents.id)),
    db.select().from(incidentAttachments).where(eq(incidentAttachments.incidentId, id)),
    db
      .select({ ext: incidentExtensions, number: applications.number })
      .from(incidentExtensions)
      .innerJoin(applications, eq(applications.id, incidentExtensions.applicationId))
      .where(eq(incidentExtensions.incidentId, id))
      .orderBy(asc(incidentExtensions.appliedAt)),
    incident.applicationId ? db.select({ id: applications.id, number: applications.number }).from(applications).where(eq(applications.id, incident.applicationId)) : Promise.resolve([]),
    previewExtensions(db, incident),
  ]);
  const order = INCIDENT_TIMER_KINDS as readonly string[];
  timers.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return { incident, timers, events, attachments, extensions: extensions.map((e) => ({ ...e.ext, number: e.number })), application: app[0] ?? null, preview };
}

// ---- the banner (I-12) ---------------------------------------------------------------------------------------

/** How long the fix of a high failure stays on the banner (with the actual time and the extensions). */
export const FIXED_NOTICE_MS = 3 * DAY_MS;

export type BannerIncident = { id: string; number: string | null; component: Component; plannedFixAt: Date | null; fixedAt: Date | null; extensionDays: number | null };

/** I-12: confirmed high failures (and force majeure), and those fixed in the last three days. */
export async function bannerIncidents(db: DbOrTx, at: Date = now()): Promise<BannerIncident[]> {
  const rows = await db
    .select()
    .from(incidents)
    .where(
      and(
        sql`(${incidents.criticality} = 'high' or ${incidents.forceMajeure})`,
        sql`(${incidents.status} = 'confirmed' or (${incidents.status} in ('fixed', 'closed') and ${incidents.fixedAt} > ${new Date(at.getTime() - FIXED_NOTICE_MS).toISOString()}::timestamptz))`,
      ),
    )
    .orderBy(desc(incidents.confirmedAt))
    .limit(5);
  if (!rows.length) return [];
  const ext = await db
    .select({ incidentId: incidentExtensions.incidentId, days: sql<number>`max(${incidentExtensions.days})::int` })
    .from(incidentExtensions)
    .where(inArray(incidentExtensions.incidentId, rows.map((r) => r.id)))
    .groupBy(incidentExtensions.incidentId);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    component: r.component,
    plannedFixAt: r.plannedFixAt,
    fixedAt: r.status === 'confirmed' ? null : r.fixedAt,
    extensionDays: ext.find((e) => e.incidentId === r.id)?.days ?? null,
  }));
}
