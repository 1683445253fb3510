/**
 * Telemetry ingestion (W-18, W-23): validate → normalise → group into series (device, metric) → in one
 * transaction: lock the series, read what is stored around them (duplicates and the spike/stuck reference),
 * flag, write the new rows and upsert the hourly and daily rollups. A re-sent reading (same device, metric
 * and time) is counted as a duplicate, never stored twice.
 *
 * On a real PostgreSQL server the rows go in by binary COPY (the series are locked and checked first, so no
 * conflict can arise among ingest writers) and the rollups from aggregates computed here; elsewhere (PGlite,
 * or inside a caller's transaction) by INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING whose RETURNING
 * rows feed the rollups in the same statement. Either way the batch and its rollups commit or fail together.
 */
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Db, DbOrTx } from '@/db/client';
import { devices, waterObjects, type DeviceRated } from '@/db/schema';
import { now as clockNow } from '@/lib/time/clock';
import { ASTANA_TZ } from '@/lib/time/zone';
import { DEFAULT_FILTER, rangeFlag, seriesFlags, type FilterConfig, type Point } from './filter';
import { FLAG } from './flags';
import { METRICS, normalizeReading, REASON_TEXT, type Issue, type Metric, type ReadingField, type RejectReason } from './normalize';
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

/** A reading of a series; `base` holds the flags known before the series is read (range, conversion). */
type Row = { ts: number; value: number; base: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const deviceColumns = {
  id: devices.id,
  serialNumber: devices.serialNumber,
  kind: devices.kind,
  rated: devices.rated,
  status: devices.status,
};

/** A PostgreSQL array literal of arbitrary texts (each quoted). */
function textArray(xs: Iterable<string>): string {
  const out: string[] = [];
  for (const x of xs) out.push(`"${x.replace(/[\\"]/g, '\\$&')}"`);
  return `{${out.join(',')}}`;
}

/**
 * The devices a principal may write for, among those the batch names (by id or serial number). One prepared
 * statement (a single round trip) whatever the number of names.
 */
async function resolveDevices(db: DbOrTx, principal: Principal, refs: Set<string>): Promise<Map<string, DeviceInfo>> {
  const byRef = new Map<string, DeviceInfo>();
  if (principal.kind === 'device') {
    const [d] = await db.select(deviceColumns).from(devices).where(eq(devices.id, principal.deviceId)).prepare('ingest_device').execute();
    if (d) {
      byRef.set(d.id, d);
      byRef.set(d.serialNumber, d);
    }
    return byRef;
  }
  if (refs.size === 0) return byRef;
  const ids: string[] = [];
  for (const r of refs) if (UUID.test(r)) ids.push(r.toLowerCase());
  const rows = await db
    .select(deviceColumns)
    .from(devices)
    .innerJoin(waterObjects, eq(waterObjects.id, devices.objectId))
    .where(
      and(
        eq(waterObjects.entityId, principal.entityId),
        or(sql`${devices.serialNumber} = any(${textArray(refs)}::text[])`, sql`${devices.id} = any(${arr(ids)}::uuid[])`),
      ),
    )
    .prepare('ingest_gateway_devices')
    .execute();
  for (const d of rows) {
    byRef.set(d.id, d);
    byRef.set(d.serialNumber, d);
  }
  return byRef;
}

/**
 * The device names a batch gives (gateway posts), read before validation so that the devices can be looked up
 * while the readings are normalised; a name that fails validation is looked up for nothing, which is harmless.
 * Texts with a NUL cannot be stored in PostgreSQL, so they name no device.
 */
function deviceRefs(readings: readonly unknown[]): Set<string> {
  const refs = new Set<string>();
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i];
    if (typeof r !== 'object' || r === null) continue;
    const d = (r as { device?: unknown }).device;
    if (typeof d === 'string' && d.length > 0 && d.length <= 100 && !d.includes('\0')) refs.add(d);
  }
  return refs;
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

/** One device's metric within the batch, its rows in time order without repeats. */
type Series = { key: string; deviceId: string; metric: Metric; unit: string; rows: Row[] };
/** The rows of a series that are not stored yet, with their final flags. */
type Fresh = { s: Series; rows: Row[]; flags: number[] };

const at = (msExpr: SQL) => sql`('epoch'::timestamptz + ${msExpr} * interval '1 millisecond')`;

// Advisory-lock namespace of telemetry series ('WATR'): writers of one series take turns.
const LOCK_CLASS = 0x57415452;

/** Locks the series for the transaction, in one order so that two batches cannot deadlock. */
function lockSeries(series: Series[]): SQL {
  return sql`
    select count(pg_advisory_xact_lock(${LOCK_CLASS}::int, k))::int as locked
    from (select distinct hashtext(x) as k from unnest(${arr(series.map((x) => x.key))}::text[]) as x order by 1) l`;
}

type StoredRow = { k: string; t: number; v: number; b: boolean };

/**
 * What is stored around each series, in one statement: the points just before its first instant (the
 * spike/stuck reference, within the spike window) and the instants already stored inside its span (the
 * duplicates, one index range scan per series). Run after lockSeries as its own statement: in READ COMMITTED
 * it then sees every writer that held the locks before us.
 */
function storedAround(series: Series[], cfg: FilterConfig): SQL {
  const limit = Math.max(cfg.spikeWindow, 16);
  return sql`
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
    ) r`;
}

/** Drops what is already stored and flags spikes and stuck runs against the stored values just before. */
function freshRows(series: Series[], stored: readonly StoredRow[], cfg: FilterConfig): Fresh[] {
  const history = new Map<string, Point[]>();
  const existing = new Map<string, Set<number>>();
  for (const r of stored) {
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
  const fresh: Fresh[] = [];
  for (const s of series) {
    const have = existing.get(s.key);
    const rows = have ? s.rows.filter((r) => !have.has(r.ts)) : s.rows;
    if (rows.length === 0) continue;
    const flags = seriesFlags(s.metric, (history.get(s.key) ?? []).reverse(), rows, cfg);
    for (let i = 0; i < rows.length; i++) flags[i] |= rows[i].base;
    fresh.push({ s, rows, flags });
  }
  return fresh;
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
function hourlyAggregates(fresh: Fresh[]): Agg[] {
  const aggs: Agg[] = [];
  for (const { s, rows, flags } of fresh) {
    let cur: Agg | null = null;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const hour = r.ts - (((r.ts % 3_600_000) + 3_600_000) % 3_600_000);
      const flagged = flags[i] ? 1 : 0;
      if (!cur || cur.b !== hour) {
        cur = { d: s.deviceId, m: s.metric, b: hour, c: 1, s: r.value, mn: r.value, mx: r.value, l: r.value, lt: r.ts, f: flagged };
        aggs.push(cur);
      } else {
        cur.c++;
        cur.s += r.value;
        if (r.value < cur.mn) cur.mn = r.value;
        if (r.value > cur.mx) cur.mx = r.value;
        cur.l = r.value; // rows are in time order: the latest so far
        cur.lt = r.ts;
        cur.f += flagged;
      }
    }
  }
  return aggs;
}

/**
 * A WITH statement that upserts hourly aggregates into readings_hourly and, grouped by Astana day, into
 * readings_daily. Hourly buckets roll up into Astana days exactly because every UTC offset Kazakhstan has used
 * is a whole number of hours.
 */
function rollupUpsert(aggs: Agg[]): SQL {
  const col = <K extends keyof Agg>(k: K) => arr(aggs.map((x) => x[k]));
  return sql`
    with agg as (
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

const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
const COPY_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const COPY_COLUMNS = 'device_id, metric, ts, value, unit, flags, received_at';

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

/** Writes a timestamptz (microseconds since 2000-01-01 UTC, big-endian int64) at `o`. */
function writeTimestamp(buf: Buffer, o: number, ms: number): void {
  const us = (ms - PG_EPOCH_MS) * 1000;
  if (Number.isSafeInteger(us)) {
    const hi = Math.floor(us / TWO_32);
    buf.writeInt32BE(hi, o);
    buf.writeUInt32BE(us - hi * TWO_32, o + 4);
  } else buf.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n, o);
}

/**
 * The new rows in PostgreSQL's binary COPY format: per series a row template holds the constant fields
 * (device, metric, unit, received_at); each row patches in ts, value and flags.
 */
function copyBinary(fresh: Fresh[], receivedAt: Date): Buffer {
  type Layout = { tpl: Buffer; tsAt: number; valueAt: number; flagsAt: number };
  const layouts: Layout[] = [];
  let size = COPY_HEADER.length + 2;
  for (const { s, rows } of fresh) {
    const metric = Buffer.from(s.metric, 'utf8');
    const unit = Buffer.from(s.unit, 'utf8');
    const len = 2 + (4 + 16) + (4 + metric.length) + (4 + 8) + (4 + 8) + (4 + unit.length) + (4 + 2) + (4 + 8);
    const tpl = Buffer.alloc(len);
    let o = tpl.writeInt16BE(7, 0);
    o = tpl.writeInt32BE(16, o);
    o += uuidBytes(s.deviceId).copy(tpl, o);
    o = tpl.writeInt32BE(metric.length, o);
    o += metric.copy(tpl, o);
    o = tpl.writeInt32BE(8, o);
    const tsAt = o;
    o = tpl.writeInt32BE(8, o + 8);
    const valueAt = o;
    o = tpl.writeInt32BE(unit.length, o + 8);
    o += unit.copy(tpl, o);
    o = tpl.writeInt32BE(2, o);
    const flagsAt = o;
    o = tpl.writeInt32BE(8, o + 2);
    writeTimestamp(tpl, o, receivedAt.getTime());
    layouts.push({ tpl, tsAt, valueAt, flagsAt });
    size += len * rows.length;
  }
  const buf = Buffer.allocUnsafe(size);
  let o = COPY_HEADER.copy(buf, 0);
  for (let k = 0; k < fresh.length; k++) {
    const { rows, flags } = fresh[k];
    const { tpl, tsAt, valueAt, flagsAt } = layouts[k];
    for (let i = 0; i < rows.length; i++) {
      tpl.copy(buf, o);
      writeTimestamp(buf, o + tsAt, rows[i].ts);
      buf.writeDoubleBE(rows[i].value, o + valueAt);
      buf.writeInt16BE(flags[i], o + flagsAt);
      o += tpl.length;
    }
  }
  buf.writeInt16BE(-1, o);
  return buf;
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

type Params = postgres.ParameterOrJSON<never>[];
/**
 * Statements run with a parameter array as named prepared statements: postgres.js otherwise describes each
 * one first (a round trip of its own) and holds back the statements queued behind it, so two statements
 * issued together would not share a round trip. The texts are fixed (the values are array parameters), so
 * each connection prepares them once.
 */
const PREPARED = { prepare: true } as const;

/**
 * Resolves once the statements issued just before are on the wire: postgres.js sends small messages from a
 * setImmediate, and synchronous work started now would otherwise hold them back. The second turn runs after
 * the driver's (queued during the first).
 */
function queriesSent(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
function raw(q: SQL): { sql: string; params: Params } {
  const x = dialect.sqlToQuery(q);
  return { sql: x.sql, params: x.params as Params };
}

/** Raised when a COPY does not complete: take the ON CONFLICT path. */
class CopyStalled extends Error {}

/** Errors that mean the session is gone (killed backend, server restart, network). */
function connectionLost(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('CONNECTION_') || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT' || code.startsWith('57P'))
  );
}

const never = new Promise<never>(() => {});

/**
 * The fast path on a real server, in one transaction: lock the series and read what is stored around them
 * (two statements, pipelined in one round trip), flag, binary COPY of the new rows, rollup upsert.
 *
 * When the session dies mid-way (PostgreSQL restarted, backend terminated), `begin` rejects at once and the
 * caller answers 5xx, so the client resends. The transaction's callback must then never issue another
 * statement nor settle: postgres.js 3.4 would send it — or its own ROLLBACK/COMMIT — on the pooled connection
 * object after it has reconnected, i.e. outside this transaction or inside another request's
 * (porsager/postgres#1208, #1215, #1216), and a stale COPY completion can fire there too. So once the session
 * is lost the callback parks on a promise that never settles.
 */
async function writeByCopy(client: postgres.Sql, series: Series[], cfg: FilterConfig, receivedAt: Date): Promise<number> {
  const lock = raw(lockSeries(series));
  const around = raw(storedAround(series, cfg));
  let lost = false;
  const step = async <T>(issue: () => Promise<T>): Promise<T> => {
    if (lost) return never;
    try {
      const v = await issue();
      return lost ? never : v;
    } catch (e) {
      if (lost || connectionLost(e)) {
        lost = true;
        return never;
      }
      throw e;
    }
  };
  const done = client.begin(async (tx) => {
    const [, stored] = await step(() => Promise.all([tx.unsafe(lock.sql, lock.params, PREPARED), tx.unsafe<StoredRow[]>(around.sql, around.params, PREPARED)]));
    const fresh = freshRows(series, stored, cfg);
    if (fresh.length === 0) return 0;
    const rollup = raw(rollupUpsert(hourlyAggregates(fresh)));
    // The rollup upsert (its place in the transaction does not matter) and the start of the COPY go out
    // together, and the rows are encoded while the server runs the upsert. The upsert must be sent first —
    // nothing else may reach the server once COPY data flows: execute() queues it now, and writable() queues
    // the COPY at least one microtask later.
    const upsert = tx.unsafe(rollup.sql, rollup.params, PREPARED);
    const copy = tx.unsafe(`copy readings (${COPY_COLUMNS}) from stdin (format binary)`);
    const ready = step(() => Promise.all([upsert.execute(), copy.writable()]));
    ready.catch(() => {}); // awaited below, after the turns of queriesSent
    await queriesSent();
    const data = copyBinary(fresh, receivedAt);
    const [, w] = await ready;
    // Under the series locks no ingest can collide with these rows. postgres.js does not report an error that
    // arrives after the end of COPY data (the stream simply never finishes), so a writer outside this module
    // colliding here is caught by the timer and the batch goes the ON CONFLICT way.
    await step(
      () =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new CopyStalled('COPY did not complete')), 30_000);
          timer.unref?.();
          w.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
          });
          w.on('finish', () => {
            clearTimeout(timer);
            resolve();
          });
          w.end(data);
        }),
    );
    let n = 0;
    for (const f of fresh) n += f.rows.length;
    return n;
  });
  done.catch(() => {
    lost = true;
  });
  return done;
}

function rowArrays(fresh: Fresh[]) {
  const d: string[] = [], m: string[] = [], u: string[] = [], t: number[] = [], v: number[] = [], f: number[] = [];
  for (const { s, rows, flags } of fresh) {
    for (let i = 0; i < rows.length; i++) {
      d.push(s.deviceId);
      m.push(s.metric);
      u.push(s.unit);
      t.push(rows[i].ts);
      v.push(rows[i].value);
      f.push(flags[i]);
    }
  }
  return sql`unnest(${arr(d)}::uuid[], ${arr(m)}::text[], ${arr(t)}::float8[], ${arr(v)}::float8[], ${arr(u)}::text[], ${arr(f)}::int2[])
        as x(d, m, t, v, u, f)`;
}

/**
 * The portable path (PGlite, a caller's transaction, or after a failed COPY), in one transaction (a savepoint
 * inside the caller's): lock, read around, flag, then INSERT … ON CONFLICT DO NOTHING and the rollups from
 * what was really inserted (RETURNING), so even a writer that ignores the locks cannot make a row count twice.
 */
async function writeByInsert(db: DbOrTx, series: Series[], cfg: FilterConfig, receivedAt: Date): Promise<number> {
  return (db as Db).transaction(async (tx) => {
    await tx.execute(lockSeries(series));
    const stored = await tx.execute<StoredRow>(storedAround(series, cfg));
    const fresh = freshRows(series, stored, cfg);
    if (fresh.length === 0) return 0;
    const rollup = (table: string, bucket: SQL) => sql`
      insert into ${sql.identifier(table)} as r (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
      select device_id, metric, ${bucket} as b, count(*), sum(value), min(value), max(value),
             (array_agg(value order by ts desc))[1], max(ts), count(*) filter (where flags <> 0)
      from ins group by device_id, metric, b
      order by device_id, metric, b
      on conflict (device_id, metric, bucket) do update set ${rollupUpdate}`;
    const result = await tx.execute<{ n: number }>(sql`
      with ins as (
        insert into readings (device_id, metric, ts, value, unit, flags, received_at)
        select x.d, x.m, ${at(sql`x.t`)}, x.v, x.u, x.f, ${receivedAt.toISOString()}::timestamptz
        from ${rowArrays(fresh)}
        order by x.d, x.m, x.t
        on conflict do nothing
        returning device_id, metric, ts, value, flags
      ),
      h as (${rollup('readings_hourly', sql`date_trunc('hour', ts)`)}),
      dd as (${rollup('readings_daily', sql`date_trunc('day', ts, ${ASTANA})`)})
      select count(*)::int as n from ins`);
    return Number(result[0]?.n ?? 0);
  });
}

function lostRace(e: unknown): boolean {
  for (let x = e as { code?: unknown; cause?: unknown } | undefined, i = 0; x && i < 5; x = x.cause as typeof x, i++) {
    if (x instanceof CopyStalled || x.code === '23505') return true;
  }
  return false;
}

const bySeries = (a: Series, b: Series) =>
  a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0;

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
  const vopts = { now, maxFutureMs: opts.maxFutureMs, maxAgeDays: opts.maxAgeDays };

  // The devices are looked up while the readings are normalised.
  const resolving = resolveDevices(db, principal, principal.kind === 'gateway' ? deviceRefs(readings) : new Set());
  resolving.catch(() => {}); // awaited below
  await queriesSent();
  const normal = new Array<ReturnType<typeof normalizeReading>>(readings.length);
  for (let i = 0; i < readings.length; i++) normal[i] = normalizeReading(readings[i], vopts);
  const known = await resolving;

  // ids may arrive in upper case; the database returns them in lower case
  const lookup = (ref: string) => known.get(ref) ?? (UUID.test(ref) ? known.get(ref.toLowerCase()) : undefined);
  // Rows go straight into their series (device, metric); a series found out of time order is sorted below.
  const bySeriesKey = new Map<DeviceInfo, Map<Metric, Series>>();
  const unsorted = new Set<Series>();
  let accepted = 0;
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
    let metrics = bySeriesKey.get(dev);
    if (!metrics) bySeriesKey.set(dev, (metrics = new Map()));
    let s = metrics.get(r.metric);
    if (!s) metrics.set(r.metric, (s = { key: `${dev.id}|${r.metric}`, deviceId: dev.id, metric: r.metric, unit: METRICS[r.metric].unit, rows: [] }));
    const rows = s.rows;
    if (rows.length > 0 && rows[rows.length - 1].ts >= r.ts) unsorted.add(s);
    rows.push({ ts: r.ts, value: r.value, base: rangeFlag(r.metric, r.value, dev.rated) | (r.converted ? FLAG.CONVERTED : 0) });
    accepted++;
  }
  if (accepted === 0) return { accepted: 0, duplicates: 0, rejected };

  // Series in primary-key order keep index inserts local and take locks in one order; a reading repeated
  // inside the batch is a duplicate of its first occurrence (the sort is stable).
  const series: Series[] = [];
  for (const metrics of bySeriesKey.values()) for (const s of metrics.values()) series.push(s);
  series.sort(bySeries);
  let minTs = Infinity, maxTs = -Infinity;
  for (const s of series) {
    if (unsorted.has(s)) {
      s.rows.sort((a, b) => a.ts - b.ts);
      s.rows = s.rows.filter((r, i, all) => i === 0 || all[i - 1].ts !== r.ts);
    }
    if (s.rows[0].ts < minTs) minTs = s.rows[0].ts;
    if (s.rows[s.rows.length - 1].ts > maxTs) maxTs = s.rows[s.rows.length - 1].ts;
  }
  await ensurePartitionsForRange(db, minTs, maxTs);

  let inserted: number;
  const client = await copyClient(db);
  try {
    inserted = client ? await writeByCopy(client, series, cfg, now) : await writeByInsert(db, series, cfg, now);
  } catch (e) {
    if (!client || !lostRace(e)) throw e;
    inserted = await writeByInsert(db, series, cfg, now);
  }
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: inserted, duplicates: accepted - inserted, rejected };
}
