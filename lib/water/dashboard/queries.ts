/**
 * The water dashboards' queries (W-2, W-16, W-19, W-25, W-27, W-28, X-11), in one place. Time series come ONLY
 * from the rollups (readings_hourly for ranges ≤ 7 days, readings_daily beyond), never from raw readings, and
 * every query is filtered by the principal's scope (lib/water/access.ts): a utility sees its own, an akimat its
 * region, the authorised body the nation. Something outside the scope is "not found" (no existence leak).
 *
 * Volumes: a flow meter's rollup bucket holds the sum and count of flow readings (m³/h); its volume is the
 * bucket's mean flow × the bucket's hours. Supply (system input) of a utility is the flow at its treatment
 * plants, or at its intakes when it meters no treatment plant; distribution is the inflow of its DMAs;
 * consumption is the billed consumption the utility reported (W-12 figures), pro-rated to the range.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { regions, waterEntities, waterObjects } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { entityInScope, objectInScope, requireObjectInScope, type WaterScope } from '@/lib/water/access';
import { METRIC_NAMES } from '@/lib/water/normalize';
import type { TimeRange } from './range';
import { HOUR_MS } from '@/lib/time/astana';

/** The column name drizzle gives consumptionM3 (snake_case of the key). */
const CONSUMPTION_COL = 'consumption_m_3';

export function rollupTable(r: Pick<TimeRange, 'granularity'>): SQL {
  return r.granularity === 'hour' ? sql`readings_hourly` : sql`readings_daily`;
}
function bucketHours(r: Pick<TimeRange, 'granularity'>): number {
  return r.granularity === 'hour' ? 1 : 24;
}
function iso(d: Date): string {
  return d.toISOString();
}
function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

export type ObjectVolume = { objectId: string; entityId: string; regionId: string; kind: string; volumeM3: number; buckets: number };

/** Flow volume per metered object in the range (objects in scope matching `where`). */
export async function objectVolumes(db: DbOrTx, scope: WaterScope, range: TimeRange, where?: SQL): Promise<ObjectVolume[]> {
  const rows = await db.execute<{ object_id: string; entity_id: string; region_id: string; kind: string; volume: number; buckets: number }>(sql`
    select water_objects.id as object_id, water_objects.entity_id, water_objects.region_id, water_objects.kind::text as kind,
           coalesce(sum(x.v), 0) * ${bucketHours(range)} as volume, coalesce(sum(x.n), 0)::int as buckets
    from ${waterObjects}
    join devices d on d.object_id = water_objects.id and d.kind = 'flow_meter'
    -- One index range scan per meter (the rollup's key is device, metric, bucket).
    cross join lateral (
      select sum(r.sum / r.count) as v, count(*) as n from ${rollupTable(range)} r
      where r.device_id = d.id and r.metric = 'flow'
        and r.bucket >= ${iso(range.from)}::timestamptz and r.bucket < ${iso(range.to)}::timestamptz
    ) x
    where ${objectInScope(scope)} ${where ? sql`and ${where}` : sql``}
    group by water_objects.id, water_objects.entity_id, water_objects.region_id, water_objects.kind
    having coalesce(sum(x.n), 0) > 0`);
  return rows.map((r) => ({
    objectId: r.object_id,
    entityId: r.entity_id,
    regionId: r.region_id,
    kind: r.kind,
    volumeM3: num(r.volume),
    buckets: num(r.buckets),
  }));
}

export type Flows = { supplyM3: number; distributionM3: number };

/** Supply and DMA inflow per entity from the objects' volumes (treatment plants, else intakes). */
export function flowsByEntity(vols: readonly ObjectVolume[]): Map<string, Flows> {
  const out = new Map<string, Flows>();
  const byEntity = new Map<string, ObjectVolume[]>();
  for (const v of vols) byEntity.set(v.entityId, [...(byEntity.get(v.entityId) ?? []), v]);
  for (const [entityId, list] of byEntity) {
    const plants = list.filter((v) => v.kind === 'treatment_plant' && v.buckets > 0);
    const supplyPoints = plants.length ? plants : list.filter((v) => v.kind === 'intake');
    out.set(entityId, {
      supplyM3: supplyPoints.reduce((s, v) => s + v.volumeM3, 0),
      distributionM3: list.filter((v) => v.kind === 'dma').reduce((s, v) => s + v.volumeM3, 0),
    });
  }
  return out;
}

/** Reported billed consumption per entity, pro-rated to the range (latest version of each month's figures). */
export async function consumptionByEntity(db: DbOrTx, entityIds: readonly string[], range: TimeRange): Promise<Map<string, number>> {
  if (entityIds.length === 0) return new Map();
  return consumptionFor(db, inArray(sql`entity_id`, [...entityIds]), range);
}

async function consumptionFor(db: DbOrTx, entities: SQL, range: TimeRange): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  // Month boundaries in Astana: a figure for 'YYYY-MM-01' covers that calendar month.
  const rows = await db.execute<{ entity_id: string; consumption: number; share: number }>(sql`
    with f as (
      select distinct on (entity_id, period) entity_id, period, ${sql.identifier(CONSUMPTION_COL)} as consumption_m3
      from water_figures where ${entities}
      order by entity_id, period, version desc
    ), m as (
      select entity_id, consumption_m3,
             (period::timestamp at time zone 'Asia/Almaty') as ms,
             ((period + interval '1 month')::timestamp at time zone 'Asia/Almaty') as me
      from f
    )
    select entity_id,
           sum(consumption_m3 * extract(epoch from (least(me, ${iso(range.to)}::timestamptz) - greatest(ms, ${iso(range.from)}::timestamptz)))
               / extract(epoch from (me - ms))) as consumption,
           sum(extract(epoch from (least(me, ${iso(range.to)}::timestamptz) - greatest(ms, ${iso(range.from)}::timestamptz)))) as share
    from m where ms < ${iso(range.to)}::timestamptz and me > ${iso(range.from)}::timestamptz
    group by entity_id`);
  for (const r of rows) out.set(r.entity_id, num(r.consumption));
  return out;
}

/** consumptionByEntity for every entity in scope or owning an object in scope (no list of ids needed first). */
async function consumptionInScope(db: DbOrTx, scope: WaterScope, range: TimeRange): Promise<Map<string, number>> {
  return consumptionFor(db, sql`(entity_id in (select water_entities.id from ${waterEntities} where ${entityInScope(scope)})
      or entity_id in (select water_objects.entity_id from ${waterObjects} where ${objectInScope(scope)}))`, range);
}

export type AlertCounts = { open: number; active: number; critical: number };

/** W-27: open (not yet acknowledged) and active (not cleared) alerts per key, for objects in scope. */
async function alertCounts(db: DbOrTx, scope: WaterScope, key: SQL, where?: SQL): Promise<Map<string, AlertCounts>> {
  const rows = await db.execute<{ k: string; open: number; active: number; critical: number }>(sql`
    select ${key} as k,
           count(*) filter (where a.status = 'open')::int as open,
           count(*)::int as active,
           count(*) filter (where a.severity = 'critical')::int as critical
    from water_alerts a join ${waterObjects} on water_objects.id = a.object_id
    where a.status <> 'cleared' and ${objectInScope(scope)} ${where ? sql`and ${where}` : sql``}
    group by 1`);
  return new Map(rows.map((r) => [r.k, { open: num(r.open), active: num(r.active), critical: num(r.critical) }]));
}
const NO_ALERTS: AlertCounts = { open: 0, active: 0, critical: 0 };

type RegionInfo = { id: string; nameKk: string; nameRu: string; nameEn: string | null; code: string };
type RegionTree = { top: Map<string, string>; info: Map<string, RegionInfo>; at: number };

/**
 * The administrative tree (regions: seeded reference data that changes by migration or seed, not by users),
 * cached per database handle for a minute: every overview needs it, and reading it each time was a third of a
 * request's queries.
 */
const REGION_TTL_MS = 60_000;
const regionTrees = new WeakMap<object, Promise<RegionTree>>();

async function loadRegionTree(db: DbOrTx): Promise<RegionTree> {
  const rows = await db.execute<{ id: string; top_id: string; name_kk: string; name_ru: string; name_en: string | null; code: string }>(sql`
    with recursive t(id, top_id) as (
      select id, id from ${regions}
      where (parent_id is null and level <> 'national')
         or parent_id in (select id from ${regions} where level = 'national')
      union all
      select r.id, t.top_id from ${regions} r join t on r.parent_id = t.id
    ) select t.id, t.top_id, r.name_kk, r.name_ru, r.name_en, r.code from t join ${regions} r on r.id = t.id`);
  return {
    top: new Map(rows.map((r) => [r.id, r.top_id])),
    info: new Map(rows.map((r) => [r.id, { id: r.id, nameKk: r.name_kk, nameRu: r.name_ru, nameEn: r.name_en, code: r.code }])),
    at: Date.now(),
  };
}

/** Each region's top-level region (the children of the national node) and every region's names. */
async function regionTree(db: DbOrTx): Promise<RegionTree> {
  const cached = regionTrees.get(db);
  if (cached) {
    const tree = await cached.catch(() => null);
    if (tree && Date.now() - tree.at < REGION_TTL_MS) return tree;
  }
  const fresh = loadRegionTree(db);
  regionTrees.set(db, fresh);
  fresh.catch(() => regionTrees.delete(db));
  return fresh;
}

/** Regions in the subtree of `regionId` (itself included). */
async function subtree(db: DbOrTx, regionId: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    with recursive s(id) as (select ${regionId}::uuid union select r.id from ${regions} r join s on r.parent_id = s.id)
    select id from s`);
  return rows.map((r) => r.id);
}

export type Summary = {
  supplyM3: number;
  distributionM3: number;
  /** Billed consumption reported by the utilities (null: none reported for the range). */
  consumptionM3: number | null;
  /** (supply − consumption) / supply, %; null without supply or consumption. */
  nonRevenueWaterPercent: number | null;
  alerts: AlertCounts;
};

function summarise(flows: Flows[], consumption: (number | undefined)[], alerts: AlertCounts[]): Summary {
  const supplyM3 = flows.reduce((s, f) => s + f.supplyM3, 0);
  const distributionM3 = flows.reduce((s, f) => s + f.distributionM3, 0);
  const known = consumption.filter((c): c is number => c !== undefined);
  const consumptionM3 = known.length ? known.reduce((s, c) => s + c, 0) : null;
  return {
    supplyM3,
    distributionM3,
    consumptionM3,
    nonRevenueWaterPercent: consumptionM3 !== null && supplyM3 > 0 ? ((supplyM3 - consumptionM3) / supplyM3) * 100 : null,
    alerts: alerts.reduce((s, a) => ({ open: s.open + a.open, active: s.active + a.active, critical: s.critical + a.critical }), NO_ALERTS),
  };
}

export type RegionRow = { id: string; nameKk: string; nameRu: string; nameEn: string | null; code: string; entities: number; objects: number } & Summary;
export type Overview = { range: TimeRange; scope: WaterScope['level']; regions: RegionRow[]; totals: Summary };

/**
 * W-2 / W-27: the national overview — per top-level region: supply, DMA inflow, consumption, non-revenue
 * water %, open alerts. Limited to the scope: an akimat sees its region, a utility the regions it works in.
 */
export async function nationalOverview(db: DbOrTx, scope: WaterScope, range: TimeRange): Promise<Overview> {
  // One round of queries in parallel: the region tree (cached), volumes, the objects and entities in scope
  // (one statement), alerts and consumption (for the entities in scope or owning an object in scope).
  const [tree, vols, registry, alerts, consumption] = await Promise.all([
    regionTree(db),
    objectVolumes(db, scope, range),
    db.execute<{ t: 'o' | 'e'; id: string; region_id: string; entity_id: string | null }>(sql`
      select 'o' as t, water_objects.id, water_objects.region_id, water_objects.entity_id from ${waterObjects} where ${objectInScope(scope)}
      union all
      select 'e', water_entities.id, water_entities.region_id, null from ${waterEntities} where ${entityInScope(scope)}`),
    alertCounts(db, scope, sql`water_objects.region_id`),
    consumptionInScope(db, scope, range),
  ]);
  const tops = tree.top;
  const objs = registry.filter((r) => r.t === 'o').map((r) => ({ id: r.id, regionId: r.region_id, entityId: r.entity_id! }));
  const entityRows = registry.filter((r) => r.t === 'e').map((r) => ({ id: r.id, regionId: r.region_id }));
  const flows = flowsByEntity(vols);
  const entityIds = [...new Set([...objs.map((o) => o.entityId), ...entityRows.map((e) => e.id)])];
  const entityRegion = new Map(entityRows.map((e) => [e.id, e.regionId]));
  // An entity counts in the top region where it is registered, else where its first object lies.
  for (const o of objs) if (!entityRegion.has(o.entityId)) entityRegion.set(o.entityId, o.regionId);

  const visibleTops = new Set<string>();
  if (scope.level === 'national') for (const t of tops.values()) visibleTops.add(t);
  for (const o of objs) {
    const t = tops.get(o.regionId);
    if (t) visibleTops.add(t);
  }
  const regionInfo = [...visibleTops]
    .map((id) => tree.info.get(id))
    .filter((r): r is RegionInfo => r !== undefined)
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  // Per top region, in one pass each (no scan of every list per region).
  const entsByTop = new Map<string, string[]>();
  for (const e of entityIds) {
    const t = tops.get(entityRegion.get(e) ?? '');
    if (t) entsByTop.set(t, [...(entsByTop.get(t) ?? []), e]);
  }
  const objectsByTop = new Map<string, number>();
  for (const o of objs) {
    const t = tops.get(o.regionId);
    if (t) objectsByTop.set(t, (objectsByTop.get(t) ?? 0) + 1);
  }
  const alertsByTop = new Map<string, AlertCounts[]>();
  for (const [reg, a] of alerts) {
    const t = tops.get(reg);
    if (t) alertsByTop.set(t, [...(alertsByTop.get(t) ?? []), a]);
  }
  const rows: RegionRow[] = regionInfo.map((r) => {
    const ents = entsByTop.get(r.id) ?? [];
    return {
      ...r,
      entities: ents.length,
      objects: objectsByTop.get(r.id) ?? 0,
      ...summarise(
        ents.map((e) => flows.get(e) ?? { supplyM3: 0, distributionM3: 0 }),
        ents.map((e) => consumption.get(e)),
        alertsByTop.get(r.id) ?? [],
      ),
    };
  });
  return {
    range,
    scope: scope.level,
    regions: rows,
    totals: summarise([...flows.values()], entityIds.map((e) => consumption.get(e)), [...alerts.values()]),
  };
}

export type EntityRow = { id: string; name: string; bin: string; kind: string; objects: number } & Summary;
export type RegionDetail = {
  range: TimeRange;
  region: { id: string; nameKk: string; nameRu: string; nameEn: string | null; code: string; level: string };
  entities: EntityRow[];
};

/** Drill-down: a region → the utilities (entities) working in it, with their figures. 404 outside the scope. */
export async function regionDetail(db: DbOrTx, scope: WaterScope, regionId: string, range: TimeRange): Promise<RegionDetail> {
  if (!isUuid(regionId)) throw notFound('region');
  const [region] = await db
    .select({ id: regions.id, nameKk: regions.nameKk, nameRu: regions.nameRu, nameEn: regions.nameEn, code: regions.code, level: regions.level })
    .from(regions)
    .where(eq(regions.id, regionId));
  if (!region) throw notFound('region');
  const ids = await subtree(db, regionId);
  const inRegion = inArray(waterObjects.regionId, ids);
  const objs = await db
    .select({ id: waterObjects.id, entityId: waterObjects.entityId })
    .from(waterObjects)
    .where(and(objectInScope(scope), inRegion));
  // Visible when the scope is national, covers the region, or sees at least one object in it.
  const covers = scope.level === 'national' || scope.regionIds.includes(regionId) || objs.length > 0;
  if (!covers) throw notFound('region');
  const entityIds = [...new Set(objs.map((o) => o.entityId))];
  const [vols, alerts, ents, consumption] = await Promise.all([
    objectVolumes(db, scope, range, sql`water_objects.region_id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`),
    alertCounts(db, scope, sql`water_objects.entity_id`, sql`water_objects.region_id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`),
    entityIds.length
      ? db
          .select({ id: waterEntities.id, name: waterEntities.name, bin: waterEntities.bin, kind: waterEntities.kind })
          .from(waterEntities)
          .where(inArray(waterEntities.id, entityIds))
          .orderBy(waterEntities.name)
      : Promise.resolve([]),
    consumptionByEntity(db, entityIds, range),
  ]);
  const flows = flowsByEntity(vols);
  return {
    range,
    region,
    entities: ents.map((e) => ({
      ...e,
      objects: objs.filter((o) => o.entityId === e.id).length,
      ...summarise([flows.get(e.id) ?? { supplyM3: 0, distributionM3: 0 }], [consumption.get(e.id)], [alerts.get(e.id) ?? NO_ALERTS]),
    })),
  };
}

export type ObjectRow = {
  id: string;
  name: string;
  kind: string;
  criticality: string;
  regionId: string;
  parentId: string | null;
  volumeM3: number | null;
  lastTs: string | null;
  alerts: AlertCounts;
};
export type UtilityDetail = {
  range: TimeRange;
  entity: { id: string; name: string; bin: string; kind: string; regionId: string };
  summary: Summary;
  objects: ObjectRow[];
};

/** The entity, if it is in scope or owns an object in scope; else 404. */
export async function requireEntityVisible(db: DbOrTx, scope: WaterScope, entityId: string) {
  if (!isUuid(entityId)) throw notFound('entity');
  const [row] = await db
    .select({ id: waterEntities.id, name: waterEntities.name, bin: waterEntities.bin, kind: waterEntities.kind, regionId: waterEntities.regionId })
    .from(waterEntities)
    .where(
      and(
        eq(waterEntities.id, entityId),
        sql`(${entityInScope(scope)} or exists (select 1 from ${waterObjects} where ${waterObjects.entityId} = ${waterEntities.id} and ${objectInScope(scope)}))`,
      ),
    );
  if (!row) throw notFound('entity');
  return row;
}

/** Drill-down: a utility → its objects with volume, last data and alerts. */
export async function utilityDetail(db: DbOrTx, scope: WaterScope, entityId: string, range: TimeRange): Promise<UtilityDetail> {
  const entity = await requireEntityVisible(db, scope, entityId);
  const [objs, vols, alerts, last, consumption] = await Promise.all([
    db
      .select({
        id: waterObjects.id,
        name: waterObjects.name,
        kind: waterObjects.kind,
        criticality: waterObjects.criticality,
        regionId: waterObjects.regionId,
        parentId: waterObjects.parentId,
      })
      .from(waterObjects)
      .where(and(eq(waterObjects.entityId, entityId), objectInScope(scope)))
      .orderBy(waterObjects.kind, waterObjects.name),
    objectVolumes(db, scope, range, sql`water_objects.entity_id = ${entityId}::uuid`),
    alertCounts(db, scope, sql`water_objects.id`, sql`water_objects.entity_id = ${entityId}::uuid`),
    // The latest data per object, from the hourly rollup's last_ts (one index probe per device).
    db.execute<{ object_id: string; last_ts: string | Date | null }>(sql`
      select d.object_id, max(x.last_ts) as last_ts
      from devices d join ${waterObjects} on water_objects.id = d.object_id
      cross join lateral (select h.last_ts from readings_hourly h where h.device_id = d.id order by h.bucket desc limit 1) x
      where water_objects.entity_id = ${entityId}::uuid and ${objectInScope(scope)}
      group by d.object_id`),
    consumptionByEntity(db, [entityId], range),
  ]);
  const volOf = new Map(vols.map((v) => [v.objectId, v.volumeM3]));
  const lastOf = new Map(last.map((l) => [l.object_id, l.last_ts ? new Date(l.last_ts).toISOString() : null]));
  return {
    range,
    entity,
    summary: summarise([flowsByEntity(vols).get(entityId) ?? { supplyM3: 0, distributionM3: 0 }], [consumption.get(entityId)], [...alerts.values()]),
    objects: objs.map((o) => ({
      ...o,
      volumeM3: volOf.get(o.id) ?? null,
      lastTs: lastOf.get(o.id) ?? null,
      alerts: alerts.get(o.id) ?? NO_ALERTS,
    })),
  };
}

export type SeriesPoint = {
  ts: string;
  mean: number;
  min: number;
  max: number;
  count: number;
  flagged: number;
  /** Why this bucket is marked as an anomaly (empty: not marked). */
  anomaly: ('flagged' | 'alert')[];
};
export type Series = { deviceId: string; serialNumber: string; deviceKind: string; metric: string; points: SeriesPoint[] };
export type SeriesAlert = {
  id: string;
  type: string;
  severity: string;
  status: string;
  deviceId: string | null;
  firstSeen: string;
  lastSeen: string;
  value: number | null;
  limit: number | null;
};
export type ObjectDetail = {
  range: TimeRange;
  object: { id: string; name: string; kind: string; criticality: string; entityId: string; entityName: string; regionId: string };
  series: Series[];
  alerts: SeriesAlert[];
};

/**
 * An object's series (flow, pressure, …) per device and metric from the rollups, each bucket marked when its
 * readings carry quality flags or an alert of the object (or that device) was active during it.
 */
export async function objectDetail(db: DbOrTx, scope: WaterScope, objectId: string, range: TimeRange): Promise<ObjectDetail> {
  if (!isUuid(objectId)) throw notFound('object');
  const base = await requireObjectInScope(db, scope, objectId);
  const [[info], rows, alertRows] = await Promise.all([
    db
      .select({ kind: waterObjects.kind, criticality: waterObjects.criticality, entityName: waterEntities.name })
      .from(waterObjects)
      .innerJoin(waterEntities, eq(waterEntities.id, waterObjects.entityId))
      .where(eq(waterObjects.id, objectId)),
    db.execute<{
      device_id: string;
      serial_number: string;
      kind: string;
      metric: string;
      bucket: string | Date;
      mean: number;
      min: number;
      max: number;
      count: number;
      flagged: number;
    }>(sql`
      select d.id as device_id, d.serial_number, d.kind::text as kind, r.metric, r.bucket,
             r.sum / r.count as mean, r.min, r.max, r.count, r.flagged
      from devices d join ${rollupTable(range)} r on r.device_id = d.id
        and r.metric = any(${sql.raw(`array[${METRIC_NAMES.map((m) => `'${m}'`).join(',')}]`)})
        and r.bucket >= ${iso(range.from)}::timestamptz and r.bucket < ${iso(range.to)}::timestamptz
      where d.object_id = ${objectId}::uuid
      order by d.serial_number, r.metric, r.bucket`),
    db.execute<{
      id: string;
      type: string;
      severity: string;
      status: string;
      device_id: string | null;
      first_seen: string | Date;
      last_seen: string | Date;
      cleared_at: string | Date | null;
      value: number | null;
      limit: number | null;
    }>(sql`
      select id, type, severity::text, status::text, device_id, first_seen, last_seen, cleared_at, value, "limit"
      from water_alerts
      where object_id = ${objectId}::uuid and first_seen < ${iso(range.to)}::timestamptz
        and (status <> 'cleared' or coalesce(cleared_at, last_seen) >= ${iso(range.from)}::timestamptz)
      order by first_seen`),
  ]);
  const stepMs = bucketHours(range) * HOUR_MS;
  // An active alert lasts until now (the end of the range); a cleared one until it was cleared.
  const spans = alertRows.map((a) => ({
    deviceId: a.device_id,
    from: new Date(a.first_seen).getTime(),
    to: a.status === 'cleared' ? new Date(a.cleared_at ?? a.last_seen).getTime() : range.to.getTime(),
  }));
  const series: Series[] = [];
  for (const r of rows) {
    let s = series.at(-1);
    if (!s || s.deviceId !== r.device_id || s.metric !== r.metric) {
      s = { deviceId: r.device_id, serialNumber: r.serial_number, deviceKind: r.kind, metric: r.metric, points: [] };
      series.push(s);
    }
    const t = new Date(r.bucket).getTime();
    const anomaly: SeriesPoint['anomaly'] = [];
    if (num(r.flagged) > 0) anomaly.push('flagged');
    if (spans.some((a) => (a.deviceId === null || a.deviceId === r.device_id) && a.from < t + stepMs && a.to >= t)) anomaly.push('alert');
    s.points.push({
      ts: new Date(t).toISOString(),
      mean: num(r.mean),
      min: num(r.min),
      max: num(r.max),
      count: num(r.count),
      flagged: num(r.flagged),
      anomaly,
    });
  }
  return {
    range,
    object: { id: base.id, name: base.name, kind: info.kind, criticality: info.criticality, entityId: base.entityId, entityName: info.entityName, regionId: base.regionId },
    series,
    alerts: alertRows.map((a) => ({
      id: a.id,
      type: a.type,
      severity: a.severity,
      status: a.status,
      deviceId: a.device_id,
      firstSeen: new Date(a.first_seen).toISOString(),
      lastSeen: new Date(a.last_seen).toISOString(),
      value: a.value === null ? null : Number(a.value),
      limit: a.limit === null ? null : Number(a.limit),
    })),
  };
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

function notFound(what: 'region' | 'entity' | 'object'): AppError {
  return new AppError('not_found', `No such water ${what} in your access area.`);
}

/** The breadcrumb trail of a region (national → … → region), for the drill-down. */
export async function regionTrail(db: DbOrTx, regionId: string): Promise<{ id: string; nameKk: string; nameRu: string; nameEn: string | null; level: string }[]> {
  const rows = await db.execute<{ id: string; name_kk: string; name_ru: string; name_en: string | null; level: string; depth: number }>(sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from ${regions} where id = ${regionId}::uuid
      union all select r.id, r.parent_id, up.depth + 1 from ${regions} r join up on r.id = up.parent_id
    ) select r.id, r.name_kk, r.name_ru, r.name_en, r.level::text as level, up.depth from up join ${regions} r on r.id = up.id
    order by up.depth desc`);
  return rows.filter((r) => r.level !== 'national').map((r) => ({ id: r.id, nameKk: r.name_kk, nameRu: r.name_ru, nameEn: r.name_en, level: r.level }));
}
