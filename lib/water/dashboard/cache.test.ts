import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWaterId, seedWater } from '@/db/seed/water';
import type { Principal } from '@/lib/auth/principal';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { waterScope, type WaterScope } from '@/lib/water/access';
import { createWaterUser } from '@/lib/water/monitoring/testing';
import { cachedView, DASHBOARD_TTL_MS, dashboardCacheStats, invalidateDashboards, scopeKey } from './cache';
import { overviewEndpoint, utilityEndpoint } from './endpoints';
import { dashboardResponse } from './http';
import { nationalOverview, utilityDetail } from './queries';
import { resolveRange } from './range';
import { overviewView, utilityView } from './views';

const t = useTestDb();
const NOW = new Date('2025-06-20T03:30:00Z');
const HOUR = 3_600_000;
const id = demoWaterId;
const AST = id('entity:astana');
const ALM = id('entity:almaty');

async function hourly(device: string, mean: number) {
  const end = Math.floor(NOW.getTime() / HOUR) * HOUR + HOUR;
  for (let i = 0; i < 24; i++) {
    const b = new Date(end - (24 - i) * HOUR).toISOString();
    await t.db.execute(sql`insert into readings_hourly (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
      values (${device}::uuid, 'flow', ${b}::timestamptz, 12, ${12 * mean}, ${mean}, ${mean}, ${mean}, ${b}::timestamptz, 0)
      on conflict (device_id, metric, bucket) do update set sum = excluded.sum`);
  }
}

let astanaUtility: Principal;
let almatyUtility: Principal;
let akimatAlmaty: Principal;
let national: Principal;
const scopes: Record<string, WaterScope> = {};

beforeAll(async () => {
  setClock(NOW);
  await seedWater(t.db);
  astanaUtility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001' });
  almatyUtility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000002' });
  akimatAlmaty = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: id('region:almaty') } });
  national = await createWaterUser(t.db, { role: 'authorised_body' });
  for (const [k, p] of Object.entries({ astanaUtility, almatyUtility, akimatAlmaty, national })) scopes[k] = await waterScope(t.db, p);
  await hourly(id('device:astana:wtp-fm'), 1000);
  await hourly(id('device:almaty:wtp-fm'), 1500);
});
afterAll(() => setClock(null));

const r24 = () => resolveRange({ range: '24h' }, NOW);
const plain = <T>(x: T) => JSON.parse(JSON.stringify(x)) as unknown;

describe('the dashboards\' per-scope response cache', () => {
  it('W-16 X-11 a cached view is never served to another scope: concurrent and repeated requests of four scopes each get their own data', async () => {
    invalidateDashboards();
    const expected = Object.fromEntries(
      await Promise.all(Object.entries(scopes).map(async ([k, s]) => [k, plain(await nationalOverview(t.db, s, r24()))] as const)),
    );
    // The four scopes' overviews differ (otherwise the test could not see a leak).
    expect(new Set(Object.values(expected).map((e) => JSON.stringify(e))).size).toBe(4);
    // Interleaved, all in flight at once, twice (the second round from the cache).
    for (let round = 0; round < 2; round++) {
      const keys = Object.keys(scopes).flatMap((k) => [k, k, k]);
      const got = await Promise.all(keys.map((k) => overviewView(t.db, scopes[k], r24())));
      keys.forEach((k, i) => expect(plain(got[i])).toEqual(expected[k]));
    }
    const astana = (await overviewView(t.db, scopes.astanaUtility, r24())).regions.map((r) => r.code);
    expect(astana).toEqual(['710000000']);

    // A scope with the same level but other entities is another key; the same sets in another order are one key.
    expect(scopeKey(scopes.astanaUtility)).not.toBe(scopeKey(scopes.almatyUtility));
    expect(scopeKey({ level: 'region', regionIds: ['b', 'a'], entityIds: [] })).toBe(scopeKey({ level: 'region', regionIds: ['a', 'b'], entityIds: [] }));
    expect(scopeKey({ level: 'region', regionIds: ['a'], entityIds: [] })).not.toBe(scopeKey({ level: 'entity', regionIds: [], entityIds: ['a'] }));
  });

  it('W-16 X-11 through the endpoints: a utility after another utility (or the nation) gets its own answer or 404, never the cached one', async () => {
    invalidateDashboards();
    const url = (q = '') => new URL(`http://localhost/api/v1/water/x?range=24h${q}`);
    // The nation warms the cache for the Almaty utility's page; the Astana utility must still get 404 there.
    const asNation = await dashboardResponse(t.db, national, url(), (c) => utilityEndpoint(c, { id: ALM }));
    expect(asNation.status).toBe(200);
    const asAstana = await dashboardResponse(t.db, astanaUtility, url(), (c) => utilityEndpoint(c, { id: ALM }));
    expect(asAstana.status).toBe(404);
    const own = await dashboardResponse(t.db, almatyUtility, url(), (c) => utilityEndpoint(c, { id: ALM }));
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual(plain(await utilityDetail(t.db, scopes.almatyUtility, ALM, r24())));
    const [a, b] = await Promise.all([
      dashboardResponse(t.db, astanaUtility, url(), overviewEndpoint).then((r) => r.json()),
      dashboardResponse(t.db, akimatAlmaty, url(), overviewEndpoint).then((r) => r.json()),
    ]);
    expect(a.regions.map((r: { code: string }) => r.code)).toEqual(['710000000']);
    expect(b.regions.map((r: { code: string }) => r.code)).toEqual(['750000000']);
    expect(await (await dashboardResponse(t.db, astanaUtility, url(), (c) => utilityEndpoint(c, { id: AST }))).json()).toEqual(
      plain(await utilityDetail(t.db, scopes.astanaUtility, AST, r24())),
    );
  });

  it('W-2 concurrent identical requests share one computation; an invalidation or the TTL brings new data', async () => {
    invalidateDashboards();
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: computed };
    };
    const got = await Promise.all(Array.from({ length: 20 }, () => cachedView(t.db, scopes.national, 'probe', ['x'], compute)));
    expect(computed).toBe(1);
    expect(new Set(got).size).toBe(1);
    // Another scope, another view or other parts: computed separately.
    await cachedView(t.db, scopes.astanaUtility, 'probe', ['x'], compute);
    await cachedView(t.db, scopes.national, 'probe', ['y'], compute);
    expect(computed).toBe(3);
    invalidateDashboards();
    expect(await cachedView(t.db, scopes.national, 'probe', ['x'], compute)).toEqual({ n: 4 });
    // A failure is not kept.
    await expect(cachedView(t.db, scopes.national, 'fails', [], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cachedView(t.db, scopes.national, 'fails', [], async () => 'ok')).toBe('ok');

    // An ingested batch shows once the TTL has passed.
    const before = (await utilityView(t.db, scopes.astanaUtility, AST, r24())).summary.supplyM3;
    expect(before).toBeCloseTo(24_000, 6);
    await hourly(id('device:astana:wtp-fm'), 2000);
    const { hits } = dashboardCacheStats();
    expect((await utilityView(t.db, scopes.astanaUtility, AST, r24())).summary.supplyM3).toBeCloseTo(24_000, 6); // cached
    expect(dashboardCacheStats().hits).toBe(hits + 1);
    await new Promise((r) => setTimeout(r, DASHBOARD_TTL_MS + 50));
    expect((await utilityView(t.db, scopes.astanaUtility, AST, r24())).summary.supplyM3).toBeCloseTo(48_000, 6);
  });
});
