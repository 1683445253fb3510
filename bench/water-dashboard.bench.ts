/**
 * Water dashboard benchmark (issue 6): dashboard queries over ≥ 10 million readings (a year of 5-minute data)
 * through the rollups; goal p95 ≤ 50 ms. Run:
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/water-dashboard.bench.ts
 *
 * It creates a fresh database on that server, migrates it, seeds the demo registry plus synthetic utilities
 * (13 utilities × 8 series = 104 device series), generates the raw readings with generate_series (one
 * INSERT … SELECT per monthly partition) and the hourly and daily rollups directly in SQL, then measures
 * the national overview (24 h and 30 d), an object's 7-day and 30-day series, each ≥ 200 runs, one at a time
 * and with 10 and 50 requests in flight (the pool has 10 connections, as the app's), twice:
 * - as the app serves them (lib/water/dashboard/views.ts: the per-scope cache with single-flight, its real
 *   TTL of a few seconds, so a run that lasts longer recomputes as the app would): `BENCH water.dashboard.p95`
 *   (the worst of the four at 10 concurrent), `….p95.serial`, `….p95.c50`, and the cache's hit ratio;
 * - without the cache (the queries themselves): `….p95.uncached`, `….p95.serial.uncached`, `….p95.c50.uncached`;
 * and drops the database. BENCH_RUNS (default 200) sets the runs per query.
 */
import postgres from 'postgres';
import { connect, setDb, type Db } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { devices, waterEntities, waterObjects } from '@/db/schema';
import { now } from '@/lib/time/clock';
import type { WaterScope } from '@/lib/water/access';
import { dashboardCacheStats, invalidateDashboards, nationalOverview, objectDetail, objectView, overviewView, resolveRange } from '@/lib/water/dashboard';
import { ensureMonthPartitions, monthsBetween } from '@/lib/water/partitions';

const RUNS = Math.max(200, Number(process.env.BENCH_RUNS) || 200);
const CONCURRENCY = 10;
const EXTRA_UTILITIES = 11; // + the 2 demo utilities = 13
const HOUR_MS = 3_600_000;
const NATIONAL: WaterScope = { level: 'national', regionIds: [], entityIds: [] };

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

async function measure(name: string, fn: () => Promise<unknown>, concurrency = CONCURRENCY): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < RUNS) {
        next++;
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
    }),
  );
  const v = p95(times);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`  ${name} (${concurrency} concurrent): runs=${times.length} p50=${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms p95=${v.toFixed(1)} ms`);
  return v;
}

/**
 * The cached views as the app meets them: `concurrency` clients, each pausing `pauseMs` between requests, for
 * `durationMs` (several TTLs, so every TTL window pays its computation), cycling through several viewers' scopes.
 * Prints p50/p95/p99/max; returns the p95.
 */
async function measurePaced(name: string, fns: (() => Promise<unknown>)[], concurrency: number, durationMs: number, pauseMs: number): Promise<number> {
  const times: number[] = [];
  const end = performance.now() + durationMs;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const fn = fns[i++ % fns.length];
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    }),
  );
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  console.log(
    `  ${name} (${concurrency} clients, ${fns.length} scopes, ${durationMs / 1000} s): runs=${s.length} p50=${q(0.5).toFixed(1)} ms p95=${q(0.95).toFixed(1)} ms p99=${q(0.99).toFixed(1)} ms max=${s[s.length - 1].toFixed(1)} ms`,
  );
  return q(0.95);
}

/** Synthetic utilities like the demo ones: a treatment plant and an intake flow meter, 3 DMAs (flow + pressure). */
async function addUtilities(db: Db): Promise<void> {
  const regionKeys = ['astana', 'akmola-kokshetau', 'akmola-tselinograd', 'almaty-medeu'];
  for (let u = 0; u < EXTRA_UTILITIES; u++) {
    const entityId = demoWaterId(`bench:entity:${u}`);
    const regionId = demoWaterId(`region:${regionKeys[u % regionKeys.length]}`);
    await db.insert(waterEntities).values({ id: entityId, bin: `99024${String(u).padStart(7, '0')}`, name: `Bench utility ${u}`, kind: 'utility', regionId });
    const objs = [
      { k: 'wtp', kind: 'treatment_plant' as const },
      { k: 'intake', kind: 'intake' as const },
      ...[1, 2, 3].map((n) => ({ k: `dma${n}`, kind: 'dma' as const })),
    ];
    for (const o of objs) {
      const oid = demoWaterId(`bench:object:${u}:${o.k}`);
      await db.insert(waterObjects).values({ id: oid, entityId, regionId, kind: o.kind, name: `${o.k} ${u}`, connections: 3000, mainsLengthKm: 40, servicePipeLengthKm: 6, avgPressureBar: 3.5 });
      await db.insert(devices).values({ objectId: oid, kind: 'flow_meter', serialNumber: `BENCH-${u}-${o.k}-FM`, model: 'bench' });
      if (o.kind === 'dma') await db.insert(devices).values({ objectId: oid, kind: 'pressure_sensor', serialNumber: `BENCH-${u}-${o.k}-PR`, model: 'bench' });
    }
  }
}

async function main() {
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) throw new Error('Set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server.');
  const name = `bt_bench_dash_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const h = connect(url.toString(), { max: CONCURRENCY });
  try {
    setDb(h);
    await runMigrations(h.db);
    await seedWater(h.db);
    await addUtilities(h.db);

    // The series: every flow meter and pressure sensor (demo and synthetic), one metric each.
    await h.sql.unsafe(`create table bench_series as
      select d.id as device_id, case when d.kind = 'flow_meter' then 'flow' else 'pressure' end as metric,
             case when d.kind = 'flow_meter' then 100 + (abs(hashtext(d.id::text)) % 2000) else 3 + (abs(hashtext(d.id::text)) % 3) end::float8 as base
      from devices d where d.kind in ('flow_meter', 'pressure_sensor')`);
    const [{ n }] = await h.sql<{ n: number }[]>`select count(*)::int as n from bench_series`;

    const end = Math.floor(now().getTime() / HOUR_MS) * HOUR_MS;
    const start = end - 365 * 24 * HOUR_MS;
    const months = monthsBetween(start, end);
    await ensureMonthPartitions(h.db, months);
    // Value: a daily cycle (Astana hours) on the series' base, plus a little noise.
    const value = `s.base * (1 + 0.3 * sin(2 * pi() * extract(hour from ts at time zone 'Asia/Almaty') / 24)) * (0.98 + 0.04 * random())`;
    const t0 = performance.now();
    await h.sql.unsafe('set synchronous_commit = off');
    let raw = 0;
    for (const m of months) {
      // One statement per monthly partition (bounded by the year's window).
      const [{ lo, hi }] = await h.sql<{ lo: Date | string; hi: Date | string }[]>`
        select greatest((${`${m}-01`}::date::timestamp at time zone 'Asia/Almaty'), ${new Date(start).toISOString()}::timestamptz) as lo,
               least(((${`${m}-01`}::date + interval '1 month')::timestamp at time zone 'Asia/Almaty'), ${new Date(end).toISOString()}::timestamptz) as hi`;
      const r = await h.sql.unsafe(
        `insert into readings (device_id, metric, ts, value, unit, flags, received_at)
         select s.device_id, s.metric, ts, ${value}, case s.metric when 'flow' then 'm3/h' else 'bar' end, 0, ts
         from bench_series s cross join generate_series($1::timestamptz, $2::timestamptz - interval '5 minutes', interval '5 minutes') ts`,
        [new Date(lo).toISOString(), new Date(hi).toISOString()],
      );
      raw += r.count;
    }
    const rawSec = (performance.now() - t0) / 1000;
    console.log(`  generated ${raw} raw readings (${n} series, ${months.length} partitions) in ${rawSec.toFixed(1)} s`);

    const t1 = performance.now();
    // Rollups generated directly (12 readings per hour, 288 per day), with the same daily cycle.
    const hourly = await h.sql.unsafe(
      `insert into readings_hourly (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
       select s.device_id, s.metric, ts, 12, 12 * v, v * 0.97, v * 1.03, v, ts + interval '55 minutes', (random() < 0.002)::int
       from bench_series s cross join generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') ts
       cross join lateral (select ${value} as v) x`,
      [new Date(start).toISOString(), new Date(end).toISOString()],
    );
    const daily = await h.sql.unsafe(
      `insert into readings_daily (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
       select s.device_id, s.metric, d, 288, 288 * s.base, s.base * 0.7, s.base * 1.3, s.base, d + interval '1435 minutes', 0
       from bench_series s cross join generate_series(
         (date_trunc('day', $1::timestamptz, 'Asia/Almaty')), $2::timestamptz - interval '1 day', interval '1 day') d`,
      [new Date(start).toISOString(), new Date(end).toISOString()],
    );
    await h.sql.unsafe('analyze');
    console.log(`  generated ${hourly.count} hourly and ${daily.count} daily rollup rows in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

    const at = now();
    const r24 = resolveRange({ range: '24h' }, at);
    const r7 = resolveRange({ range: '7d' }, at);
    const r30 = resolveRange({ range: '30d' }, at);
    const dma = demoWaterId('object:astana:dma1');
    type Views = { overview: typeof nationalOverview; object: typeof objectDetail };
    const suite = async (label: string, v: Views, concurrency: number) => {
      const out = [
        await measure(`${label} national overview 24 h`, () => v.overview(h.db, NATIONAL, r24), concurrency),
        await measure(`${label} national overview 30 d`, () => v.overview(h.db, NATIONAL, r30), concurrency),
        await measure(`${label} object series 7 d (hourly)`, () => v.object(h.db, NATIONAL, dma, r7), concurrency),
        await measure(`${label} object series 30 d (daily)`, () => v.object(h.db, NATIONAL, dma, r30), concurrency),
      ];
      return Math.max(...out);
    };
    const uncached: Views = { overview: nationalOverview, object: objectDetail };
    // Viewers: the nation and three synthetic utilities (each its own scope, so its own cache entries).
    const viewers = [
      { scope: NATIONAL, object: dma },
      ...[0, 1, 2].map((u) => ({
        scope: { level: 'entity', regionIds: [], entityIds: [demoWaterId(`bench:entity:${u}`)] } as WaterScope,
        object: demoWaterId(`bench:object:${u}:dma1`),
      })),
    ];
    const cachedSuite = async (concurrency: number, pauseMs: number) => {
      const d = Number(process.env.BENCH_CACHED_SECONDS || 12) * 1000; // 4 TTLs
      invalidateDashboards();
      const out = [
        await measurePaced('cached national overview 24 h', viewers.map((v) => () => overviewView(h.db, v.scope, r24)), concurrency, d, pauseMs),
        await measurePaced('cached national overview 30 d', viewers.map((v) => () => overviewView(h.db, v.scope, r30)), concurrency, d, pauseMs),
        await measurePaced('cached object series 7 d (hourly)', viewers.map((v) => () => objectView(h.db, v.scope, v.object, r7)), concurrency, d, pauseMs),
        await measurePaced('cached object series 30 d (daily)', viewers.map((v) => () => objectView(h.db, v.scope, v.object, r30)), concurrency, d, pauseMs),
      ];
      return Math.max(...out);
    };
    // Uncached: the queries themselves, 10 and 50 in flight, then one at a time (without queueing on 2 cores).
    const u10 = await suite('uncached', uncached, CONCURRENCY);
    const u50 = await suite('uncached', uncached, 50);
    const u1 = await suite('uncached', uncached, 1);
    // As the app serves them: through the per-scope cache with its real TTL, for 4 TTLs, 4 viewers' scopes, clients
    // pausing 20 ms between requests (each TTL window starts with a computation that the requests then in flight
    // wait for). Each suite starts cold.
    const before = dashboardCacheStats();
    const c10 = await cachedSuite(CONCURRENCY, 20);
    const c50 = await cachedSuite(50, 20);
    const c1 = await cachedSuite(1, 20);
    const after = dashboardCacheStats();
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;
    console.log(`  host load average: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`BENCH water.dashboard.readings ${raw} rows`);
    console.log(`BENCH water.dashboard.generate ${rawSec.toFixed(1)} s`);
    console.log(`BENCH water.dashboard.p95 ${c10.toFixed(1)} ms (10 clients, as the app serves: per-scope cache, real TTL)`);
    console.log(`BENCH water.dashboard.p95.serial ${c1.toFixed(1)} ms (1 client, per-scope cache)`);
    console.log(`BENCH water.dashboard.p95.c50 ${c50.toFixed(1)} ms (50 clients, per-scope cache)`);
    console.log(`BENCH water.dashboard.cache.hits ${((hits / Math.max(1, hits + misses)) * 100).toFixed(1)} % (${hits} hits, ${misses} computed)`);
    console.log(`BENCH water.dashboard.p95.uncached ${u10.toFixed(1)} ms (10 concurrent, no cache)`);
    console.log(`BENCH water.dashboard.p95.serial.uncached ${u1.toFixed(1)} ms (1 at a time, no cache)`);
    console.log(`BENCH water.dashboard.p95.c50.uncached ${u50.toFixed(1)} ms (50 concurrent, no cache)`);
  } finally {
    setDb(null);
    await h.sql.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
