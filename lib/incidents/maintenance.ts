/**
 * Maintenance (I-16..I-18, 003 §73–75): the yearly plan approved and published in the first ten days of January,
 * its windows (by default 21:00–06:00 Astana or on weekends and holidays; otherwise with a reason), the notice
 * to users (the banner and the public /maintenance page) and to the owners of integrated systems (the
 * organisations holding a partner API key: cabinet + e-mail) 2 calendar days before.
 */
import { and, asc, eq, gt, gte, isNull, lte, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { maintenancePlans, maintenanceWindows, partnerApiKeys, users } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import { toAuditActor } from '@/lib/auth/policy';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { notify, userLocale } from '@/lib/notify';
import { astanaInstant, astanaParts, DAY_MS } from '@/lib/time/astana';
import { loadWorkingCalendar } from '@/lib/time/calendar-store';
import { now } from '@/lib/time/clock';
import type { cancelWindowSchema, planSchema, windowSchema } from './schemas';
import { renderNotice } from './service';
import { MAINTENANCE_NOTICE_MS, maintenanceNoticeDue, maintenanceWindowCheck, planPublicationCheck, type PlanCheck, type WindowCheck } from './sla';

export type MaintenancePlan = typeof maintenancePlans.$inferSelect;
export type MaintenanceWindow = typeof maintenanceWindows.$inferSelect;
type Opts = { signatureId?: string | null; requestId?: string | null };

/** The notifier sends the I-18 notice this long before the works (a day of margin before the 2-day limit). */
export const NOTICE_LEAD_MS = 3 * DAY_MS;
/** The banner shows windows starting within this time. */
export const BANNER_AHEAD_MS = 7 * DAY_MS;

/** I-17: approves and publishes the year's plan (signed); the check says whether it was in the first ten days. */
export async function publishPlan(tx: DbOrTx, operator: Principal, input: z.output<typeof planSchema>, opts: Opts = {}): Promise<MaintenancePlan & { check: PlanCheck }> {
  const at = now();
  const [existing] = await tx.select().from(maintenancePlans).where(eq(maintenancePlans.year, input.year)).for('update');
  if (existing?.publishedAt) throw new AppError('duplicate', 'The plan of this year is already published.', { year: 'incidents.plan_published' });
  const values = { year: input.year, note: input.note ?? null, approvedAt: at, approvedBy: operator.userId, publishedAt: at, signatureId: opts.signatureId ?? null };
  const [row] = await tx.insert(maintenancePlans).values(values).onConflictDoUpdate({ target: maintenancePlans.year, set: values }).returning();
  const check = planPublicationCheck(input.year, at);
  await appendAudit(tx, { actor: toAuditActor(operator), action: 'maintenance.plan.publish', entityType: 'maintenance_plan', entityId: String(input.year), basis: 'I-17', after: { publishedAt: at, onTime: check.onTime }, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return { ...row, check };
}

/**
 * I-18: a window of the plan (or an unplanned one). It must start at least 2 calendar days from now (the
 * notice) and, outside 21:00–06:00 and non-working days, give a reason.
 */
export async function addWindow(tx: DbOrTx, operator: Principal, input: z.output<typeof windowSchema>, opts: Opts = {}): Promise<MaintenanceWindow & { check: WindowCheck }> {
  const at = now();
  let startsAt: Date;
  let endsAt: Date;
  try {
    startsAt = astanaInstant(input.startsDate, input.startsTime);
    endsAt = astanaInstant(input.endsDate, input.endsTime);
  } catch {
    throw new AppError('validation_failed', 'Not a valid date and time.', { startsDate: 'incidents.date' });
  }
  if (endsAt.getTime() <= startsAt.getTime()) throw new AppError('validation_failed', 'The end must be after the start.', { endsTime: 'incidents.end_before_start' });
  if (Number(astanaParts(startsAt).date.slice(0, 4)) !== input.year) throw new AppError('validation_failed', 'The window must be in the plan’s year.', { startsDate: 'incidents.other_year' });
  if (startsAt.getTime() - at.getTime() < MAINTENANCE_NOTICE_MS) {
    throw new AppError('validation_failed', 'Users must be notified 2 calendar days before the works (I-18).', { startsDate: 'incidents.notice_too_short' });
  }
  const cal = await loadWorkingCalendar(tx);
  const check = maintenanceWindowCheck(cal, startsAt, endsAt);
  if (!check.withinDefault && !input.reason) {
    throw new AppError('validation_failed', 'Outside the default hours (21:00–06:00, weekends, holidays) a reason is required.', { reason: 'incidents.reason_required' });
  }
  const [plan] = await tx.select().from(maintenancePlans).where(eq(maintenancePlans.year, input.year));
  if (!plan) await tx.insert(maintenancePlans).values({ year: input.year }).onConflictDoNothing();
  // A window added after the plan's publication is unplanned (003 §73: "в том числе внеплановых").
  const unplanned = input.unplanned ?? Boolean(plan?.publishedAt);
  const [row] = await tx
    .insert(maintenanceWindows)
    .values({
      year: input.year,
      component: input.component,
      startsAt,
      endsAt,
      description: input.description,
      outsideDefaultReason: check.withinDefault ? null : (input.reason ?? null),
      unplanned,
      createdBy: operator.userId,
      signatureId: opts.signatureId ?? null,
    })
    .returning();
  await appendAudit(tx, { actor: toAuditActor(operator), action: 'maintenance.window.add', entityType: 'maintenance_window', entityId: row.id, basis: 'I-18', after: { startsAt, endsAt, component: row.component, withinDefault: check.withinDefault, reason: row.outsideDefaultReason }, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return { ...row, check };
}

export async function cancelWindow(tx: DbOrTx, operator: Principal, input: z.output<typeof cancelWindowSchema>, opts: Opts = {}): Promise<MaintenanceWindow> {
  const [row] = await tx.select().from(maintenanceWindows).where(eq(maintenanceWindows.id, input.id)).for('update');
  if (!row) throw new AppError('not_found', 'No such maintenance window.');
  if (row.cancelledAt) throw new AppError('conflict', 'The window is already cancelled.');
  const [out] = await tx.update(maintenanceWindows).set({ cancelledAt: now() }).where(eq(maintenanceWindows.id, input.id)).returning();
  await appendAudit(tx, { actor: toAuditActor(operator), action: 'maintenance.window.cancel', entityType: 'maintenance_window', entityId: row.id, basis: input.reason, signatureId: opts.signatureId ?? null, requestId: opts.requestId ?? null });
  return out;
}

export type PlanView = { year: number; plan: MaintenancePlan | null; check: PlanCheck; windows: (MaintenanceWindow & { check: WindowCheck; noticeDue: Date })[] };

export async function getPlanView(db: DbOrTx, year: number, opts: { publishedOnly?: boolean } = {}): Promise<PlanView> {
  const [plan] = await db.select().from(maintenancePlans).where(eq(maintenancePlans.year, year));
  const check = planPublicationCheck(year, plan?.publishedAt ?? null);
  if (opts.publishedOnly && !plan?.publishedAt) return { year, plan: null, check, windows: [] };
  const rows = await db.select().from(maintenanceWindows).where(eq(maintenanceWindows.year, year)).orderBy(asc(maintenanceWindows.startsAt));
  const cal = await loadWorkingCalendar(db);
  return {
    year,
    plan: plan ?? null,
    check,
    windows: rows.map((w) => ({ ...w, check: maintenanceWindowCheck(cal, w.startsAt, w.endsAt), noticeDue: maintenanceNoticeDue(w.startsAt).due })),
  };
}

/** Windows announced on the banner: not cancelled, published (or unplanned), starting within 7 days or running. */
export async function upcomingWindows(db: DbOrTx, at: Date = now()): Promise<MaintenanceWindow[]> {
  return db
    .select({ w: maintenanceWindows })
    .from(maintenanceWindows)
    .innerJoin(maintenancePlans, eq(maintenancePlans.year, maintenanceWindows.year))
    .where(
      and(
        isNull(maintenanceWindows.cancelledAt),
        or(sql`${maintenancePlans.publishedAt} is not null`, eq(maintenanceWindows.unplanned, true)),
        gt(maintenanceWindows.endsAt, at),
        lte(maintenanceWindows.startsAt, new Date(at.getTime() + BANNER_AHEAD_MS)),
      ),
    )
    .orderBy(asc(maintenanceWindows.startsAt))
    .limit(5)
    .then((rows) => rows.map((r) => r.w));
}

/** The organisations integrated through the partner API: their active users (I-18 "owners of integrated systems"). */
async function integratedOwnerUsers(db: DbOrTx, at: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: users.id })
    .from(partnerApiKeys)
    .innerJoin(users, eq(users.orgId, partnerApiKeys.orgId))
    .where(and(isNull(partnerApiKeys.revokedAt), or(isNull(partnerApiKeys.expiresAt), gt(partnerApiKeys.expiresAt, at)), eq(users.status, 'active')));
  return rows.map((r) => r.id);
}

/** I-18: notifies the integrated-system owners of windows starting within 3 days (once per window and user). */
export async function notifyMaintenance(db: DbOrTx, at: Date = now()): Promise<{ windows: number; notices: number }> {
  const due = await db
    .select()
    .from(maintenanceWindows)
    .where(and(isNull(maintenanceWindows.notifiedAt), isNull(maintenanceWindows.cancelledAt), gt(maintenanceWindows.startsAt, at), lte(maintenanceWindows.startsAt, new Date(at.getTime() + NOTICE_LEAD_MS))));
  if (!due.length) return { windows: 0, notices: 0 };
  const owners = await integratedOwnerUsers(db, at);
  let notices = 0;
  for (const w of due) {
    await db.transaction(async (tx) => {
      const [cur] = await tx.select().from(maintenanceWindows).where(and(eq(maintenanceWindows.id, w.id), isNull(maintenanceWindows.notifiedAt))).for('update');
      if (!cur) return;
      for (const userId of owners) {
        const locale = await userLocale(tx, userId);
        const { title, body } = renderNotice('maintenance', locale, { component: w.component, start: w.startsAt, end: w.endsAt, description: w.description });
        const r = await notify(tx, { userId, kind: 'maintenance.notice', title, body, link: '/maintenance', entityType: 'maintenance_window', entityId: w.id, email: true, idempotencyKey: `maintenance:${w.id}:${userId}` });
        if (r.created) notices++;
      }
      await tx.update(maintenanceWindows).set({ notifiedAt: at }).where(eq(maintenanceWindows.id, w.id));
      await appendAudit(tx, { actor: null, action: 'maintenance.notify', entityType: 'maintenance_window', entityId: w.id, basis: 'I-18', after: { users: owners.length, onTime: at.getTime() <= maintenanceNoticeDue(w.startsAt).due.getTime() } });
    });
  }
  return { windows: due.length, notices };
}

/** Years that have a plan or windows (for the pages' year switch). */
export async function planYears(db: DbOrTx): Promise<number[]> {
  const rows = await db.select({ year: maintenancePlans.year }).from(maintenancePlans).where(gte(maintenancePlans.year, 2024)).orderBy(asc(maintenancePlans.year));
  return rows.map((r) => r.year);
}
