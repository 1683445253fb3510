/**
 * W-21/W-27/W-31: persistence of alerts around H10's pure state machine (lib/water/analytics/alerts.ts). The
 * database holds at most one active alert per (type, object, device) (partial unique index); a repeat updates
 * it. Notifications go to the entity's users in their own language with the recommended actions.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { devices, waterAlerts, waterObjects } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { can, toAuditActor } from '@/lib/auth/policy';
import { appendAudit } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { renderTemplate, userLocale, notify } from '@/lib/notify';
import type { Locale } from '@/lib/i18n/config';
import { now as clockNow } from '@/lib/time/clock';
import {
  acknowledge,
  clear,
  RECOMMENDATIONS,
  recommendationsFor,
  type Alert,
  type AlertType,
  type Severity,
} from '@/lib/water/analytics';
import { entityUsers, regionAkimatUsers, requireObjectInScope, waterScope } from '@/lib/water/access';
import { invalidateDashboards } from '@/lib/water/dashboard/cache';

export type AlertRow = typeof waterAlerts.$inferSelect;

export function rowToAlert(r: AlertRow): Alert {
  return {
    key: `${r.type}:${r.objectId}`,
    type: r.type as AlertType,
    objectId: r.objectId,
    deviceId: r.deviceId,
    severity: r.severity,
    state: r.status,
    messageKey: r.messageKey,
    params: r.params,
    firstValue: r.value,
    lastValue: r.value,
    limit: r.limit,
    count: r.count,
    openedAt: r.firstSeen,
    lastSeenAt: r.lastSeen,
    acknowledgedAt: r.acknowledgedAt,
    acknowledgedBy: r.acknowledgedBy,
    clearedAt: r.clearedAt,
    clearedBy: r.clearedBy,
    escalationLevel: r.escalationLevel,
    escalatedAt: r.escalatedAt,
  };
}

/** The columns an Alert maps to (everything but id, note and the recommendations snapshot). */
export function alertValues(a: Alert) {
  return {
    type: a.type,
    objectId: a.objectId!,
    deviceId: a.deviceId,
    severity: a.severity,
    status: a.state,
    firstSeen: a.openedAt,
    lastSeen: a.lastSeenAt,
    count: a.count,
    value: a.lastValue,
    limit: a.limit,
    messageKey: a.messageKey,
    params: a.params,
    escalationLevel: a.escalationLevel,
    escalatedAt: a.escalatedAt,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: a.acknowledgedAt,
    clearedBy: a.clearedBy,
    clearedAt: a.clearedAt,
  };
}

const ACTIONS_LABEL: Record<Locale, string> = { kk: 'Ұсынылатын шаралар', ru: 'Рекомендуемые меры', en: 'Recommended actions' };
const ESCALATED_LABEL: Record<Locale, string> = {
  kk: 'Ескерту уақытында расталмады (эскалация, деңгей {level}).',
  ru: 'Оповещение не подтверждено вовремя (эскалация, уровень {level}).',
  en: 'The alert was not acknowledged in time (escalation, level {level}).',
};
const SEVERITY_LABEL: Record<Locale, Record<Severity, string>> = {
  kk: { info: 'ақпарат', warning: 'ескерту', critical: 'сыни' },
  ru: { info: 'информация', warning: 'предупреждение', critical: 'критично' },
  en: { info: 'info', warning: 'warning', critical: 'critical' },
};

/** The alert as a notification in `locale`: what, where, the value against its limit, and the W-31 actions. */
export function alertMessage(row: AlertRow, where: string, locale: Locale, escalation?: number): { title: string; body: string } {
  const rec = recommendationsFor(row.type as AlertType, locale);
  const lines = [
    `${rec.title} — ${where} (${SEVERITY_LABEL[locale][row.severity]})`,
    ...(row.value !== null ? [`${row.value}${row.limit !== null ? ` / ${row.limit}` : ''}`] : []),
    ...(escalation ? [ESCALATED_LABEL[locale].replace('{level}', String(escalation))] : []),
    `${ACTIONS_LABEL[locale]}:`,
    ...rec.actions.map((a) => `• ${a.text}`),
  ];
  return renderTemplate('alert', locale, { subject: `${rec.title} — ${where}`, message: lines.join('\n') });
}

async function whereOf(db: DbOrTx, row: AlertRow): Promise<{ label: string; entityId: string; regionId: string }> {
  const [o] = await db
    .select({ name: waterObjects.name, entityId: waterObjects.entityId, regionId: waterObjects.regionId })
    .from(waterObjects)
    .where(eq(waterObjects.id, row.objectId));
  let label = o?.name ?? row.objectId;
  if (row.deviceId) {
    const [d] = await db.select({ serial: devices.serialNumber }).from(devices).where(eq(devices.id, row.deviceId));
    if (d) label += ` / ${d.serial}`;
  }
  return { label, entityId: o.entityId, regionId: o.regionId };
}

/**
 * Notifies the entity's users of an opened (escalation 0) or escalated alert; on a critical escalation also
 * the akimat users of the object's region. Idempotent per alert and step.
 */
export async function notifyAlert(db: DbOrTx, row: AlertRow, escalation = 0): Promise<number> {
  const where = await whereOf(db, row);
  const recipients = new Set(await entityUsers(db, where.entityId));
  if (escalation > 0 && row.severity === 'critical') for (const u of await regionAkimatUsers(db, where.regionId)) recipients.add(u);
  for (const userId of recipients) {
    const locale = await userLocale(db, userId);
    const msg = alertMessage(row, where.label, locale, escalation);
    await notify(db, {
      userId,
      kind: escalation > 0 ? 'water.alert.escalated' : 'water.alert',
      title: msg.title,
      body: msg.body,
      link: `/water/alerts/${row.id}`,
      data: { alertId: row.id, type: row.type, severity: row.severity, escalation },
      entityType: 'water_alert',
      entityId: row.id,
      idempotencyKey: `water-alert:${row.id}:${escalation}:${userId}`,
    });
  }
  return recipients.size;
}

/** Inserts a newly opened alert (with its W-31 recommendations snapshot). */
export async function insertAlert(db: DbOrTx, a: Alert): Promise<AlertRow> {
  const [row] = await db
    .insert(waterAlerts)
    .values({ ...alertValues(a), recommendations: RECOMMENDATIONS[a.type] })
    .returning();
  invalidateDashboards(); // the dashboards count alerts
  return row;
}

export async function updateAlert(db: DbOrTx, id: string, a: Alert, extra: { note?: string | null } = {}): Promise<AlertRow> {
  const [row] = await db
    .update(waterAlerts)
    .set({ ...alertValues(a), ...(extra.note !== undefined ? { note: extra.note } : {}) })
    .where(eq(waterAlerts.id, id))
    .returning();
  invalidateDashboards();
  return row;
}

async function transition(
  db: DbOrTx,
  principal: Principal,
  id: string,
  opts: AlertActionOptions,
  action: 'water.alert.acknowledge' | 'water.alert.clear',
): Promise<AlertRow> {
  const note = opts.note?.trim() ? opts.note.trim() : undefined;
  if (!can(principal, 'water.alerts.manage')) throw new AppError('forbidden', 'You do not have the right to do this.');
  const scope = await waterScope(db, principal);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(waterAlerts).where(eq(waterAlerts.id, id)).for('update');
    if (!row) throw new AppError('not_found', 'No such alert.');
    await requireObjectInScope(tx, scope, row.objectId);
    const at = clockNow();
    const before = rowToAlert(row);
    const after = action === 'water.alert.acknowledge' ? acknowledge(before, principal.userId, at) : clear(before, principal.userId, at);
    const updated = await updateAlert(tx, id, after, { note: note ?? row.note });
    await appendAudit(tx, {
      actor: toAuditActor(principal),
      action,
      entityType: 'water_alert',
      entityId: id,
      basis: note ?? null,
      before: { status: row.status },
      after: { status: updated.status },
      at,
      signatureId: opts.signatureId ?? null,
      requestId: opts.requestId ?? null,
    });
    return updated;
  });
}

/** A note (the basis in the audit row) and, for an EDS-confirmed change (X-4), its signature and request. */
export type AlertActionOptions = { note?: string; signatureId?: string | null; requestId?: string | null };

/** open → acknowledged, by a user whose scope covers the alert's object; audited. */
export function acknowledgeAlert(db: DbOrTx, principal: Principal, id: string, opts: AlertActionOptions = {}): Promise<AlertRow> {
  return transition(db, principal, id, opts, 'water.alert.acknowledge');
}

/** open/acknowledged → cleared by a user in scope; audited. */
export function clearAlert(db: DbOrTx, principal: Principal, id: string, opts: AlertActionOptions = {}): Promise<AlertRow> {
  return transition(db, principal, id, opts, 'water.alert.clear');
}

/** The active alert of (type, object, device), if any. */
export async function activeAlert(db: DbOrTx, type: string, objectId: string, deviceId: string | null): Promise<AlertRow | null> {
  const [row] = await db
    .select()
    .from(waterAlerts)
    .where(
      and(
        eq(waterAlerts.type, type),
        eq(waterAlerts.objectId, objectId),
        deviceId ? eq(waterAlerts.deviceId, deviceId) : sql`${waterAlerts.deviceId} is null`,
        sql`${waterAlerts.status} <> 'cleared'`,
      ),
    );
  return row ?? null;
}
