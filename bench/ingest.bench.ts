/**
 * Telemetry ingestion benchmark (issue 6): readings per second (a) through the route handler — validated,
 * normalised, flagged, de-duplicated, rollups upserted — in batches of 10,000, and (b) raw COPY of the same
 * kind of rows into the same partitioned table. Both measure only the time spent in the handler / the COPY
 * (building the payloads is the client's work and is not timed). Run:
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/ingest.bench.ts
 *
 * It creates a fresh database on that server, migrates and seeds it, and drops it at the end.
 * BENCH_SECONDS (default 10) sets each phase's duration.
 */
import crypto from 'node:crypto';
import postgres from 'postgres';
import { connect, setDb } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { DEMO_WATER_SECRETS, seedWater } from '@/db/seed/water';
import { ensureReadingPartitions } from '@/lib/water/partitions';
import { handleTelemetryPost } from '@/lib/water/telemetry-http';

const BATCH = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS) || 10;
// The Astana utility's flow meters and pressure sensors, addressed by serial number through its gateway.
const SERIES = [
  ['AST-INT-FM', 'flow', 'm3/h', 2400],
  ['AST-WTP-FM', 'flow', 'm3/h', 2300],
  ['AST-PS-PR', 'pressure', 'bar', 5.5],
  ['AST-DMA1-FM', 'flow', 'm3/h', 180],
  ['AST-DMA2-FM', 'flow', 'm3/h', 210],
  ['AST-DMA3-FM', 'flow', 'm3/h', 260],
  ['AST-DMA1-PR', 'pressure', 'bar', 3.4],
  ['AST-DMA2-PR', 'pressure', 'bar', 3.7],
] as const;

function isoAstana(ms: number): string {
  return new Date(ms + 5 * 3_600_000).toISOString().replace('Z', '+05:00');
}

/** One request body: BATCH readings spread over the series, one per second per series from `startMs`. */
function routeBody(startMs: number): string {
  const per = BATCH / SERIES.length;
  const parts: string[] = [];
  for (const [serial, metric, unit, base] of SERIES) {
    for (let i = 0; i < per; i++) {
      const value = Math.round(base * (1 + 0.05 * Math.sin(i / 300) + 0.01 * (Math.random() - 0.5)) * 1000) / 1000;
      parts.push(`{"device":"${serial}","metric":"${metric}","ts":"${isoAstana(startMs + i * 1000)}","value":${value},"unit":"${unit}"}`);
    }
  }
  return `[${parts.join(',')}]`;
}

/** The same rows as COPY text (tab-separated). */
function copyText(ids: Map<string, string>, startMs: number): string {
  const per = BATCH / SERIES.length;
  const lines: string[] = [];
  const received = new Date().toISOString();
  for (const [serial, metric, unit, base] of SERIES) {
    const id = ids.get(serial)!;
    for (let i = 0; i < per; i++) {
      const value = Math.round(base * (1 + 0.05 * Math.sin(i / 300) + 0.01 * (Math.random() - 0.5)) * 1000) / 1000;
      lines.push(`${id}\t${metric}\t${new Date(startMs + i * 1000).toISOString()}\t${value}\t${unit}\t0\t${received}`);
    }
  }
  return lines.join('\n') + '\n';
}

async function main() {
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) throw new Error('Set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server.');
  const name = `bt_bench_ingest_${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const h = connect(url.toString(), { max: 4 });
  try {
    setDb(h);
    await runMigrations(h.db);
    await seedWater(h.db);
    const ids = new Map<string, string>(
      (await h.sql<{ serial_number: string; id: string }[]>`select serial_number, id::text from devices`).map((r) => [r.serial_number, r.id]),
    );

    // (a) through the route handler
    const span = (BATCH / SERIES.length) * 1000;
    let t0 = Date.now() - 300 * 86_400_000;
    t0 -= t0 % 1000;
    await ensureReadingPartitions(h.db, new Date(t0), 13);
    const headers = { authorization: `Bearer ${DEMO_WATER_SECRETS.astanaGateway}`, 'content-type': 'application/json' };
    const post = async (body: string) => {
      const res = await handleTelemetryPost(new Request('http://localhost/api/v1/telemetry', { method: 'POST', headers, body }));
      const out = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
      if (res.status !== 200 || out.rejected.length) throw new Error(`route answered ${res.status}: ${JSON.stringify(out).slice(0, 300)}`);
      return out;
    };
    for (let w = 0; w < 2; w++, t0 += span) await post(routeBody(t0)); // warm-up (JIT, prepared statements)
    let routeRows = 0;
    let routeMs = 0;
    let dupCheck = 0;
    while (routeMs < SECONDS * 1000) {
      const body = routeBody(t0);
      t0 += span;
      const started = performance.now();
      const out = await post(body);
      routeMs += performance.now() - started;
      routeRows += out.accepted;
      dupCheck += out.duplicates;
    }
    // A re-post of the last batch: all duplicates, nothing stored twice.
    const replay = await post(routeBody(t0 - span));
    const routeRate = routeRows / (routeMs / 1000);
    console.log(`BENCH ingest.route ${Math.round(routeRate)} readings/s (${routeRows} readings in ${(routeMs / 1000).toFixed(1)} s, batches of ${BATCH}, duplicates ${dupCheck}, replay → ${replay.duplicates} duplicates)`);

    // (b) raw COPY into the same table, a separate time range (COPY has no ON CONFLICT)
    let c0 = Date.now() - 150 * 86_400_000;
    c0 -= c0 % 1000;
    await ensureReadingPartitions(h.db, new Date(c0), 6);
    const copy = async (text: string) => {
      const w = await h.sql`copy readings (device_id, metric, ts, value, unit, flags, received_at) from stdin`.writable();
      await new Promise<void>((resolve, reject) => {
        w.on('error', reject);
        w.on('finish', resolve);
        w.end(text);
      });
    };
    for (let w = 0; w < 2; w++, c0 += span) await copy(copyText(ids, c0));
    let copyRows = 0;
    let copyMs = 0;
    while (copyMs < SECONDS * 1000) {
      const text = copyText(ids, c0);
      c0 += span;
      const started = performance.now();
      await copy(text);
      copyMs += performance.now() - started;
      copyRows += BATCH;
    }
    const copyRate = copyRows / (copyMs / 1000);
    console.log(`BENCH ingest.copy ${Math.round(copyRate)} readings/s (${copyRows} readings in ${(copyMs / 1000).toFixed(1)} s)`);
    console.log(`BENCH ingest.ratio ${(routeRate / copyRate).toFixed(2)} (route / COPY; goal ≥ 0.5 and route ≥ 100000 readings/s)`);
  } finally {
    setDb(null);
    await h.sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
