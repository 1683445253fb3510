/**
 * The dashboards' analytics over the rollups: the water balance (W-19) of a utility or a DMA for a period, and
 * demand forecast against actual (W-25, W-28) from hourly rollups. The maths are H10's (lib/water/analytics);
 * this file gathers the inputs, scope-checked, and says which of them are estimated.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { waterObjects } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { backtest, computeWaterBalance, forecastWeek, type HourlyObservation, type WaterBalance } from '@/lib/water/analytics';
import { requireObjectInScope, type WaterScope } from '@/lib/water/access';
import { consumptionByEntity, flowsByEntity, isUuid, objectVolumes, requireEntityVisible } from './queries';
import type { TimeRange } from './range';

const HOUR_MS = 3_600_000;
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

/** Weeks of hourly history the forecast reads (4 to learn + 1 held back to measure accuracy). */
const HISTORY_WEEKS = 5;

export type ForecastResult =
  | {
      status: 'ok';
      target: BalanceTarget & { name: string };
      /** Whether weather entered the model (no weather source is connected yet: false). */
      weather: boolean;
      model: string;
      /** Accuracy on the last held-back week (MAE in m³/h, MAPE in %). */
      accuracy: { mae: number; mape: number; n: number };
      /** The held-back week: actual against what the model forecast for it. */
      backtest: { ts: string; actual: number; forecast: number }[];
      /** The next 7 days, hourly, with the interval. */
      forecast: { ts: string; value: number; lower: number; upper: number }[];
    }
  | { status: 'insufficient_history'; target: BalanceTarget & { name: string }; hours: number; message: string };

/** Hourly system input (m³/h) of the meters: sum over devices of each hour's mean flow. */
async function hourlyDemand(db: DbOrTx, objectIds: string[], from: Date, to: Date): Promise<{ ts: number; value: number }[]> {
  if (objectIds.length === 0) return [];
  const rows = await db.execute<{ bucket: string | Date; value: number; n: number }>(sql`
    select r.bucket, sum(r.sum / r.count) as value, count(*)::int as n
    from devices d join readings_hourly r on r.device_id = d.id and r.metric = 'flow'
      and r.bucket >= ${from.toISOString()}::timestamptz and r.bucket < ${to.toISOString()}::timestamptz
    where d.kind = 'flow_meter' and d.object_id in (${sql.join(objectIds.map((i) => sql`${i}::uuid`), sql`, `)})
    group by r.bucket order by r.bucket`);
  // Hours where not every meter reported would understate demand: keep only complete hours.
  const meters = Math.max(...rows.map((r) => Number(r.n)));
  return rows.filter((r) => Number(r.n) === meters).map((r) => ({ ts: new Date(r.bucket).getTime(), value: Number(r.value) }));
}

/**
 * W-25 / W-28: forecast against actual for a DMA (object) or a utility (its supply points). Fits H10's model
 * on hourly rollups, measures it on the last held-back week, and forecasts the next 7 days. No weather source is
 * connected, so the weather terms are constant (they drop out) and `weather` is false.
 */
export async function forecastFor(db: DbOrTx, scope: WaterScope, target: BalanceTarget, at: Date): Promise<ForecastResult> {
  if (!isUuid(target.id)) throw new AppError('not_found', 'No such water entity or object in your access area.');
  let name: string;
  let objectIds: string[];
  if (target.kind === 'entity') {
    const e = await requireEntityVisible(db, scope, target.id);
    name = e.name;
    const objs = await db
      .select({ id: waterObjects.id, kind: waterObjects.kind })
      .from(waterObjects)
      .where(and(eq(waterObjects.entityId, e.id), inArray(waterObjects.kind, ['treatment_plant', 'intake'])));
    const plants = objs.filter((o) => o.kind === 'treatment_plant');
    objectIds = (plants.length ? plants : objs).map((o) => o.id);
  } else {
    const o = await requireObjectInScope(db, scope, target.id);
    name = o.name;
    objectIds = [o.id];
  }
  const t = { ...target, name };
  const end = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS; // the current, incomplete hour is left out
  const hist = await hourlyDemand(db, objectIds, new Date(end - HISTORY_WEEKS * 168 * HOUR_MS), new Date(end));
  if (hist.length < 2 * 168) {
    return { status: 'insufficient_history', target: t, hours: hist.length, message: 'The forecast needs at least two weeks of hourly data.' };
  }
  const obs: HourlyObservation[] = hist.map((h) => ({ ts: h.ts, value: h.value, temperature: 0, precipitation: 0 }));
  const bt = backtest(obs, 168);
  const last = hist[hist.length - 1].ts;
  const weather = Array.from({ length: 168 }, (_, i) => ({ ts: last + (i + 1) * HOUR_MS, temperature: 0, precipitation: 0 }));
  const fc = forecastWeek(obs, weather);
  return {
    status: 'ok',
    target: t,
    weather: false,
    model: 'seasonal_weather_ols',
    accuracy: { mae: bt.mae, mape: bt.mape, n: bt.n },
    backtest: bt.points.map((p) => ({ ts: p.ts.toISOString(), actual: p.actual, forecast: p.forecast })),
    forecast: fc.points.map((p) => ({ ts: p.ts.toISOString(), value: p.value, lower: p.lower, upper: p.upper })),
  };
}
