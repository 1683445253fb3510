/**
 * The dashboards' analytics over the rollups: the water balance (W-19) of a utility or a DMA for a period, and
 * demand forecast against actual (W-25, W-28) from hourly rollups, imported history and the region's weather. The maths
 * are lib/water/analytics' (the forecast: Prophet from @bsull/augurs);
 * this file gathers the inputs, scope-checked, and says which of them are estimated.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { waterEntities, waterObjects } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { backtest, computeWaterBalance, forecastWeek, type HourlyObservation, type WaterBalance } from '@/lib/water/analytics';
import { requireObjectInScope, type WaterScope } from '@/lib/water/access';
import { CLIMATOLOGY_DAYS, fillWeather, regionWeather, type WeatherSource } from '@/lib/water/weather/store';
import { consumptionByEntity, flowsByEntity, isUuid, objectVolumes, requireEntityVisible } from './queries';
import type { TimeRange } from './range';
import { HOUR_MS } from '@/lib/time/astana';
import { invalidateDashboards } from './cache';

/** 1 bar = 10.197 m of water head (UARL takes the pressure in metres). */
const M_PER_BAR = 10.197;

/**
 * Defaults for the components no meter or report measures (AWWA Free Water Audit Software defaults): unbilled
 * unmetered 1.25 % of system input, unauthorised consumption 0.25 % of system input, customer meters
 * under-registering 2 %. Shown as estimated.
 */
export const BALANCE_DEFAULTS = { unbilledUnmeteredPercent: 1.25, unauthorisedPercent: 0.25, customerMeterInaccuracyPercent: 2 } as const;

export type BalanceInputNote = {
  name: string;
  value: number;
  unit: string;
  source: 'rollups' | 'figures' | 'registry' | 'default';
  estimated: boolean;
};

export type BalanceTarget = { kind: 'entity'; id: string } | { kind: 'object'; id: string };

export type BalanceResult =
  | { status: 'ok'; target: BalanceTarget & { name: string }; range: TimeRange; balance: WaterBalance; inputs: BalanceInputNote[] }
  | {
      status: 'no_input' | 'no_consumption' | 'no_infrastructure' | 'impossible';
      target: BalanceTarget & { name: string };
      range: TimeRange;
      inputs: BalanceInputNote[];
      message: string;
    };

type Infra = { connections: number | null; mainsLengthKm: number | null; servicePipeLengthKm: number | null; avgPressureBar: number | null };

/** Sum of the infrastructure of several objects; the pressure weighted by connections. */
function sumInfra(list: Infra[]): Infra {
  const known = list.filter((o) => o.connections);
  if (known.length === 0) return { connections: null, mainsLengthKm: null, servicePipeLengthKm: null, avgPressureBar: null };
  const nc = known.reduce((s, o) => s + (o.connections ?? 0), 0);
  const withP = known.filter((o) => o.avgPressureBar !== null);
  return {
    connections: nc,
    mainsLengthKm: known.some((o) => o.mainsLengthKm === null) ? null : known.reduce((s, o) => s + (o.mainsLengthKm ?? 0), 0),
    servicePipeLengthKm: known.some((o) => o.servicePipeLengthKm === null) ? null : known.reduce((s, o) => s + (o.servicePipeLengthKm ?? 0), 0),
    avgPressureBar: withP.length
      ? withP.reduce((s, o) => s + (o.avgPressureBar ?? 0) * (o.connections ?? 0), 0) / withP.reduce((s, o) => s + (o.connections ?? 0), 0)
      : null,
  };
}

const infraCols = {
  connections: waterObjects.connections,
  mainsLengthKm: waterObjects.mainsLengthKm,
  servicePipeLengthKm: waterObjects.servicePipeLengthKm,
  avgPressureBar: waterObjects.avgPressureBar,
};

/**
 * W-19: the IWA/AWWA balance of a utility (entity) or a DMA (object) over the range.
 * - System input: the utility's supply (treatment plants, else intakes) or the DMA's inflow — from the rollups.
 * - Billed metered: the utility's reported consumption (W-12 figures) pro-rated to the range; for a DMA, that
 *   consumption × the DMA's share of the utility's connections (estimated).
 * - Unbilled, unauthorised, meter inaccuracy: defaults (estimated); data handling errors 0 (estimated).
 * - Nc, Lm, Lp, P: from the registry (the utility's networks, else its DMAs; the DMA's own fields).
 */
export async function waterBalanceFor(db: DbOrTx, scope: WaterScope, target: BalanceTarget, range: TimeRange): Promise<BalanceResult> {
  if (!isUuid(target.id)) throw new AppError('not_found', 'No such water entity or object in your access area.');
  let name: string;
  let entityId: string;
  let siv: number;
  let infra: Infra;
  let share = 1;
  const inputs: BalanceInputNote[] = [];
  const entityObjects = (eid: string) =>
    db.select({ kind: waterObjects.kind, ...infraCols }).from(waterObjects).where(and(eq(waterObjects.entityId, eid), inArray(waterObjects.kind, ['network', 'dma'])));

  if (target.kind === 'entity') {
    const e = await requireEntityVisible(db, scope, target.id);
    name = e.name;
    entityId = e.id;
    const vols = await objectVolumes(db, scope, range, sql`water_objects.entity_id = ${e.id}::uuid`);
    siv = flowsByEntity(vols).get(e.id)?.supplyM3 ?? 0;
    const objs = await entityObjects(e.id);
    const nets = objs.filter((o) => o.kind === 'network' && o.connections);
    infra = sumInfra(nets.length ? nets : objs.filter((o) => o.kind === 'dma'));
  } else {
    const o = await requireObjectInScope(db, scope, target.id);
    const [row] = await db.select({ kind: waterObjects.kind, ...infraCols }).from(waterObjects).where(eq(waterObjects.id, o.id));
    if (row.kind !== 'dma') throw new AppError('validation_failed', 'The water balance is computed for a utility or a DMA.', { object: 'not a DMA' });
    name = o.name;
    entityId = o.entityId;
    const vols = await objectVolumes(db, scope, range, sql`water_objects.id = ${o.id}::uuid`);
    siv = vols[0]?.volumeM3 ?? 0;
    infra = row;
    const objs = await entityObjects(o.entityId);
    const nets = objs.filter((x) => x.kind === 'network' && x.connections);
    const total = sumInfra(nets.length ? nets : objs.filter((x) => x.kind === 'dma')).connections;
    share = total && row.connections ? Math.min(1, row.connections / total) : 0;
  }
  const t = { ...target, name };
  inputs.push({ name: 'systemInputVolume', value: siv, unit: 'm3', source: 'rollups', estimated: false });
  if (!(siv > 0)) return { status: 'no_input', target: t, range, inputs, message: 'No metered system input in the range.' };

  const reported = (await consumptionByEntity(db, [entityId], range)).get(entityId);
  if (reported === undefined || share === 0) {
    return { status: 'no_consumption', target: t, range, inputs, message: 'No consumption figures reported for the range.' };
  }
  const billedMetered = reported * share;
  inputs.push({ name: 'billedMetered', value: billedMetered, unit: 'm3', source: 'figures', estimated: target.kind === 'object' });

  const periodDays = range.hours / 24;
  const d = BALANCE_DEFAULTS;
  const unbilledUnmetered = (siv * d.unbilledUnmeteredPercent) / 100;
  inputs.push(
    { name: 'billedUnmetered', value: 0, unit: 'm3', source: 'default', estimated: true },
    { name: 'unbilledMetered', value: 0, unit: 'm3', source: 'default', estimated: true },
    { name: 'unbilledUnmetered', value: unbilledUnmetered, unit: 'm3', source: 'default', estimated: true },
    { name: 'unauthorisedPercent', value: d.unauthorisedPercent, unit: '%', source: 'default', estimated: true },
    { name: 'customerMeterInaccuracyPercent', value: d.customerMeterInaccuracyPercent, unit: '%', source: 'default', estimated: true },
    { name: 'dataHandlingErrors', value: 0, unit: 'm3', source: 'default', estimated: true },
  );
  if (!infra.connections || infra.mainsLengthKm === null || infra.servicePipeLengthKm === null || infra.avgPressureBar === null) {
    return { status: 'no_infrastructure', target: t, range, inputs, message: 'Connections, mains length, service pipe length or pressure missing in the registry.' };
  }
  const pressureM = infra.avgPressureBar * M_PER_BAR;
  inputs.push(
    { name: 'serviceConnections', value: infra.connections, unit: '', source: 'registry', estimated: false },
    { name: 'mainsLengthKm', value: infra.mainsLengthKm, unit: 'km', source: 'registry', estimated: false },
    { name: 'privatePipeLengthKm', value: infra.servicePipeLengthKm, unit: 'km', source: 'registry', estimated: false },
    { name: 'averagePressureM', value: pressureM, unit: 'm', source: 'registry', estimated: false },
    { name: 'periodDays', value: periodDays, unit: 'd', source: 'rollups', estimated: false },
  );
  try {
    const balance = computeWaterBalance({
      systemInputVolume: siv,
      billedMetered,
      billedUnmetered: 0,
      unbilledMetered: 0,
      unbilledUnmetered,
      unauthorised: { percentOfSystemInput: d.unauthorisedPercent },
      customerMeterInaccuracyPercent: d.customerMeterInaccuracyPercent,
      dataHandlingErrors: 0,
      serviceConnections: infra.connections,
      mainsLengthKm: infra.mainsLengthKm,
      privatePipeLengthKm: infra.servicePipeLengthKm,
      averagePressureM: pressureM,
      periodDays,
    });
    return { status: 'ok', target: t, range, balance, inputs };
  } catch (e) {
    if (e instanceof AppError && e.code === 'water_balance_impossible') return { status: 'impossible', target: t, range, inputs, message: e.message };
    throw e;
  }
}

/** Weeks of hourly history the forecast reads (up to 6 to learn + 1 held back to measure accuracy). */
const HISTORY_WEEKS = 7;
/** Below this many hours (8 days: a week to learn, a day to hold back) no forecast is made. */
export const FORECAST_MIN_HOURS = 8 * 24;
/** Below this share of history hours with known weather, the model goes without weather. */
const MIN_WEATHER_COVERAGE = 0.9;

export type ForecastResult =
  | {
      status: 'ok';
      target: BalanceTarget & { name: string };
      /** Whether weather (temperature, precipitation) entered the model as regressors. */
      weather: boolean;
      /** Where the weather of the 168 forecast hours came from (hours per source). */
      weatherSources: { forecast: number; observed: number; climatology: number };
      model: string;
      /** Accuracy on the held-back hours (MAE in m³/h, MAPE in %). */
      accuracy: { mae: number; mape: number; n: number };
      /** The held-back hours: actual against what the model forecast for them. */
      backtest: { ts: string; actual: number; forecast: number }[];
      /** The next 7 days, hourly, with the 95 % interval. */
      forecast: { ts: string; value: number; lower: number; upper: number }[];
    }
  | { status: 'insufficient_history'; target: BalanceTarget & { name: string }; hours: number; message: string };

/**
 * Hourly demand (m³/h) of each object: the meters' hourly rollups (sum over an object's flow meters of each hour's
 * mean flow, complete hours only), else the history imported from CSV for that hour (flow, else consumption).
 */
async function hourlyDemandByObject(db: DbOrTx, objectIds: string[], from: Date, to: Date): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>(objectIds.map((id) => [id, new Map()]));
  if (objectIds.length === 0) return out;
  const ids = sql.join(objectIds.map((i) => sql`${i}::uuid`), sql`, `);
  const rows = await db.execute<{ object_id: string; bucket: string | Date; value: number; n: number; meters: number }>(sql`
    select d.object_id, r.bucket, sum(r.sum / r.count) as value, count(*)::int as n,
      (select count(*)::int from devices m where m.object_id = d.object_id and m.kind = 'flow_meter') as meters
    from devices d join readings_hourly r on r.device_id = d.id and r.metric = 'flow'
      and r.bucket >= ${from.toISOString()}::timestamptz and r.bucket < ${to.toISOString()}::timestamptz
    where d.kind = 'flow_meter' and d.object_id in (${ids})
    group by d.object_id, r.bucket`);
  // Hours where not every meter of the object reported would understate demand: keep only complete hours.
  for (const r of rows) if (Number(r.n) === Number(r.meters)) out.get(r.object_id)!.set(new Date(r.bucket).getTime(), Number(r.value));
  const imported = await db.execute<{ object_id: string; ts: string | Date; volume_m3: number }>(sql`
    select distinct on (object_id, ts) object_id, ts, volume_m3 from water_history_hourly
    where object_id in (${ids}) and ts >= ${from.toISOString()}::timestamptz and ts < ${to.toISOString()}::timestamptz
    order by object_id, ts, (metric = 'flow') desc`);
  for (const r of imported) {
    const m = out.get(r.object_id)!;
    const ts = new Date(r.ts).getTime();
    if (!m.has(ts)) m.set(ts, Number(r.volume_m3));
  }
  return out;
}

/** The hours where every object has demand, summed. */
function sumComplete(byObject: Map<string, Map<number, number>>): { ts: number; value: number }[] {
  const maps = [...byObject.values()];
  if (maps.length === 0) return [];
  const [first, ...rest] = maps;
  const out: { ts: number; value: number }[] = [];
  for (const [ts, v] of first) {
    let sum = v;
    let complete = true;
    for (const m of rest) {
      const x = m.get(ts);
      if (x === undefined) {
        complete = false;
        break;
      }
      sum += x;
    }
    if (complete) out.push({ ts, value: sum });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** Results per (target, hour, data version): a forecast is two Prophet fits, worth reusing for the hour. */
const cache = new Map<string, Promise<ForecastResult>>();
let dataVersion = 0;
/** Imports call this: the next forecasts are computed afresh. */
export function invalidateForecasts(): void {
  dataVersion++;
  cache.clear();
  invalidateDashboards();
}

/**
 * W-25 / W-28: forecast against actual for a DMA (object) or a utility (its supply points: treatment plants,
 * else intakes), with the weather of its region as the external factor. Learns from hourly rollups (and imported
 * history) with Prophet (@bsull/augurs), measures it on the last held-back week (a day at least), and forecasts
 * the next 7 days with the weather forecast of the region (the climatological mean where the forecast is missing).
 */
export async function forecastFor(db: DbOrTx, scope: WaterScope, target: BalanceTarget, at: Date): Promise<ForecastResult> {
  const subject = await visibleForecastSubject(db, scope, target);
  const end = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS; // the current, incomplete hour is left out
  const key = `${target.kind}:${target.id}:${end}:${dataVersion}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = computeForecast(db, subject, end).then((f) => f.result);
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
    if (cache.size > 200) cache.delete(cache.keys().next().value!);
  }
  return hit;
}

/** What a forecast is made of: the target (named), the objects whose demand is summed, the region of its weather. */
export type ForecastSubject = { target: BalanceTarget & { name: string }; objectIds: string[]; regionId: string };

/** The subject of a DMA (the object) or a utility (its treatment plants, else its intakes). */
async function subjectOf(db: DbOrTx, target: BalanceTarget, row: { name: string; regionId: string }): Promise<ForecastSubject> {
  const t = { ...target, name: row.name };
  if (target.kind === 'object') return { target: t, objectIds: [target.id], regionId: row.regionId };
  const objs = await db
    .select({ id: waterObjects.id, kind: waterObjects.kind })
    .from(waterObjects)
    .where(and(eq(waterObjects.entityId, target.id), inArray(waterObjects.kind, ['treatment_plant', 'intake'])));
  const plants = objs.filter((o) => o.kind === 'treatment_plant');
  return { target: t, objectIds: (plants.length ? plants : objs).map((o) => o.id), regionId: row.regionId };
}

/** The subject, if the target lies in the scope (W-16, X-11); else 404. */
export async function visibleForecastSubject(db: DbOrTx, scope: WaterScope, target: BalanceTarget): Promise<ForecastSubject> {
  if (!isUuid(target.id)) throw new AppError('not_found', 'No such water entity or object in your access area.');
  if (target.kind === 'entity') return subjectOf(db, target, await requireEntityVisible(db, scope, target.id));
  return subjectOf(db, target, await requireObjectInScope(db, scope, target.id));
}

/** The subject without a scope (the periodic job fits every DMA and utility). Null when the target is gone. */
export async function forecastSubject(db: DbOrTx, target: BalanceTarget): Promise<ForecastSubject | null> {
  const table = target.kind === 'entity' ? waterEntities : waterObjects;
  const [row] = await db.select({ name: table.name, regionId: table.regionId }).from(table).where(eq(table.id, target.id));
  return row ? subjectOf(db, target, row) : null;
}

export type WeatherUsed = { ts: string; temperature: number; precipitation: number; source: WeatherSource };
/** A fit: the answer, the weather of the forecast hours as used, the hours of history it had. */
export type FittedForecast = { result: ForecastResult; weatherUsed: WeatherUsed[]; historyHours: number; historyEnd: Date };

/** Fits and forecasts the subject with the hourly history up to `end` (an hour start, exclusive). */
export async function computeForecast(db: DbOrTx, subject: ForecastSubject, end: number): Promise<FittedForecast> {
  const { target: t, objectIds, regionId } = subject;
  const from = new Date(end - HISTORY_WEEKS * 168 * HOUR_MS);
  const hist = sumComplete(await hourlyDemandByObject(db, objectIds, from, new Date(end)));
  if (hist.length < FORECAST_MIN_HOURS) {
    return {
      result: { status: 'insufficient_history', target: t, hours: hist.length, message: 'The forecast needs at least 8 days of hourly data.' },
      weatherUsed: [],
      historyHours: hist.length,
      historyEnd: new Date(end),
    };
  }
  const last = hist[hist.length - 1].ts;
  const future = Array.from({ length: 168 }, (_, i) => last + (i + 1) * HOUR_MS);
  const known = await regionWeather(db, regionId, from, new Date(future[future.length - 1] + HOUR_MS));
  const basisFrom = last - CLIMATOLOGY_DAYS * 24 * HOUR_MS;
  const basis = known.filter((w) => w.source === 'observed' && w.ts > basisFrom && w.ts <= last);
  const knownHistory = new Set(known.map((w) => w.ts));
  const coverage = hist.filter((h) => knownHistory.has(h.ts)).length / hist.length;
  const histWeather = coverage >= MIN_WEATHER_COVERAGE ? fillWeather(hist.map((h) => h.ts), known, basis) : null;
  const futureWeather = histWeather ? fillWeather(future, known, basis) : null;
  const useWeather = Boolean(histWeather && futureWeather);

  const obs: HourlyObservation[] = hist.map((h, i) => ({
    ts: h.ts,
    value: h.value,
    ...(useWeather ? { temperature: histWeather![i].temperature, precipitation: histWeather![i].precipitation } : {}),
  }));
  const holdout = Math.min(168, hist.length - 168);
  const bt = await backtest(obs, holdout, { weather: useWeather });
  const fc = await forecastWeek(obs, useWeather ? futureWeather! : [], { weather: useWeather });
  const weatherSources = { forecast: 0, observed: 0, climatology: 0 };
  for (const w of futureWeather ?? []) weatherSources[w.source]++;
  return {
    result: {
      status: 'ok',
      target: t,
      weather: useWeather,
      weatherSources,
      model: useWeather ? 'prophet_weather' : 'prophet',
      accuracy: { mae: bt.mae, mape: bt.mape, n: bt.n },
      backtest: bt.points.map((p) => ({ ts: p.ts.toISOString(), actual: p.actual, forecast: p.forecast })),
      forecast: fc.points.map((p) => ({ ts: p.ts.toISOString(), value: p.value, lower: p.lower, upper: p.upper })),
    },
    weatherUsed: useWeather
      ? futureWeather!.map((w, i) => ({ ts: new Date(future[i]).toISOString(), temperature: w.temperature, precipitation: w.precipitation, source: w.source }))
      : [],
    historyHours: hist.length,
    historyEnd: new Date(end),
  };
}
