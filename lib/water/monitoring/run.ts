/**
 * W-21, W-23, W-27, W-35: the monitoring pass. Reads the registry and the rollups, runs H10's pure checks and
 * persists the resulting alerts (store.ts). Realtime checks (every minute): device silence by criticality,
 * latest pressure / voltage against rated bounds, the seasonal band of the last complete hour of flow. Daily
 * checks: consumption above the norm (yesterday's daily rollup), minimum-night-flow leaks per DMA (02:00–05:00
 * Astana from readings_hourly), metrology verification due/overdue.
 *
 * Each candidate carries the instant of the data it came from (`observedAt`): a candidate no newer than the
 * active alert's last_seen is the same observation again and changes nothing, so re-running a pass over the
 * same data is idempotent while a genuinely new observation updates count/last_seen/value.
 */
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { devices, readingsDaily, readingsHourly, waterAlerts, waterObjects, type DeviceRated } from '@/db/schema';
import { HOUR_MS, astanaDateOf, astanaInstant, astanaMidnight, addDays, DAY_MS } from '@/lib/time/astana';
import {
  checkConsumption,
  checkPressure,
  checkSilence,
  checkVerification,
  clear,
  detectMnfLeak,
  escalate,
  mnfAlert,
  nightlyMinimums,
  observe,
  seasonalAlert,
  seasonalBand,
  type AlertCandidate,
  type ConsumptionNorm,
  type EscalationPolicy,
  type Point,
  checkVoltage,
} from '@/lib/water/analytics';
import { DEVICE_METRICS, type DeviceKind } from '@/lib/water/registry';
import { insertAlert, notifyAlert, rowToAlert, updateAlert, type AlertRow } from './store';

const WEEK_MS = 7 * DAY_MS;

/** Monitoring settings a device may carry in its `rated` JSON, besides H7's ranges and rated voltage. */
export type MonitoringRated = DeviceRated & {
  /** Operating pressure bounds, bar (W-23). */
  pressureMinBar?: number;
  pressureMaxBar?: number;
  /** Consumption norm for the flow through this meter (W-23). */
  consumptionNorm?: ConsumptionNorm;
  /** MNF thresholds of the DMA this meter feeds (m³/h and a fraction of the baseline). */
  mnfAbsoluteM3h?: number;
  mnfRelative?: number;
};

export type MonitoringOptions = {
  /** Also run the daily checks (consumption, MNF, verification). */
  daily?: boolean;
  /** Skip the realtime checks (the daily job). */
  realtime?: boolean;
  escalation?: EscalationPolicy;
};

export type MonitoringResult = { opened: number; updated: number; cleared: number; escalated: number; notified: number };

type Candidate = AlertCandidate & { objectId: string; observedAt: Date };

type ObjectRow = { id: string; entityId: string; regionId: string; kind: string; criticality: 'critical' | 'high' | 'normal' | 'low'; reportingIntervalSec: number | null };
type DeviceRow = { id: string; objectId: string; kind: DeviceKind; rated: MonitoringRated; nextDueOn: string | null };
type Latest = { deviceId: string; metric: string; last: number; lastTs: Date };

const keyOf = (type: string, objectId: string, deviceId: string | null | undefined) => `${type}|${objectId}|${deviceId ?? ''}`;

/** The latest hourly rollup row of every (device, metric) the devices can measure. */
async function latestValues(db: DbOrTx, devs: DeviceRow[]): Promise<Latest[]> {
  const pairs = devs.flatMap((d) => DEVICE_METRICS[d.kind].map((m) => [d.id, m] as const));
  if (pairs.length === 0) return [];
  const rows = await db.execute<{ device_id: string; metric: string; last: number; last_ts: string | Date }>(sql`
    select p.d as device_id, p.m as metric, h.last, h.last_ts
    from unnest(${`{${pairs.map((p) => p[0]).join(',')}}`}::uuid[], ${`{${pairs.map((p) => p[1]).join(',')}}`}::text[]) as p(d, m)
    cross join lateral (
      select last, last_ts from readings_hourly h where h.device_id = p.d and h.metric = p.m order by bucket desc limit 1
    ) h`);
  return rows.map((r) => ({ deviceId: r.device_id, metric: r.metric, last: Number(r.last), lastTs: new Date(r.last_ts) }));
}

function realtimeCandidates(now: Date, objects: Map<string, ObjectRow>, devs: DeviceRow[], latest: Latest[], evaluated: Set<string>): Candidate[] {
  const out: Candidate[] = [];
  const byDevice = new Map<string, Latest[]>();
  for (const l of latest) byDevice.set(l.deviceId, [...(byDevice.get(l.deviceId) ?? []), l]);
  for (const d of devs) {
    const o = objects.get(d.objectId)!;
    const values = byDevice.get(d.id) ?? [];
    const last = values.reduce<Date | null>((m, v) => (m === null || v.lastTs > m ? v.lastTs : m), null);
    const ref = { objectId: o.id, deviceId: d.id };
    // W-27: silence against the interval the object's criticality sets.
    evaluated.add(keyOf('device_silent', o.id, d.id));
    for (const c of checkSilence({ ...ref, lastReadingAt: last, at: now, criticality: o.criticality, expectedIntervalSec: o.reportingIntervalSec })) {
      out.push({ ...c, objectId: o.id, observedAt: now });
    }
    // W-23: only fresh values are judged (a stale one is the silence alert's business).
    const freshMs = 2 * 3600_000;
    for (const v of values) {
      if (now.getTime() - v.lastTs.getTime() > freshMs) continue;
      let cs: AlertCandidate[] = [];
      if (v.metric === 'pressure' && d.rated.pressureMinBar !== undefined && d.rated.pressureMaxBar !== undefined) {
        for (const t of ['pressure_low', 'pressure_high', 'night_pressure_high']) evaluated.add(keyOf(t, o.id, d.id));
        cs = checkPressure({ ...ref, value: v.last, minBar: d.rated.pressureMinBar, maxBar: d.rated.pressureMaxBar, at: v.lastTs });
      } else if (v.metric === 'voltage' && d.rated.ratedVoltageV) {
        evaluated.add(keyOf('voltage_deviation', o.id, d.id));
        cs = checkVoltage({ ...ref, value: v.last, ratedV: d.rated.ratedVoltageV });
      }
      for (const c of cs) out.push({ ...c, objectId: o.id, observedAt: v.lastTs });
    }
  }
  return out;
}

/** W-21: the last complete hour of every flow meter against the same hour of the previous weeks. */
async function seasonalCandidates(db: DbOrTx, now: Date, devs: DeviceRow[], evaluated: Set<string>): Promise<Candidate[]> {
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS; // Astana hours are whole UTC hours
  const buckets = [0, 1, 2, 3, 4, 5, 6].map((w) => new Date(hour - w * WEEK_MS));
  const flow = devs.filter((d) => d.kind === 'flow_meter');
  if (flow.length === 0) return [];
  const rows = await db
    .select({ deviceId: readingsHourly.deviceId, bucket: readingsHourly.bucket, sum: readingsHourly.sum, count: readingsHourly.count })
    .from(readingsHourly)
    .where(
      and(
        inArray(readingsHourly.deviceId, flow.map((d) => d.id)),
        eq(readingsHourly.metric, 'flow'),
        inArray(readingsHourly.bucket, buckets),
      ),
    );
  const out: Candidate[] = [];
  for (const d of flow) {
    const mine = rows.filter((r) => r.deviceId === d.id);
    const current = mine.find((r) => r.bucket.getTime() === hour);
    if (!current) continue;
    const history: Point[] = mine.filter((r) => r.bucket.getTime() < hour).map((r) => ({ ts: r.bucket, value: r.sum / r.count }));
    const band = seasonalBand(history, hour, { minMad: 0.01 });
    if (!band) continue;
    evaluated.add(keyOf('seasonal_above', d.objectId, d.id));
    evaluated.add(keyOf('seasonal_below', d.objectId, d.id));
    const c = seasonalAlert(current.sum / current.count, band, { objectId: d.objectId, deviceId: d.id, metric: 'flow' });
    if (c) out.push({ ...c, objectId: d.objectId, observedAt: new Date(hour + HOUR_MS) });
  }
  return out;
}

async function dailyCandidates(db: DbOrTx, now: Date, objects: Map<string, ObjectRow>, devs: DeviceRow[], evaluated: Set<string>): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const today = astanaDateOf(now);
  // W-35: verification due / overdue.
  for (const d of devs) {
    if (!d.nextDueOn) continue;
    evaluated.add(keyOf('verification_due', d.objectId, d.id));
    evaluated.add(keyOf('verification_overdue', d.objectId, d.id));
    for (const c of checkVerification({ objectId: d.objectId, deviceId: d.id, nextDueOn: d.nextDueOn, today })) {
      out.push({ ...c, objectId: d.objectId, observedAt: astanaMidnight(today) });
    }
  }
  // W-23: yesterday's consumption (mean flow m³/h × 24 h) against the norm.
  const yesterday = addDays(today, -1);
  const normed = devs.filter((d) => d.kind === 'flow_meter' && d.rated.consumptionNorm);
  if (normed.length) {
    const rows = await db
      .select({ deviceId: readingsDaily.deviceId, sum: readingsDaily.sum, count: readingsDaily.count })
      .from(readingsDaily)
      .where(and(inArray(readingsDaily.deviceId, normed.map((d) => d.id)), eq(readingsDaily.metric, 'flow'), eq(readingsDaily.bucket, astanaMidnight(yesterday))));
    for (const d of normed) {
      const r = rows.find((x) => x.deviceId === d.id);
      if (!r || r.count === 0) continue;
      evaluated.add(keyOf('consumption_above_norm', d.objectId, d.id));
      const volume = (r.sum / r.count) * 24;
      for (const c of checkConsumption({ objectId: d.objectId, deviceId: d.id, value: Math.round(volume * 1000) / 1000, norm: d.rated.consumptionNorm!, periodDays: 1 })) {
        out.push({ ...c, objectId: d.objectId, observedAt: astanaMidnight(today) });
      }
    }
  }
  // W-21: minimum night flow per DMA: the sum of its flow meters' hourly means, nights 02:00–05:00 Astana.
  const nightEnd = astanaInstant(today, '05:00');
  const lastNightEnd = now >= nightEnd ? nightEnd : new Date(nightEnd.getTime() - DAY_MS);
  for (const o of objects.values()) {
    if (o.kind !== 'dma') continue;
    const meters = devs.filter((d) => d.objectId === o.id && d.kind === 'flow_meter');
    if (meters.length === 0) continue;
    const rows = await db
      .select({ bucket: readingsHourly.bucket, mean: sql<number>`sum(${readingsHourly.sum} / ${readingsHourly.count})`.mapWith(Number) })
      .from(readingsHourly)
      .where(
        and(
          inArray(readingsHourly.deviceId, meters.map((d) => d.id)),
          eq(readingsHourly.metric, 'flow'),
          gte(readingsHourly.bucket, new Date(lastNightEnd.getTime() - 40 * DAY_MS)),
          lt(readingsHourly.bucket, lastNightEnd),
        ),
      )
      .groupBy(readingsHourly.bucket);
    const nights = nightlyMinimums(rows.map((r) => ({ ts: r.bucket, value: r.mean })));
    const rated = meters[0].rated;
    const result = detectMnfLeak(nights, { absoluteThreshold: rated.mnfAbsoluteM3h ?? 1, relativeThreshold: rated.mnfRelative ?? 0.2 });
    if (result.status === 'insufficient_baseline') continue;
    evaluated.add(keyOf('night_flow_high', o.id, null));
    const c = mnfAlert(result, { objectId: o.id });
    if (c) out.push({ ...c, objectId: o.id, observedAt: lastNightEnd });
  }
  return out;
}

/** Persists candidates, auto-clears evaluated conditions that ended, escalates what nobody acknowledged. */
async function persist(db: DbOrTx, now: Date, candidates: Candidate[], evaluated: Set<string>, policy?: EscalationPolicy): Promise<MonitoringResult> {
  const res: MonitoringResult = { opened: 0, updated: 0, cleared: 0, escalated: 0, notified: 0 };
  const active = await db.select().from(waterAlerts).where(sql`${waterAlerts.status} <> 'cleared'`);
  const byKey = new Map<string, AlertRow>(active.map((r) => [keyOf(r.type, r.objectId, r.deviceId), r]));
  const seen = new Set<string>();
  for (const c of candidates) {
    const k = keyOf(c.type, c.objectId, c.deviceId);
    seen.add(k);
    const row = byKey.get(k);
    if (row && row.lastSeen.getTime() >= c.observedAt.getTime()) continue; // the same observation again
    const { alert, action } = observe(row ? rowToAlert(row) : null, c, c.observedAt);
    if (action === 'opened') {
      const inserted = await insertAlert(db, alert);
      byKey.set(k, inserted);
      res.opened++;
      res.notified += await notifyAlert(db, inserted, 0);
    } else {
      byKey.set(k, await updateAlert(db, row!.id, alert));
      res.updated++;
    }
  }
  for (const [k, row] of byKey) {
    if (evaluated.has(k) && !seen.has(k) && row.status !== 'cleared') {
      // The condition was checked and no longer holds: the alert clears by itself (cleared_by null).
      byKey.set(k, await updateAlert(db, row.id, clear(rowToAlert(row), null, now)));
      res.cleared++;
    }
  }
  for (const row of byKey.values()) {
    if (row.status !== 'open') continue;
    const { alert, escalated } = escalate(rowToAlert(row), now, policy);
    if (!escalated) continue;
    const updated = await updateAlert(db, row.id, alert);
    res.escalated++;
    res.notified += await notifyAlert(db, updated, updated.escalationLevel);
  }
  return res;
}

/** One monitoring pass at `now` over every active device of every object. */
export async function runMonitoring(db: Db, now: Date, opts: MonitoringOptions = {}): Promise<MonitoringResult> {
  const objectRows: ObjectRow[] = await db
    .select({
      id: waterObjects.id,
      entityId: waterObjects.entityId,
      regionId: waterObjects.regionId,
      kind: waterObjects.kind,
      criticality: waterObjects.criticality,
      reportingIntervalSec: waterObjects.reportingIntervalSec,
    })
    .from(waterObjects);
  const objects = new Map(objectRows.map((o) => [o.id, o]));
  const devs: DeviceRow[] = (
    await db
      .select({ id: devices.id, objectId: devices.objectId, kind: devices.kind, rated: devices.rated, nextDueOn: devices.nextDueOn })
      .from(devices)
      .where(eq(devices.status, 'active'))
  ).map((d) => ({ ...d, rated: d.rated as MonitoringRated }));

  const evaluated = new Set<string>();
  const candidates: Candidate[] = [];
  if (opts.realtime !== false) {
    candidates.push(...realtimeCandidates(now, objects, devs, await latestValues(db, devs), evaluated));
    candidates.push(...(await seasonalCandidates(db, now, devs, evaluated)));
  }
  if (opts.daily) candidates.push(...(await dailyCandidates(db, now, objects, devs, evaluated)));
  return db.transaction((tx) => persist(tx, now, candidates, evaluated, opts.escalation));
}
