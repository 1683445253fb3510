/**
 * Telemetry ingestion benchmark (issue 6): readings per second (a) through the route — the Next route function
 * `POST` of app/api/v1/telemetry, given a Request: authenticated, validated, normalised, flagged,
 * de-duplicated, rollups upserted — in batches of 10,000, by one client (serial) and by two clients at once
 * (the Astana and Almaty gateways, as several utilities post at the same time); and (b) raw COPY of the same
 * kind of rows into the same partitioned table, binary (what the route uses) and text, by one stream and by
 * two. The request bodies and COPY payloads are built before each timed phase (that is the client's work);
 * the time is the wall clock of the phase. The route with one client and binary COPY with one stream (the pair
 * the goal compares) alternate in rounds, so that a change of the machine's load hits both alike. Run:
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/ingest.bench.ts
 *
 * It creates a fresh database on that server, migrates and seeds it, and drops it at the end.
 * BENCH_BATCHES (default 50) sets the batches of 10,000 per phase.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import postgres from 'postgres';
import { POST } from '@/app/api/v1/telemetry/route';
import { connect, setDb } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { DEMO_WATER_SECRETS, seedWater } from '@/db/seed/water';
import { ensureReadingPartitions } from '@/lib/water/partitions';

const BATCH = 10_000;
const BATCHES = Math.max(10, Number(process.env.BENCH_BATCHES) || 50);
/** Rounds in which the serial route and binary COPY phases alternate (BATCHES / ROUNDS batches each per round). */
const ROUNDS = 5;
// Each utility's flow meters and pressure sensors, addressed by serial number through its gateway.
const seriesOf = (p: 'AST' | 'ALM', scale: number) =>
  [
    [`${p}-INT-FM`, 'flow', 'm3/h', 2400 * scale],
    [`${p}-WTP-FM`, 'flow', 'm3/h', 2300 * scale],
    [`${p}-PS-PR`, 'pressure', 'bar', 5.5],
    [`${p}-DMA1-FM`, 'flow', 'm3/h', 180 * scale],
    [`${p}-DMA2-FM`, 'flow', 'm3/h', 210 * scale],
    [`${p}-DMA3-FM`, 'flow', 'm3/h', 260 * scale],
    [`${p}-DMA1-PR`, 'pressure', 'bar', 3.4],
    [`${p}-DMA2-PR`, 'pressure', 'bar', 3.7],
  ] as const;
const CLIENTS = [
  { key: DEMO_WATER_SECRETS.astanaGateway, series: seriesOf('AST', 1) },
  { key: DEMO_WATER_SECRETS.almatyGateway, series: seriesOf('ALM', 0.9) },
];
type Series = (typeof CLIENTS)[number]['series'];
const PER = BATCH / CLIENTS[0].series.length; // readings per series per batch, one a second
const SPAN = PER * 1000;

const value = (base: number, i: number) => Math.round(base * (1 + 0.05 * Math.sin(i / 300) + 0.01 * (Math.random() - 0.5)) * 1000) / 1000;
const isoAstana = (ms: number) => new Date(ms + 5 * 3_600_000).toISOString().replace('Z', '+05:00');

/** One request body: BATCH readings spread over the series, one per second per series from `startMs`. */
function routeBody(series: Series, startMs: number): string {
  const parts: string[] = [];
  for (const [serial, metric, unit, base] of series) {
    for (let i = 0; i < PER; i++) {
      parts.push(`{"device":"${serial}","metric":"${metric}","ts":"${isoAstana(startMs + i * 1000)}","value":${value(base, i)},"unit":"${unit}"}`);
    }
  }
  return `[${parts.join(',')}]`;
}

/** The same rows as COPY text (tab-separated). */
function copyText(series: Series, ids: Map<string, string>, startMs: number): string {
  const lines: string[] = [];
  const received = new Date().toISOString();
  for (const [serial, metric, unit, base] of series) {
    for (let i = 0; i < PER; i++) {
      lines.push(`${ids.get(serial)}\t${metric}\t${new Date(startMs + i * 1000).toISOString()}\t${value(base, i)}\t${unit}\t0\t${received}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The same rows in PostgreSQL's binary COPY format. */
function copyBinary(series: Series, ids: Map<string, string>, startMs: number): Buffer {
  const PG_EPOCH_MS = 946_684_800_000;
  const us = (ms: number) => BigInt(ms - PG_EPOCH_MS) * 1000n;
  const chunks: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1')];
  const received = us(Date.now());
  for (const [serial, metric, unit, base] of series) {
    const id = Buffer.from(ids.get(serial)!.replace(/-/g, ''), 'hex');
    for (let i = 0; i < PER; i++) {
      const b = Buffer.alloc(2 + 20 + 4 + metric.length + 12 + 12 + 4 + unit.length + 6 + 12);
      let o = b.writeInt16BE(7, 0);
      o = b.writeInt32BE(16, o);
      o += id.copy(b, o);
      o = b.writeInt32BE(metric.length, o);
      o += b.write(metric, o, 'latin1');
      o = b.writeInt32BE(8, o);
      o = b.writeBigInt64BE(us(startMs + i * 1000), o);
      o = b.writeInt32BE(8, o);
      o = b.writeDoubleBE(value(base, i), o);
      o = b.writeInt32BE(unit.length, o);
      o += b.write(unit, o, 'latin1');
      o = b.writeInt32BE(2, o);
      o = b.writeInt16BE(0, o);
      o = b.writeInt32BE(8, o);
      b.writeBigInt64BE(received, o);
      chunks.push(b);
    }
  }
  const end = Buffer.alloc(2);
  end.writeInt16BE(-1, 0);
  chunks.push(end);
  return Buffer.concat(chunks);
}

/** Runs `clients` workers at once over their prepared payloads; readings per second of wall clock. */
async function phase<T>(payloads: T[][], send: (p: T, client: number) => Promise<number>): Promise<{ rate: number; rows: number; ms: number }> {
  let rows = 0;
  const started = performance.now();
  await Promise.all(
    payloads.map(async (list, c) => {
      for (const p of list) rows += await send(p, c);
    }),
  );
  const ms = performance.now() - started;
  return { rate: rows / (ms / 1000), rows, ms };
}

const fmt = (x: number) => String(Math.round(x));
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

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
    console.log(`  load average at start: ${load()}`);

    // Every phase writes its own time range (COPY has no ON CONFLICT); readings are ≤ 300 days old.
    let t0 = Date.now() - 300 * 86_400_000;
    t0 -= t0 % 1000;
    await ensureReadingPartitions(h.db, new Date(t0), 11);
    const nextStart = () => (t0 += SPAN) - SPAN;

    const post = async (body: string, client: number) => {
      const res = await POST(
        new Request('http://localhost/api/v1/telemetry', {
          method: 'POST',
          headers: { authorization: `Bearer ${CLIENTS[client].key}`, 'content-type': 'application/json' },
          body,
        }),
      );
      const out = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
      if (res.status !== 200 || out.rejected.length || out.duplicates) throw new Error(`route answered ${res.status}: ${JSON.stringify(out).slice(0, 300)}`);
      return out.accepted;
    };
    const bodies = (clients: number, n: number) => CLIENTS.slice(0, clients).map((c) => Array.from({ length: n }, () => routeBody(c.series, nextStart())));

    // warm-up (JIT, prepared statements) with both gateways
    const warm = bodies(2, 2);
    for (let c = 0; c < warm.length; c++) for (const b of warm[c]) await post(b, c);
    const copyPhase = async (clients: number, binary: boolean, batches = Math.ceil(BATCHES / clients)) => {
      const payloads = CLIENTS.slice(0, clients).map((c) =>
        Array.from({ length: batches }, () => (binary ? copyBinary(c.series, ids, nextStart()) : copyText(c.series, ids, nextStart()))),
      );
      return phase<string | Buffer>(payloads, async (data) => {
        const w = await h.sql.unsafe(`copy readings (device_id, metric, ts, value, unit, flags, received_at) from stdin${binary ? ' (format binary)' : ''}`).writable();
        await new Promise<void>((resolve, reject) => {
          w.on('error', reject);
          w.on('finish', resolve);
          w.end(data);
        });
        return BATCH;
      });
    };
    await copyPhase(1, true, 4); // warm-up

    // The pair the goal compares — the route with 1 client and binary COPY with 1 stream — runs in alternating
    // rounds, so that both see the same share of a machine whose load changes during the run.
    const replayStart = t0; // the first serial batch, posted again below
    const serial = { rows: 0, ms: 0, rate: 0 };
    const copyBin = { rows: 0, ms: 0, rate: 0 };
    const perRound = Math.ceil(BATCHES / ROUNDS);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [sum, run] of [
        [serial, () => phase(bodies(1, perRound), post)],
        [copyBin, () => copyPhase(1, true, perRound)],
      ] as const) {
        const x = await run();
        sum.rows += x.rows;
        sum.ms += x.ms;
      }
    }
    for (const x of [serial, copyBin]) x.rate = x.rows / (x.ms / 1000);
    const concurrent = await phase(bodies(2, Math.ceil(BATCHES / 2)), post);
    // A re-post of a stored batch: all duplicates, nothing stored twice.
    const replayBody = routeBody(CLIENTS[0].series, replayStart);
    const replay = (await (
      await POST(
        new Request('http://localhost/api/v1/telemetry', {
          method: 'POST',
          headers: { authorization: `Bearer ${CLIENTS[0].key}`, 'content-type': 'application/json' },
          body: replayBody,
        }),
      )
    ).json()) as { accepted: number; duplicates: number };
    const [{ n: stored }] = await h.sql<{ n: number }[]>`select count(*)::int as n from readings`;
    console.log(`  route serial: ${serial.rows} readings in ${(serial.ms / 1000).toFixed(1)} s; 2 clients: ${concurrent.rows} in ${(concurrent.ms / 1000).toFixed(1)} s; replay of a stored batch → accepted ${replay.accepted}, duplicates ${replay.duplicates}; rows stored ${stored}`);

    const copyTxt = await copyPhase(1, false);
    const copyBin2 = await copyPhase(2, true);
    console.log(`  load average at end: ${load()}`);

    console.log(`BENCH ingest.route ${fmt(serial.rate)} readings/s (1 client, batches of ${BATCH}, route function, validated, flagged, de-duplicated, rolled up)`);
    console.log(`BENCH ingest.route.concurrent ${fmt(concurrent.rate)} readings/s (2 clients: two gateways posting at once)`);
    console.log(`BENCH ingest.copy ${fmt(copyBin.rate)} readings/s (raw binary COPY, 1 stream)`);
    console.log(`BENCH ingest.copy.text ${fmt(copyTxt.rate)} readings/s (raw text COPY, 1 stream)`);
    console.log(`BENCH ingest.copy.concurrent ${fmt(copyBin2.rate)} readings/s (raw binary COPY, 2 streams)`);
    console.log(`BENCH ingest.ratio ${(serial.rate / copyBin.rate).toFixed(2)} (route / raw binary COPY, 1 client each; goal ≥ 0.5 and route ≥ 100000 readings/s)`);
    console.log(`BENCH ingest.ratio.concurrent ${(concurrent.rate / copyBin2.rate).toFixed(2)} (2 clients / 2 streams)`);
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
