import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waterAlerts, waterFigures } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import type { Principal } from '@/lib/auth/principal';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { waterScope } from '@/lib/water/access';
import { createWaterUser, storeTestSignature } from '@/lib/water/monitoring/testing';
import { forecastFor, waterBalanceFor } from './analytics';
import { objectEndpoint, overviewEndpoint, regionEndpoint, utilityEndpoint } from './endpoints';
import { dashboardResponse } from './http';
import { nationalOverview, objectDetail, regionDetail, utilityDetail } from './queries';
import { resolveRange } from './range';

const t = useTestDb();
// 22:30 on 19 June in New York (the test TZ) is 08:30 on 20 June in Astana.
const NOW = new Date('2025-06-20T03:30:00Z');
const HOUR = 3_600_000;
const id = demoWaterId;
const AST = id('entity:astana');
const ALM = id('entity:almaty');
const dev = (u: string, k: string) => id(`device:${u}:${k}`);
const obj = (u: string, k: string) => id(`object:${u}:${k}`);
const region = (k: string) => id(`region:${k}`);

type Row = { device: string; metric: string; bucket: Date; mean: number; count?: number; flagged?: number };
async function rollup(table: 'readings_hourly' | 'readings_daily', rows: Row[]) {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await t.db.execute(sql`insert into ${sql.identifier(table)} (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged) values ${sql.join(
      chunk.map((r) => {
        const n = r.count ?? 12;
        return sql`(${r.device}::uuid, ${r.metric}, ${r.bucket.toISOString()}::timestamptz, ${n}, ${r.mean * n}, ${r.mean * 0.9}, ${r.mean * 1.1}, ${r.mean}, ${r.bucket.toISOString()}::timestamptz, ${r.flagged ?? 0})`;
      }),
      sql`, `,
    )}`);
  }
}
/** Hourly buckets of the 24 h ending at the end of NOW's hour. */
function last24(device: string, metric: string, mean: (i: number) => number, flagged: (i: number) => number = () => 0): Row[] {
  const end = Math.floor(NOW.getTime() / HOUR) * HOUR + HOUR;
  return Array.from({ length: 24 }, (_, i) => ({ device, metric, bucket: new Date(end - (24 - i) * HOUR), mean: mean(i), flagged: flagged(i) }));
}

let utility: Principal;
let akimatAlmaty: Principal;
let national: Principal;
let applicant: Principal;

beforeAll(async () => {
  setClock(NOW);
  await seedWater(t.db);
  utility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001' });
  akimatAlmaty = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: region('almaty') } });
  national = await createWaterUser(t.db, { role: 'authorised_body' });
  applicant = await createWaterUser(t.db, { role: 'applicant' });
  await rollup('readings_hourly', [
    ...last24(dev('astana', 'wtp-fm'), 'flow', () => 1000),
    ...last24(dev('almaty', 'wtp-fm'), 'flow', () => 1500),
    ...last24(dev('astana', 'intake-fm'), 'flow', () => 1100), // not supply: the treatment plant is metered
    ...last24(dev('astana', 'dma1-fm'), 'flow', () => 300),
    ...last24(dev('astana', 'dma1-pr'), 'pressure', (i) => (i === 5 ? 9.5 : 3.5), (i) => (i === 5 ? 1 : 0)),
  ]);
  // One Astana day (19 June) in the daily rollup: the 30-day range must read this, not the hourly rows.
  await rollup('readings_daily', [{ device: dev('astana', 'wtp-fm'), metric: 'flow', bucket: new Date('2025-06-18T19:00:00Z'), mean: 2000, count: 288 }]);
  const sig = await storeTestSignature(t.db, utility, 'figures');
  await t.db.insert(waterFigures).values([
    { entityId: AST, period: '2025-06-01', version: 1, productionM3: 1, supplyM3: 1, distributionM3: 1, consumptionM3: 900_000, signatureId: sig, submittedBy: utility.userId, submittedAt: NOW },
    // The latest version counts: 600,000 m³ in June → 20,000 m³ in 24 h.
    { entityId: AST, period: '2025-06-01', version: 2, productionM3: 1, supplyM3: 1, distributionM3: 1, consumptionM3: 600_000, signatureId: sig, submittedBy: utility.userId, submittedAt: NOW },
  ]);
  const alert = (objectId: string, status: 'open' | 'acknowledged' | 'cleared', deviceId: string | null, firstSeen: Date, type = 'pressure_high') => ({
    type, objectId, deviceId, status, severity: 'warning' as const, firstSeen, lastSeen: firstSeen, messageKey: `water.alerts.${type}`,
    clearedAt: status === 'cleared' ? new Date(firstSeen.getTime() + HOUR) : null,
  });
  await t.db.insert(waterAlerts).values([
    alert(obj('astana', 'dma1'), 'open', dev('astana', 'dma1-pr'), new Date(NOW.getTime() - 3 * HOUR)),
    alert(obj('astana', 'ps'), 'acknowledged', null, new Date(NOW.getTime() - 30 * HOUR), 'voltage_deviation'),
    alert(obj('almaty', 'dma2'), 'cleared', null, new Date(NOW.getTime() - 10 * HOUR)),
    alert(obj('almaty', 'dma3'), 'open', null, new Date(NOW.getTime() - 2 * HOUR), 'night_flow_high'),
  ]);
});
afterAll(() => setClock(null));

const r24 = () => resolveRange({ range: '24h' }, NOW);

describe('water dashboards', () => {
  it('W-2 ranges up to 7 days read hourly rollups, longer ones daily (Astana days)', () => {
    expect(resolveRange({ range: '24h' }, NOW)).toMatchObject({ granularity: 'hour', from: new Date('2025-06-19T04:00:00Z'), to: new Date('2025-06-20T04:00:00Z') });
    expect(resolveRange({ range: '7d' }, NOW).granularity).toBe('hour');
    const d30 = resolveRange({ range: '30d' }, NOW);
    expect(d30).toMatchObject({ granularity: 'day', to: new Date('2025-06-20T19:00:00Z'), from: new Date('2025-05-21T19:00:00Z') });
    expect(resolveRange({ range: 'custom', from: '2025-06-01', to: '2025-06-07' }, NOW).granularity).toBe('hour');
    expect(resolveRange({ range: 'custom', from: '2025-06-01', to: '2025-06-08' }, NOW).granularity).toBe('day');
    expect(() => resolveRange({ range: 'custom', from: '2025-06-08', to: '2025-06-01' }, NOW)).toThrow();
    expect(() => resolveRange({ range: 'week' }, NOW)).toThrow();
  });

  it('W-19 W-27 the national overview: supply, consumption, NRW % from rollups and figures, open alerts per region', async () => {
    const o = await nationalOverview(t.db, await waterScope(t.db, national), r24());
    expect(o.regions.map((r) => r.code)).toEqual(['110000000', '710000000', '750000000']);
    const astana = o.regions.find((r) => r.code === '710000000')!;
    expect(astana.supplyM3).toBeCloseTo(24_000, 6); // treatment plant, not the intake
    expect(astana.distributionM3).toBeCloseTo(7_200, 6);
    expect(astana.consumptionM3).toBeCloseTo(20_000, 6);
    expect(astana.nonRevenueWaterPercent).toBeCloseTo((4_000 / 24_000) * 100, 6);
    expect(astana.alerts).toEqual({ open: 1, active: 2, critical: 0 });
    const almaty = o.regions.find((r) => r.code === '750000000')!;
    expect(almaty.supplyM3).toBeCloseTo(36_000, 6);
    expect(almaty.consumptionM3).toBeNull();
    expect(almaty.nonRevenueWaterPercent).toBeNull();
    expect(almaty.alerts).toEqual({ open: 1, active: 1, critical: 0 }); // the cleared one does not count
    expect(o.totals.supplyM3).toBeCloseTo(60_000, 6);
    expect(o.totals.alerts.active).toBe(3);
  });

  it('W-2 a 30-day range reads the daily rollup', async () => {
    const o = await nationalOverview(t.db, await waterScope(t.db, national), resolveRange({ range: '30d' }, NOW));
    expect(o.regions.find((r) => r.code === '710000000')!.supplyM3).toBeCloseTo(48_000, 6);
    expect(o.regions.find((r) => r.code === '750000000')!.supplyM3).toBe(0);
  });

  it('W-16 X-11 a utility user sees only its own utility: other regions, utilities and objects are absent', async () => {
    const scope = await waterScope(t.db, utility);
    const o = await nationalOverview(t.db, scope, r24());
    expect(o.regions.map((r) => r.code)).toEqual(['710000000']);
    expect(o.totals.supplyM3).toBeCloseTo(24_000, 6);
    const reg = await regionDetail(t.db, scope, region('astana'), r24());
    expect(reg.entities.map((e) => e.id)).toEqual([AST]);
    await expect(regionDetail(t.db, scope, region('almaty'), r24())).rejects.toMatchObject({ code: 'not_found' });
    await expect(utilityDetail(t.db, scope, ALM, r24())).rejects.toMatchObject({ code: 'not_found' });
    await expect(objectDetail(t.db, scope, obj('almaty', 'dma1'), r24())).rejects.toMatchObject({ code: 'not_found' });
    const u = await utilityDetail(t.db, scope, AST, r24());
    expect(u.objects.length).toBe(8);
    expect(u.objects.every((x) => !x.id.includes(obj('almaty', 'dma1')))).toBe(true);
  });

  it('W-16 an akimat sees its region only; the authorised body sees the nation', async () => {
    const scope = await waterScope(t.db, akimatAlmaty);
    const o = await nationalOverview(t.db, scope, r24());
    expect(o.regions.map((r) => r.code)).toEqual(['750000000']);
    await expect(utilityDetail(t.db, scope, AST, r24())).rejects.toMatchObject({ code: 'not_found' });
    expect((await utilityDetail(t.db, scope, ALM, r24())).objects.length).toBe(8);
    const all = await regionDetail(t.db, await waterScope(t.db, national), region('almaty'), r24());
    expect(all.entities.map((e) => e.id)).toEqual([ALM]);
  });

  it('W-16 X-11 the endpoints answer 401 signed out, 403 without a water role, 404 outside the scope', async () => {
    const url = (q = 'range=24h') => new URL(`http://x/api?${q}`);
    expect((await dashboardResponse(t.db, null, url(), overviewEndpoint)).status).toBe(401);
    expect((await dashboardResponse(t.db, applicant, url(), overviewEndpoint)).status).toBe(403);
    const foreign = await dashboardResponse(t.db, utility, url(), (c) => objectEndpoint(c, { id: obj('almaty', 'dma1') }));
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await dashboardResponse(t.db, utility, url(), (c) => regionEndpoint(c, { id: region('almaty') }))).status).toBe(404);
    expect((await dashboardResponse(t.db, utility, url(), (c) => utilityEndpoint(c, { id: 'not-a-uuid' }))).status).toBe(404);
    expect((await dashboardResponse(t.db, utility, url('range=year'), overviewEndpoint)).status).toBe(422);
    const own = await dashboardResponse(t.db, utility, url(), (c) => objectEndpoint(c, { id: obj('astana', 'dma1') }));
    expect(own.status).toBe(200);
    const body = (await own.json()) as { series: { metric: string }[] };
    expect(body.series.map((s) => s.metric).sort()).toEqual(['flow', 'pressure']);
  });

  it('W-27 an object series marks flagged buckets and buckets during an alert', async () => {
    const d = await objectDetail(t.db, await waterScope(t.db, national), obj('astana', 'dma1'), r24());
    const pr = d.series.find((s) => s.metric === 'pressure')!;
    expect(pr.points).toHaveLength(24);
    expect(pr.points[5]).toMatchObject({ anomaly: ['flagged'], mean: 9.5 });
    // The open alert began 3 h before NOW (00:30Z → 05:30 Astana): the buckets from 00:00Z to the range's end.
    const marked = pr.points.filter((p) => p.anomaly.includes('alert')).map((p) => p.ts);
    expect(marked).toEqual(['2025-06-20T00:00:00.000Z', '2025-06-20T01:00:00.000Z', '2025-06-20T02:00:00.000Z', '2025-06-20T03:00:00.000Z']);
    const flow = d.series.find((s) => s.metric === 'flow')!;
    expect(flow.points.every((p) => !p.anomaly.includes('alert'))).toBe(true); // the alert is the pressure sensor's
    expect(d.alerts.map((a) => a.type)).toEqual(['pressure_high']);
  });

  it('W-19 the water balance of a utility takes system input from rollups and says which inputs are estimated', async () => {
    const b = await waterBalanceFor(t.db, await waterScope(t.db, utility), { kind: 'entity', id: AST }, r24());
    expect(b.status).toBe('ok');
    if (b.status !== 'ok') return;
    expect(b.balance.systemInputVolume).toBeCloseTo(24_000, 6);
    expect(b.balance.billedAuthorised).toBeCloseTo(20_000, 6);
    expect(b.balance.nonRevenueWater).toBeCloseTo(4_000, 6);
    expect(b.balance.nonRevenueWaterPercent).toBeCloseTo(16.6667, 3);
    expect(b.balance.unbilledAuthorised).toBeCloseTo(300, 6); // 1.25 % default
    expect(b.inputs.find((i) => i.name === 'systemInputVolume')).toMatchObject({ source: 'rollups', estimated: false });
    expect(b.inputs.find((i) => i.name === 'billedMetered')).toMatchObject({ source: 'figures', estimated: false });
    expect(b.inputs.find((i) => i.name === 'unbilledUnmetered')).toMatchObject({ source: 'default', estimated: true });
    expect(b.inputs.find((i) => i.name === 'serviceConnections')).toMatchObject({ value: 24_000, source: 'registry' });
    // A DMA: its inflow, and billed consumption estimated by its share of connections.
    const dma = await waterBalanceFor(t.db, await waterScope(t.db, utility), { kind: 'object', id: obj('astana', 'dma1') }, r24());
    expect(dma.status).toBe('ok');
    if (dma.status === 'ok') {
      expect(dma.balance.systemInputVolume).toBeCloseTo(7_200, 6);
      expect(dma.inputs.find((i) => i.name === 'billedMetered')).toMatchObject({ value: (20_000 * 3200) / 24_000, estimated: true });
    }
    // Almaty reported no figures: no balance, said so.
    expect((await waterBalanceFor(t.db, await waterScope(t.db, national), { kind: 'entity', id: ALM }, r24())).status).toBe('no_consumption');
    await expect(waterBalanceFor(t.db, await waterScope(t.db, utility), { kind: 'entity', id: ALM }, r24())).rejects.toMatchObject({ code: 'not_found' });
  });

  it('W-25 W-28 forecast against actual for a DMA from hourly rollups, with its accuracy on a held-back week', async () => {
    const end = Math.floor(NOW.getTime() / HOUR) * HOUR;
    const rows: Row[] = [];
    for (let h = 5 * 168; h >= 1; h--) {
      const ts = end - h * HOUR;
      const hourOfDay = new Date(ts).getUTCHours();
      rows.push({ device: dev('astana', 'dma2-fm'), metric: 'flow', bucket: new Date(ts), mean: 200 + 100 * Math.sin((hourOfDay / 24) * 2 * Math.PI) });
    }
    await rollup('readings_hourly', rows);
    const scope = await waterScope(t.db, national);
    const f = await forecastFor(t.db, scope, { kind: 'object', id: obj('astana', 'dma2') }, NOW);
    expect(f.status).toBe('ok');
    if (f.status !== 'ok') return;
    expect(f.weather).toBe(false);
    expect(f.backtest).toHaveLength(168);
    expect(f.forecast).toHaveLength(168);
    expect(f.forecast[0].ts).toBe(new Date(end).toISOString());
    expect(f.accuracy.mape).toBeLessThan(1); // an exact daily pattern is learnt
    const noon = f.forecast.find((p) => new Date(p.ts).getUTCHours() === 6)!;
    expect(noon.value).toBeCloseTo(300, 0); // Prophet's Fourier fit of the exact pattern: within 0.5 m³/h
    const short = await forecastFor(t.db, scope, { kind: 'object', id: obj('astana', 'dma3') }, NOW);
    expect(short.status).toBe('insufficient_history');
  });
});
