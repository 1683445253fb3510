/** The water registry's rules: what each device measures, reporting intervals (W-17), metrology (W-35), tokens. */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { devices, waterObjects } from '@/db/schema';
import { addDays, astanaDateOf } from '@/lib/time/astana';
import type { Metric } from './normalize';

export type DeviceKind = (typeof devices.kind.enumValues)[number];
export type Criticality = (typeof waterObjects.criticality.enumValues)[number];

/** The metrics each kind of device may report. */
export const DEVICE_METRICS: Record<DeviceKind, readonly Metric[]> = {
  flow_meter: ['flow', 'volume'],
  pressure_sensor: ['pressure'],
  level_sensor: ['level'],
  pump_power: ['power', 'voltage'],
  voltage: ['voltage'],
  quality_sensor: ['turbidity', 'chlorine', 'ph'],
};

/** W-17: the expected reporting interval by criticality, in seconds (an object may override it). */
export const REPORTING_INTERVAL_SEC: Record<Criticality, number> = {
  critical: 60,
  high: 300,
  normal: 900,
  low: 3600,
};

export function expectedIntervalSec(o: { criticality: Criticality; reportingIntervalSec?: number | null }): number {
  return o.reportingIntervalSec && o.reportingIntervalSec > 0 ? o.reportingIntervalSec : REPORTING_INTERVAL_SEC[o.criticality];
}

/** sha256 (hex) of a device token or gateway key: only this is stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new secret: `btd_…` for a device token, `btg_…` for a gateway key. */
export function newSecret(kind: 'device' | 'gateway'): string {
  return `${kind === 'device' ? 'btd' : 'btg'}_${randomBytes(24).toString('base64url')}`;
}

/**
 * W-35: the next verification date, last verification + interval in calendar months, clamped to the month's
 * last day (2024-01-31 + 1 month = 2024-02-29), exactly as PostgreSQL computes devices.next_due_on.
 */
export function nextDueOn(lastVerifiedOn: string, intervalMonths: number): string {
  const [y, m, d] = lastVerifiedOn.split('-').map(Number);
  const total = y * 12 + (m - 1) + intervalMonths;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Today's date (YYYY-MM-DD) in Astana. */
export function astanaDate(at: Date): string {
  return astanaDateOf(at);
}

export type MetrologyStatus = 'ok' | 'due_soon' | 'overdue' | 'unknown';

/** W-35: overdue once the due date has passed; due soon within `soonDays` of it. */
export function metrologyStatus(next: string | null, today: string, soonDays = 30): MetrologyStatus {
  if (!next) return 'unknown';
  if (next < today) return 'overdue';
  if (next <= addDays(today, soonDays)) return 'due_soon';
  return 'ok';
}

/** Devices whose verification is due within `withinDays` of `today` (Astana date) or overdue, soonest first. */
export async function listVerificationsDue(db: DbOrTx, opts: { today: string; withinDays?: number }) {
  const until = addDays(opts.today, opts.withinDays ?? 30);
  const rows = await db
    .select({
      id: devices.id,
      serialNumber: devices.serialNumber,
      model: devices.model,
      kind: devices.kind,
      objectId: devices.objectId,
      entityId: waterObjects.entityId,
      lastVerifiedOn: devices.lastVerifiedOn,
      nextDueOn: devices.nextDueOn,
    })
    .from(devices)
    .innerJoin(waterObjects, eq(waterObjects.id, devices.objectId))
    .where(and(isNotNull(devices.nextDueOn), lte(devices.nextDueOn, until), eq(devices.status, 'active')))
    .orderBy(asc(devices.nextDueOn), asc(devices.serialNumber));
  return rows.map((r) => ({ ...r, status: metrologyStatus(r.nextDueOn, opts.today) }));
}
