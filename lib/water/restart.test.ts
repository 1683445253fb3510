/**
 * Issue 6, reliability: no reading is lost when PostgreSQL drops the connections during ingestion. The server's
 * backends of this test's own database are killed with pg_terminate_backend while batches are being written
 * (a full `pg_ctlcluster … restart` would break the other suites sharing the server; to the client the two
 * look the same: the connection ends, the transaction rolls back, the next query reconnects). The simulator's
 * retrying client resends; de-duplication makes a resend of a stored batch harmless.
 *
 * Runs on a real PostgreSQL server only: the embedded PGlite has one in-process session and no backends to
 * terminate.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/telemetry/route';
import { DEMO_WATER_SECRETS, seedWater } from '@/db/seed/water';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import type { SimReading } from './simulator/generate';
import { sendHttp, type FetchLike } from './simulator/send';

const onServer = Boolean(process.env.TEST_DATABASE_URL);
const NOW = '2025-06-20T09:00:00Z';
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

describe.skipIf(!onServer)('telemetry ingestion while PostgreSQL drops its connections (PostgreSQL only: PGlite has no backends to terminate)', () => {
  const t = useTestDb();
  let admin: postgres.Sql;
  let dbName: string;

  beforeAll(async () => {
    setClock(NOW);
    await seedWater(t.db);
    dbName = new URL(t.url).pathname.slice(1);
    admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    setClock(null);
    await admin?.end();
  });

  /** Kills every backend of the test database (the route's pooled connections, mid-transaction or idle). */
  const terminate = async () =>
    (
      await admin<{ n: number }[]>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = ${dbName} and pid <> pg_backend_pid()`
    )[0].n;

  it('W-18 no reading is lost or doubled when the database connections are killed during ingestion: stored = sent, rollups = stored', async () => {
    // 8 series × 3,000 one-second readings, sent in 24 batches of 1,000 through the route.
    const start = Date.parse('2025-06-20T06:00:00Z');
    const readings: SimReading[] = [];
    for (let i = 0; i < 3_000; i++) {
      for (const [device, metric, unit, base] of SERIES) {
        readings.push({ device, metric, unit, ts: new Date(start + i * 1000).toISOString(), value: Math.round(base * (1 + 0.05 * Math.sin(i / 200)) * 1000) / 1000 });
      }
    }

    const viaRoute: FetchLike = (url, init) => POST(new Request(url, init));
    let calls = 0;
    let killed = 0;
    let answersLost = 0;
    const outcomes: number[] = [];
    // Every third request has its connections killed a few milliseconds in (at a different point each time:
    // before, during or after the write); every seventh is stored but its answer never reaches the client.
    const unreliable: FetchLike = async (url, init) => {
      const n = ++calls;
      if (n % 3 === 1) {
        const pending = viaRoute(url, init);
        await new Promise((r) => setTimeout(r, n % 11));
        killed += await terminate();
        const res = await pending;
        outcomes.push(res.status);
        return res;
      }
      const res = await viaRoute(url, init);
      outcomes.push(res.status);
      if (n % 7 === 0 && res.ok) {
        answersLost++;
        throw new Error('ECONNRESET (the answer was lost)');
      }
      return res;
    };

    const totals = await sendHttp('http://localhost', DEMO_WATER_SECRETS.astanaGateway, readings, {
      fetch: unreliable,
      chunk: 1_000,
      retries: 20,
      backoffMs: 5,
    });

    const [{ n: stored }] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from readings where ts >= ${new Date(start).toISOString()}::timestamptz`;
    const [{ hourly, daily }] = await t.sql<{ hourly: number; daily: number }[]>`
      select (select coalesce(sum(count), 0)::int from readings_hourly where bucket >= ${new Date(start).toISOString()}::timestamptz) as hourly,
             (select coalesce(sum(count), 0)::int from readings_daily where bucket >= date_trunc('day', ${new Date(start).toISOString()}::timestamptz, 'Asia/Almaty')) as daily`;

    // The faults really happened: connections were killed under running requests, which failed and were resent.
    expect(killed).toBeGreaterThan(0);
    expect(outcomes.filter((s) => s >= 500).length).toBeGreaterThan(0);
    expect(answersLost).toBeGreaterThan(0);
    expect(totals.retries).toBeGreaterThan(0);
    // Nothing lost, nothing doubled: every reading sent is stored once and counted once in the rollups.
    expect(stored).toBe(readings.length);
    expect(hourly).toBe(readings.length);
    expect(daily).toBe(readings.length);
    expect(totals.rejected).toBe(0);
    expect(totals.accepted).toBeLessThanOrEqual(readings.length);
    // what the client saw accepted, plus what it saw as duplicates of its lost answers, covers everything
    expect(totals.accepted + totals.duplicates).toBeGreaterThanOrEqual(readings.length);
  });
});
