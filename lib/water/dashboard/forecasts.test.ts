import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waterForecasts } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { registeredPeriodics } from '@/lib/jobs/queue';
import type { Principal } from '@/lib/auth/principal';
import { DAY_MS } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { waterScope } from '@/lib/water/access';
import '@/lib/water/jobs';
import { createWaterUser } from '@/lib/water/monitoring/testing';
import { upsertDemoWeather } from '@/lib/water/weather/demo';
import { forecastEndpoint } from './endpoints';
import { onDemandFitsSettled, refreshForecasts, storedForecastFor } from './forecasts';
import { dashboardResponse } from './http';

const t = useTestDb();
const NOW = new Date('2025-06-20T03:30:00Z');
const LATER = new Date('2025-06-20T05:10:00Z');
const HOUR = 3_600_000;
const id = demoWaterId;
const DMA2 = id('object:astana:dma2');
const DMA3 = id('object:astana:dma3');
const AST = id('entity:astana');
const ALM = id('entity:almaty');

let national: Principal;
let almatyUtility: Principal;

beforeAll(async () => {
  setClock(NOW);
  await seedWater(t.db);
  national = await createWaterUser(t.db, { role: 'authorised_body' });
  almatyUtility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000002' });
  // Five weeks of an exact daily pattern in Astana's DMA-2 (DMA-3 and the utilities have too little history).
  const end = Math.floor(NOW.getTime() / HOUR) * HOUR;
  const values = [];
  for (let h = 5 * 168; h >= 1; h--) {
    const ts = new Date(end - h * HOUR);
    const mean = 200 + 100 * Math.sin((ts.getUTCHours() / 24) * 2 * Math.PI);
    values.push(sql`(${id('device:astana:dma2-fm')}::uuid, 'flow', ${ts.toISOString()}::timestamptz, 12, ${12 * mean}, ${mean}, ${mean}, ${mean}, ${ts.toISOString()}::timestamptz, 0)`);
  }
  await t.db.execute(sql`insert into readings_hourly (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged) values ${sql.join(values, sql`, `)}`);
  // The demo weather of the regions: observed up to now, forecast for the next 8 days.
  await upsertDemoWeather(t.db, new Date(NOW.getTime() - 40 * DAY_MS), new Date(NOW.getTime() + 8 * DAY_MS), NOW);
}, 300_000);
afterAll(async () => {
  await onDemandFitsSettled();
  setClock(null);
});

const row = async (kind: 'entity' | 'object', targetId: string) =>
  (await t.db.select().from(waterForecasts).where(and(eq(waterForecasts.targetKind, kind), eq(waterForecasts.targetId, targetId))))[0];

describe('forecasts off the request path', () => {
  it('W-28 the hourly job `water.forecasts` fits every DMA and utility into water_forecasts: 7 days hourly, MAE/MAPE, fitted-at, weather used', async () => {
    expect(registeredPeriodics().find((p) => p.name === 'water.forecasts')?.schedule).toEqual({ everyMinutes: 60 });
    const r = await refreshForecasts(t.db, NOW);
    expect(r).toMatchObject({ ok: 1, failed: 0, deferred: 0 });
    expect(r.insufficient).toBe(6 + 2 - 1); // 6 DMAs and 2 utilities, one of them with enough history
    const dma = await row('object', DMA2);
    expect(dma.status).toBe('ok');
    expect(dma.fittedAt).toEqual(NOW);
    expect(dma.historyEnd).toEqual(new Date(Math.floor(NOW.getTime() / HOUR) * HOUR));
    expect(dma.forecast).toHaveLength(168);
    expect(dma.backtest).toHaveLength(168);
    expect(dma.mape).toBeLessThan(1);
    expect(dma.mae).toBeGreaterThanOrEqual(0);
    expect(dma.weather).toBe(true);
    expect(dma.weatherUsed).toHaveLength(168);
    expect(dma.weatherUsed[0].ts).toBe(dma.forecast[0].ts);
    expect(dma.weatherUsed.at(-1)!.source).toBe('forecast'); // the regions' weather forecast (observed where known)
    expect(dma.weatherSources.forecast + dma.weatherSources.observed + dma.weatherSources.climatology).toBe(168);
    expect((await row('object', DMA3)).status).toBe('insufficient_history');
    expect((await row('entity', AST)).status).toBe('insufficient_history');
    // Again within the same hour: nothing is refitted.
    expect(await refreshForecasts(t.db, NOW)).toMatchObject({ ok: 0, insufficient: 0, current: 8 });
  });

  it('W-28 W-25 the page and the API read the stored fit (when it was fitted, accuracy, the 168 hours) without fitting', async () => {
    setClock(LATER);
    try {
      const scope = await waterScope(t.db, national);
      const f = await storedForecastFor(t.db, scope, { kind: 'object', id: DMA2 }, LATER);
      expect(f.status).toBe('ok');
      if (f.status !== 'ok') return;
      expect(f.fittedAt).toBe(NOW.toISOString()); // the job's fit, not a new one at LATER
      expect(f.forecast).toHaveLength(168);
      expect(f.accuracy.mape).toBeLessThan(1);
      expect(f.target).toMatchObject({ kind: 'object', id: DMA2, name: 'DMA-2' });
      const res = await dashboardResponse(t.db, national, new URL(`http://localhost/api/v1/water/forecast?object=${DMA2}`), forecastEndpoint);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', fittedAt: NOW.toISOString() });
      expect((await row('object', DMA2)).fittedAt).toEqual(NOW);
    } finally {
      setClock(NOW);
    }
  });

  it('W-16 X-11 W-28 a stored forecast outside the scope is not found', async () => {
    const res = await dashboardResponse(t.db, almatyUtility, new URL(`http://localhost/api/v1/water/forecast?object=${DMA2}`), forecastEndpoint);
    expect(res.status).toBe(404);
    const scope = await waterScope(t.db, almatyUtility);
    await expect(storedForecastFor(t.db, scope, { kind: 'entity', id: AST }, NOW)).rejects.toMatchObject({ code: 'not_found' });
    expect((await storedForecastFor(t.db, scope, { kind: 'entity', id: ALM }, NOW)).status).toBe('insufficient_history');
  });

  it('W-28 with none stored yet, one fit starts in the background and the answer says the forecast is being prepared', async () => {
    await onDemandFitsSettled();
    await t.db.delete(waterForecasts);
    const scope = await waterScope(t.db, national);
    const target = { kind: 'object' as const, id: DMA2 };
    const answers = await Promise.all([storedForecastFor(t.db, scope, target, NOW), storedForecastFor(t.db, scope, target, NOW)]);
    expect(answers[0].status).toBe('preparing');
    expect(['preparing', 'ok']).toContain(answers[1].status); // 'ok' when the shared fit ended before its read (load)
    await onDemandFitsSettled();
    const f = await storedForecastFor(t.db, scope, target, NOW);
    expect(f.status).toBe('ok');
    await t.db.delete(waterForecasts);
    expect((await storedForecastFor(t.db, scope, target, NOW, { wait: true })).status).toBe('ok');
  });
});
