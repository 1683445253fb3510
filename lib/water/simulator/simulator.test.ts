import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/telemetry/route';
import { readings } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { astanaParts } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { nightlyMinimums } from '@/lib/water/analytics';
import { demandFactor, generateTelemetry, SIM_UTILITIES, type SimReading } from './generate';
import { sendHttp, type FetchLike } from './send';

const FROM = new Date('2025-06-02T00:00:00+05:00'); // a Monday
const series = (m: Map<string, SimReading[]>, device: string, metric: string) =>
  [...m.values()].flat().filter((r) => r.device === device && r.metric === metric);

describe('simulator generator (pure)', () => {
  it('W-2 is deterministic with a seed and follows daily and weekly patterns', () => {
    const opts = { from: FROM, to: new Date(FROM.getTime() + 7 * 86_400_000), stepSec: 900, seed: 7 };
    const a = generateTelemetry(opts);
    expect(generateTelemetry(opts)).toEqual(a);
    expect(series(generateTelemetry({ ...opts, seed: 8 }), 'AST-DMA1-FM', 'flow')).not.toEqual(series(a, 'AST-DMA1-FM', 'flow'));
    const flow = series(a, 'AST-DMA1-FM', 'flow');
    expect(flow).toHaveLength(7 * 96);
    const at = (day: number, hh: number) => flow.find((r) => r.ts === new Date(FROM.getTime() + day * 86_400_000 + hh * 3_600_000).toISOString())!.value;
    expect(at(0, 3)).toBeLessThan(at(0, 8) / 2); // night low, morning peak
    // weekday 08:00 above Saturday 08:00 (later weekend morning)
    expect(demandFactor(new Date('2025-06-02T08:00:00+05:00'), { temperatureC: 15, precipitationMm: 0 })).toBeGreaterThan(
      demandFactor(new Date('2025-06-07T08:00:00+05:00'), { temperatureC: 15, precipitationMm: 0 }),
    );
    // weather: a hot day raises demand, rain lowers it
    const base = { temperatureC: 15, precipitationMm: 0 };
    const t = new Date('2025-06-02T12:00:00+05:00');
    expect(demandFactor(t, { ...base, temperatureC: 32 })).toBeGreaterThan(demandFactor(t, base));
    expect(demandFactor(t, { ...base, precipitationMm: 5 })).toBeLessThan(demandFactor(t, base));
    // every reading names a demo device and a gateway key
    expect([...a.keys()].sort()).toEqual(SIM_UTILITIES.map((u) => u.gatewayKey).sort());
  });

  it('W-21 an injected leak lifts the DMA’s minimum night flow; sensor faults: stuck, spike, silence', () => {
    const to = new Date(FROM.getTime() + 4 * 86_400_000);
    const leakFrom = new Date(FROM.getTime() + 2 * 86_400_000);
    const plain = generateTelemetry({ from: FROM, to, stepSec: 600, seed: 3 });
    const leaky = generateTelemetry({ from: FROM, to, stepSec: 600, seed: 3, leaks: [{ dma: 'AST-DMA2', extraM3h: 8, from: leakFrom }] });
    const mnf = (m: Map<string, SimReading[]>, d: string) => nightlyMinimums(series(m, d, 'flow').map((r) => ({ ts: new Date(r.ts), value: r.value }))).map((n) => n.mnf);
    const p = mnf(plain, 'AST-DMA2-FM');
    const l = mnf(leaky, 'AST-DMA2-FM');
    expect(l[0]).toBeCloseTo(p[0], 6);
    expect(l[3] - p[3]).toBeCloseTo(8, 6);
    expect(mnf(leaky, 'AST-DMA1-FM')).toEqual(mnf(plain, 'AST-DMA1-FM'));

    const f0 = new Date('2025-06-02T10:00:00+05:00');
    const f1 = new Date('2025-06-02T11:00:00+05:00');
    const faulty = generateTelemetry({
      from: FROM, to, stepSec: 600, seed: 3,
      faults: [
        { kind: 'stuck', device: 'AST-DMA3-PR', from: f0, to: f1 },
        { kind: 'spike', device: 'AST-DMA1-FM', at: f0, factor: 10 },
        { kind: 'silence', device: 'ALM-INT-FM', from: f0, to: f1 },
      ],
    });
    const inWindow = (r: SimReading) => Date.parse(r.ts) >= f0.getTime() && Date.parse(r.ts) < f1.getTime();
    expect(new Set(series(faulty, 'AST-DMA3-PR', 'pressure').filter(inWindow).map((r) => r.value)).size).toBe(1);
    const spike = series(faulty, 'AST-DMA1-FM', 'flow').find((r) => r.ts === f0.toISOString())!;
    expect(spike.value).toBeCloseTo(series(plain, 'AST-DMA1-FM', 'flow').find((r) => r.ts === f0.toISOString())!.value * 10, 2);
    expect(series(faulty, 'ALM-INT-FM', 'flow').filter(inWindow)).toEqual([]);
    expect(astanaParts(f0).hour).toBe(10);
  });
});

describe('simulator sending through the route handler', () => {
  const t = useTestDb();
  beforeAll(async () => {
    setClock('2025-06-03T00:00:00Z');
    await seedWater(t.db);
  });
  afterAll(() => setClock(null));

  // The route handler called directly, as the HTTP server would.
  const viaRoute: FetchLike = (url, init) => POST(new Request(url, init));

  it('W-18 simulated readings go through the real route; a resend (retry) only counts duplicates', async () => {
    const batches = generateTelemetry({ from: new Date('2025-06-02T00:00:00+05:00'), to: new Date('2025-06-02T06:00:00+05:00'), stepSec: 600, seed: 1 });
    const ast = batches.get(SIM_UTILITIES[0].gatewayKey)!;
    const first = await sendHttp('http://localhost:3000', SIM_UTILITIES[0].gatewayKey, ast, { fetch: viaRoute, chunk: 500 });
    expect(first).toMatchObject({ accepted: ast.length, duplicates: 0, rejected: 0, retries: 0 });
    const again = await sendHttp('http://localhost:3000', SIM_UTILITIES[0].gatewayKey, ast, { fetch: viaRoute, chunk: 500 });
    expect(again).toMatchObject({ accepted: 0, duplicates: ast.length });
    const [{ n }] = await t.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(readings)
      .where(and(eq(readings.deviceId, demoWaterId('device:astana:dma1-fm')), eq(readings.metric, 'flow')));
    expect(n).toBe(36);
  });

  it('W-18 failed attempts (network error, 503) are retried and no reading is lost or doubled', async () => {
    const batches = generateTelemetry({ from: new Date('2025-06-02T06:00:00+05:00'), to: new Date('2025-06-02T07:00:00+05:00'), stepSec: 600, seed: 1 });
    const alm = batches.get(SIM_UTILITIES[1].gatewayKey)!;
    let calls = 0;
    const flaky: FetchLike = async (url, init) => {
      calls++;
      if (calls === 1) throw new Error('ECONNREFUSED');
      if (calls === 2) {
        // stored, but the answer is lost: the retry must count these as duplicates
        await viaRoute(url, init);
        return new Response('bad gateway', { status: 503 });
      }
      return viaRoute(url, init);
    };
    const r = await sendHttp('http://localhost:3000', SIM_UTILITIES[1].gatewayKey, alm, { fetch: flaky, backoffMs: 1 });
    expect(r).toMatchObject({ accepted: 0, duplicates: alm.length, retries: 2, requests: 3 });
    const [{ n }] = await t.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(readings)
      .where(and(eq(readings.deviceId, demoWaterId('device:almaty:dma1-fm')), eq(readings.metric, 'flow'), sql`ts >= '2025-06-02T01:00:00Z'`));
    expect(n).toBe(6);
    // a 4xx (bad key) is not retried
    await expect(sendHttp('http://localhost:3000', 'btg_wrong_key_000000000', alm, { fetch: viaRoute, backoffMs: 1 })).rejects.toThrow(/HTTP 401/);
  });
});
