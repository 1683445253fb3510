/**
 * Telemetry ingestion (W-18, W-23): validate → normalise → flag → one bulk INSERT … SELECT FROM unnest(…)
 * ON CONFLICT DO NOTHING whose RETURNING rows feed the hourly and daily rollup upserts in the same statement
 * (data-modifying CTEs), so the batch and its rollups commit or fail together. A re-sent reading conflicts on
 * (device_id, metric, ts) and is counted as a duplicate, never stored twice.
 */
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Db, DbOrTx } from '@/db/client';
import { devices, waterObjects, type DeviceRated } from '@/db/schema';
import { now as clockNow } from '@/lib/time/clock';
import { ASTANA_TZ } from '@/lib/time/zone';
import { DEFAULT_FILTER, rangeFlag, seriesFlags, type FilterConfig, type Point } from './filter';
import { FLAG } from './flags';
import { normalizeReading, REASON_TEXT, type Issue, type Metric, type ReadingField, type RejectReason } from './normalize';
import { ensurePartitionsForRange } from './partitions';
import { DEVICE_METRICS, type DeviceKind } from './registry';

/** Who posts: a device with its own token, or a gateway writing for the devices of its entity. */
export type Principal = { kind: 'device'; deviceId: string } | { kind: 'gateway'; gatewayId: string; entityId: string };

export type Rejected = { index: number; reason: RejectReason; field?: ReadingField; message: string; issues?: Issue[] };
export type IngestResult = { accepted: number; duplicates: number; rejected: Rejected[] };

export type IngestOptions = {
  /** Defaults to the portal clock. */
  now?: Date;
  maxFutureMs?: number;
  maxAgeDays?: number;
  filter?: FilterConfig;
};

type DeviceInfo = { id: string; serialNumber: string; kind: DeviceKind; rated: DeviceRated; status: string };

type Row = { deviceId: string; metric: Metric; ts: number; value: number; unit: string; flags: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const deviceColumns = {
  id: devices.id,
  serialNumber: devices.serialNumber,
  kind: devices.kind,
  rated: devices.rated,
  status: devices.status,
};

/** The devices a principal may write for, among those the batch names (by id or serial number). */
async function resolveDevices(db: DbOrTx, principal: Principal, refs: Set<string>): Promise<Map<string, DeviceInfo>> {
  const byRef = new Map<string, DeviceInfo>();
  if (principal.kind === 'device') {
    const [d] = await db.select(deviceColumns).from(devices).where(eq(devices.id, principal.deviceId));
    if (d) {
      byRef.set(d.id, d);
      byRef.set(d.serialNumber, d);
    }
    return byRef;
  }
  if (refs.size === 0) return byRef;
  const ids = [...refs].filter((r) => UUID.test(r)).map((r) => r.toLowerCase());
  const serials = [...refs];
  const conds: SQL[] = [inArray(devices.serialNumber, serials)];
  if (ids.length) conds.push(inArray(devices.id, ids));
  const rows = await db
    .select(deviceColumns)
    .from(devices)
    .innerJoin(waterObjects, eq(waterObjects.id, devices.objectId))
    .where(and(eq(waterObjects.entityId, principal.entityId), or(...conds)));
  for (const d of rows) {
    byRef.set(d.id, d);
    byRef.set(d.serialNumber, d);
  }
  return byRef;
}

function reject(index: number, issues: Issue[]): Rejected {
  const first = issues[0];
  return {
    index,
    reason: first.reason,
    field: first.field,
    message: REASON_TEXT[first.reason],
    ...(issues.length > 1 ? { issues } : {}),
  };
}

/** PostgreSQL array literal of numbers, uuids or plain tokens (none of which need quoting). */
function arr(xs: readonly (string | number)[]): string {
  return `{${xs.join(',')}}`;
}

type Series = { key: string; deviceId: string; metric: Metric; rows: Row[] };

const at = (msExpr: SQL) => sql`('epoch'::timestamptz + ${msExpr} * interval '1 millisecond')`;

/**
 * What is stored around each series of the batch, in one round trip: the points just before its first
 * instant (the spike/stuck reference, within the spike window) and the instants already stored inside its
 * span (the duplicates, found by one index range scan per series instead of a conflict check per row).
 */
async function loadStored(db: DbOrTx, series: Series[], cfg: FilterConfig) {
  const history = new Map<string, Point[]>();
  const existing = new Map<string, Set<number>>();
  const limit = Math.max(cfg.spikeWindow, 16);
  const rows = await db.execute<{ k: string; t: number; v: number; b: boolean }>(sql`
    select s.d::text || '|' || s.m as k, floor(extract(epoch from r.ts) * 1000)::float8 as t, r.value as v, r.b
    from unnest(${arr(series.map((x) => x.deviceId))}::uuid[], ${arr(series.map((x) => x.metric))}::text[],
                ${arr(series.map((x) => x.rows[0].ts))}::float8[], ${arr(series.map((x) => x.rows[x.rows.length - 1].ts))}::float8[])
      as s(d, m, lo, hi)
    cross join lateral (
      (select ts, value, true as b from readings
        where device_id = s.d and metric = s.m and ts < ${at(sql`s.lo`)} and ts >= ${at(sql`(s.lo - ${cfg.spikeWindowMs}::float8)`)}
        order by ts desc limit ${limit})
      union all
      (select ts, value, false as b from readings
        where device_id = s.d and metric = s.m and ts >= ${at(sql`s.lo`)} and ts <= ${at(sql`s.hi`)})
    ) r`);
  for (const r of rows) {
    if (r.b) {
      let list = history.get(r.k);
      if (!list) history.set(r.k, (list = []));
      list.push({ ts: Number(r.t), value: Number(r.v) });
    } else {
      let set = existing.get(r.k);
      if (!set) existing.set(r.k, (set = new Set()));
      set.add(Number(r.t));
    }
  }
  for (const list of history.values()) list.reverse();
  return { history, existing };
}

function rowArrays(rows: Row[]) {
  const n = rows.length;
  const d = new Array<string>(n), m = new Array<string>(n), u = new Array<string>(n);
  const t = new Array<number>(n), v = new Array<number>(n), f = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    d[i] = r.deviceId;
    m[i] = r.metric;
    u[i] = r.unit;
    t[i] = r.ts;
    v[i] = r.value;
    f[i] = r.flags;
  }
  return sql`unnest(${arr(d)}::uuid[], ${arr(m)}::text[], ${arr(t)}::float8[], ${arr(v)}::float8[], ${arr(u)}::text[], ${arr(f)}::int2[])
        as x(d, m, t, v, u, f)`;
}

const rollupUpdate = sql`
      count = r.count + excluded.count,
      sum = r.sum + excluded.sum,
      min = least(r.min, excluded.min),
      max = greatest(r.max, excluded.max),
      last = case when excluded.last_ts >= r.last_ts then excluded.last else r.last end,
      last_ts = greatest(r.last_ts, excluded.last_ts),
      flagged = r.flagged + excluded.flagged`;
const ASTANA = sql.raw(`'${ASTANA_TZ}'`);

type Agg = { d: string; m: string; b: number; c: number; s: number; mn: number; mx: number; l: number; lt: number; f: number };

/** Hourly aggregates of new rows (each series in time order). */
function hourlyAggregates(series: Series[]): Agg[] {
  const aggs: Agg[] = [];
  for (const s of series) {
    let cur: Agg | null = null;
    for (const r of s.rows) {
      const hour = r.ts - (((r.ts % 3_600_000) + 3_600_000) % 3_600_000);
      const flagged = r.flags ? 1 : 0;
      if (!cur || cur.b !== hour) {
        cur = { d: s.deviceId, m: s.metric, b: hour, c: 1, s: r.value, mn: r.value, mx: r.value, l: r.value, lt: r.ts, f: flagged };
        aggs.push(cur);
      } else {
        cur.c++;
        cur.s += r.value;
        cur.mn = Math.min(cur.mn, r.value);
        cur.mx = Math.max(cur.mx, r.value);
        cur.l = r.value; // rows are in time order: the latest so far
        cur.lt = r.ts;
        cur.f += flagged;
      }
    }
  }
  return aggs;
}

/**
 * The tail of a WITH statement that upserts hourly aggregates into readings_hourly and, grouped by Astana
 * day, into readings_daily. Hourly buckets roll up into Astana days exactly because every UTC offset
 * Kazakhstan has used is a whole number of hours.
 */
function rollupTail(aggs: Agg[]): SQL {
  const col = <K extends keyof Agg>(k: K) => arr(aggs.map((x) => x[k]));
  return sql`
    agg as (
      select d, m, ${at(sql`b`)} as b, c, s, mn, mx, l, ${at(sql`lt`)} as lt, f
      from unnest(${col('d')}::uuid[], ${col('m')}::text[], ${col('b')}::float8[], ${col('c')}::int[], ${col('s')}::float8[],
                  ${col('mn')}::float8[], ${col('mx')}::float8[], ${col('l')}::float8[], ${col('lt')}::float8[], ${col('f')}::int[])
        as y(d, m, b, c, s, mn, mx, l, lt, f)
    ),
    h as (
      insert into readings_hourly as r (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
      select d, m, b, c, s, mn, mx, l, lt, f from agg order by d, m, b
      on conflict (device_id, metric, bucket) do update set ${rollupUpdate}
    )
    insert into readings_daily as r (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
    select d, m, date_trunc('day', b, ${ASTANA}) as day, sum(c)::int, sum(s), min(mn), max(mx), (array_agg(l order by lt desc))[1], max(lt), sum(f)::int
    from agg group by d, m, day order by d, m, day
    on conflict (device_id, metric, bucket) do update set ${rollupUpdate}`;
}

// Advisory-lock namespace of telemetry series ('WATR'): writers of one series take turns.
const LOCK_CLASS = 0x57415452;

/** Raised when the stored rows changed between the duplicate check and the write: take the ON CONFLICT path. */
class StoredChanged extends Error {}

/** The series' spans as checked by loadStored, and how many stored rows were found in them. */
type Checked = { series: Series[]; stored: number };

/** Locks the series for the transaction, in one order so that two batches cannot deadlock. */
function lockSeries(c: Checked): SQL {
  return sql`
    select count(pg_advisory_xact_lock(${LOCK_CLASS}::int, k))::int as locked
    from (select distinct hashtext(x) as k from unnest(${arr(c.series.map((x) => x.key))}::text[]) as x order by 1) l`;
}

/**
 * How many rows the series' spans hold now. Run after lockSeries, as its own statement: in READ COMMITTED each
 * statement sees what was committed before it started, so this sees every writer that held the locks before us.
 */
function storedCount(c: Checked): SQL {
  return sql`
    select count(*)::int as stored
    from unnest(${arr(c.series.map((x) => x.deviceId))}::uuid[], ${arr(c.series.map((x) => x.metric))}::text[],
      ${arr(c.series.map((x) => x.rows[0].ts))}::float8[], ${arr(c.series.map((x) => x.rows[x.rows.length - 1].ts))}::float8[]) as s(d, m, lo, hi)
    join readings r on r.device_id = s.d and r.metric = s.m and r.ts >= ${at(sql`s.lo`)} and r.ts <= ${at(sql`s.hi`)}`;
}

/** The fast path on any connection: rows known to be new go in with a plain INSERT, rollups in the same statement. */
async function insertNew(db: DbOrTx, checked: Checked, series: Series[], receivedAt: Date): Promise<number> {
  await db.execute(lockSeries(checked));
  const [check] = await db.execute<{ stored: number }>(storedCount(checked));
  if (Number(check?.stored) !== checked.stored) throw new StoredChanged();
  const rows = series.flatMap((s) => s.rows);
  await db.execute(sql`
    with ins as (
      insert into readings (device_id, metric, ts, value, unit, flags, received_at)
      select x.d, x.m, ${at(sql`x.t`)}, x.v, x.u, x.f, ${receivedAt.toISOString()}::timestamptz
      from ${rowArrays(rows)}
    ),
    ${rollupTail(hourlyAggregates(series))}`);
  return rows.length;
}

const dialect = new PgDialect();
// Whether a top-level handle talks to a real PostgreSQL server (COPY FROM STDIN does not pass the PGlite socket).
const copyCapable = new WeakMap<object, boolean>();

/** The handle's postgres.js client when COPY can be used: a top-level handle (not a transaction) on a real server. */
async function copyClient(db: DbOrTx): Promise<postgres.Sql | null> {
  const client = (db as { $client?: postgres.Sql }).$client;
  if (!client || typeof client.begin !== 'function') return null;
  let ok = copyCapable.get(db);
  if (ok === undefined) {
    const [row] = await client<{ v: string }[]>`select version() as v`;
    ok = !/pglite|emscripten/i.test(row?.v ?? '');
    copyCapable.set(db, ok);
  }
  return ok ? client : null;
}

/** The fastest path on a real server: COPY the new rows and upsert the rollups in one transaction. */
async function copyNew(client: postgres.Sql, checked: Checked, series: Series[], receivedAt: Date): Promise<number> {
  const rec = receivedAt.toISOString();
  let text = '';
  let n = 0;
  for (const s of series) {
    const head = `${s.deviceId}\t${s.metric}\t`;
    for (const r of s.rows) {
      text += `${head}${new Date(r.ts).toISOString()}\t${r.value}\t${r.unit}\t${r.flags}\t${rec}\n`;
      n++;
    }
  }
  const rollup = dialect.sqlToQuery(sql`with ${rollupTail(hourlyAggregates(series))}`);
  const lock = dialect.sqlToQuery(lockSeries(checked));
  const recheck = dialect.sqlToQuery(storedCount(checked));
  await client.begin(async (tx) => {
    await tx.unsafe(lock.sql, lock.params as postgres.ParameterOrJSON<never>[]);
    const [check] = await tx.unsafe<{ stored: number }[]>(recheck.sql, recheck.params as postgres.ParameterOrJSON<never>[]);
    if (Number(check?.stored) !== checked.stored) throw new StoredChanged();
    // Under the series locks no ingest can collide with these rows. postgres.js does not report an error that
    // arrives after the end of COPY data (the stream simply never finishes), so a writer outside this module
    // colliding here is caught by the timer and the batch goes the ON CONFLICT way.
    const w = await tx`copy readings (device_id, metric, ts, value, unit, flags, received_at) from stdin`.writable();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StoredChanged('COPY did not complete')), 60_000);
      w.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      w.on('finish', () => {
        clearTimeout(timer);
        resolve();
      });
      w.end(text);
    });
    await tx.unsafe(rollup.sql, rollup.params as postgres.ParameterOrJSON<never>[]);
  });
  return n;
}

/**
 * The safe path, taken when a concurrent batch stored some of the same readings between our check and our
 * insert: ON CONFLICT DO NOTHING, and the rollups from what was really inserted (RETURNING).
 */
async function insertOnConflict(db: DbOrTx, checked: Checked, rows: Row[], receivedAt: Date): Promise<number> {
  return (db as Db).transaction(async (tx) => {
    await tx.execute(lockSeries(checked));
    return insertOnConflictUnlocked(tx, rows, receivedAt);
  });
}

async function insertOnConflictUnlocked(db: DbOrTx, rows: Row[], receivedAt: Date): Promise<number> {
  const rollup = (table: string, bucket: SQL) => sql`
    insert into ${sql.identifier(table)} as r (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
    select device_id, metric, ${bucket} as b, count(*), sum(value), min(value), max(value),
           (array_agg(value order by ts desc))[1], max(ts), count(*) filter (where flags <> 0)
    from ins group by device_id, metric, b
    order by device_id, metric, b
    on conflict (device_id, metric, bucket) do update set ${rollupUpdate}`;
  const result = await db.execute<{ n: number }>(sql`
    with ins as (
      insert into readings (device_id, metric, ts, value, unit, flags, received_at)
      select x.d, x.m, ${at(sql`x.t`)}, x.v, x.u, x.f, ${receivedAt.toISOString()}::timestamptz
      from ${rowArrays(rows)}
      on conflict do nothing
      returning device_id, metric, ts, value, flags
    ),
    h as (${rollup('readings_hourly', sql`date_trunc('hour', ts)`)}),
    dd as (${rollup('readings_daily', sql`date_trunc('day', ts, ${ASTANA})`)})
    select count(*)::int as n from ins`);
  return Number(result[0]?.n ?? 0);
}

function lostRace(e: unknown): boolean {
  return e instanceof StoredChanged || isUniqueViolation(e);
}

function isUniqueViolation(e: unknown): boolean {
  for (let x = e as { code?: unknown; cause?: unknown } | undefined, i = 0; x && i < 5; x = x.cause as typeof x, i++) {
    if (x.code === '23505') return true;
  }
  return false;
}

/**
 * Validates, normalises, flags and stores a batch of readings for a principal. Bad readings are reported by
 * index with a reason and the rest are stored; flagged readings are stored with their flags.
 */
export async function ingestReadings(
  db: DbOrTx,
  who: { principal: Principal },
  readings: readonly unknown[],
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const now = opts.now ?? clockNow();
  const cfg = opts.filter ?? DEFAULT_FILTER;
  const principal = who.principal;
  const rejected: Rejected[] = [];

  const normal = readings.map((raw) => normalizeReading(raw, { now, maxFutureMs: opts.maxFutureMs, maxAgeDays: opts.maxAgeDays }));
  const refs = new Set<string>();
  for (const n of normal) if (n.ok && n.reading.device !== undefined) refs.add(n.reading.device);
  const known = await resolveDevices(db, principal, refs);

  const rows: Row[] = [];
  // ids may arrive in upper case; the database returns them in lower case
  const lookup = (ref: string) => known.get(ref) ?? (UUID.test(ref) ? known.get(ref.toLowerCase()) : undefined);
  for (let i = 0; i < normal.length; i++) {
    const n = normal[i];
    if (!n.ok) {
      rejected.push(reject(i, n.issues));
      continue;
    }
    const r = n.reading;
    let dev: DeviceInfo | undefined;
    if (principal.kind === 'device') {
      dev = r.device === undefined ? known.get(principal.deviceId) : lookup(r.device);
    } else if (r.device === undefined) {
      rejected.push(reject(i, [{ field: 'device', reason: 'device_missing' }]));
      continue;
    } else dev = lookup(r.device);
    if (!dev) {
      rejected.push(reject(i, [{ field: 'device', reason: 'device_not_allowed' }]));
      continue;
    }
    if (dev.status !== 'active') {
      rejected.push(reject(i, [{ field: 'device', reason: 'device_inactive' }]));
      continue;
    }
    if (!DEVICE_METRICS[dev.kind].includes(r.metric)) {
      rejected.push(reject(i, [{ field: 'metric', reason: 'metric_not_measured' }]));
      continue;
    }
    const flags = rangeFlag(r.metric, r.value, dev.rated) | (r.converted ? FLAG.CONVERTED : 0);
    rows.push({ deviceId: dev.id, metric: r.metric, ts: r.ts, value: r.value, unit: r.unit, flags });
  }

  if (rows.length === 0) return { accepted: 0, duplicates: 0, rejected };

  // Sorting by the primary key keeps index inserts local and takes row locks in one order (no deadlocks
  // between concurrent batches touching the same series).
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    const x = rows[a], y = rows[b];
    return x.deviceId < y.deviceId ? -1 : x.deviceId > y.deviceId ? 1 : x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : x.ts - y.ts;
  });
  const sorted = order.map((i) => rows[i]);

  // Group into series; a reading repeated inside the batch is a duplicate of its first occurrence.
  const series: Series[] = [];
  let minTs = Infinity, maxTs = -Infinity;
  for (const r of sorted) {
    let s = series[series.length - 1];
    if (!s || s.deviceId !== r.deviceId || s.metric !== r.metric) {
      series.push((s = { key: `${r.deviceId}|${r.metric}`, deviceId: r.deviceId, metric: r.metric, rows: [] }));
    } else if (s.rows[s.rows.length - 1].ts === r.ts) {
      continue;
    }
    s.rows.push(r);
    if (r.ts < minTs) minTs = r.ts;
    if (r.ts > maxTs) maxTs = r.ts;
  }
  await ensurePartitionsForRange(db, minTs, maxTs);

  // Drop what is already stored, then flag spikes and stuck runs against the stored values just before.
  const { history, existing } = await loadStored(db, series, cfg);
  const fresh: Series[] = [];
  for (const s of series) {
    const stored = existing.get(s.key);
    const rows = stored ? s.rows.filter((r) => !stored.has(r.ts)) : s.rows;
    if (rows.length === 0) continue;
    const flags = seriesFlags(s.metric, history.get(s.key) ?? [], rows, cfg);
    for (let i = 0; i < rows.length; i++) rows[i].flags |= flags[i];
    fresh.push({ ...s, rows });
  }

  let inserted = 0;
  if (fresh.length > 0) {
    let stored = 0;
    for (const set of existing.values()) stored += set.size;
    const checked: Checked = { series, stored };
    try {
      const client = await copyClient(db);
      // Either way in its own transaction (a savepoint inside the caller's), so a lost race rolls back cleanly.
      inserted = client
        ? await copyNew(client, checked, fresh, now)
        : await (db as Db).transaction((tx) => insertNew(tx, checked, fresh, now));
    } catch (e) {
      if (!lostRace(e)) throw e;
      inserted = await insertOnConflict(db, checked, fresh.flatMap((s) => s.rows), now);
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: inserted, duplicates: rows.length - inserted, rejected };
}
