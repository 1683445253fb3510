import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, waterHistoryHourly, waterImports, waterWeather } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { seedWaterWeather } from '@/db/seed/water-weather';
import type { Principal } from '@/lib/auth/principal';
import { astanaParts } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { waterScope } from '@/lib/water/access';
import { forecastFor } from '@/lib/water/dashboard/analytics';
import { createWaterUser } from '@/lib/water/monitoring/testing';
import { weatherOf } from '@/lib/water/simulator/generate';
import { importRoute } from './http';
import { importCsv } from './import';

const t = useTestDb();
const NOW = new Date('2025-06-20T03:30:00Z'); // 08:30 Astana
const HOUR = 3_600_000;
const obj = (u: string, k: string) => demoWaterId(`object:${u}:${k}`);
const region = (k: string) => demoWaterId(`region:${k}`);

let utility: Principal; // the Astana utility
let operator: Principal;
let akimat: Principal;
let applicant: Principal;

/** Astana local 'YYYY-MM-DD HH:00' of an instant (as a utility's export would write it). */
const local = (ms: number) => {
  const p = astanaParts(ms);
  return `${p.date} ${String(p.hour).padStart(2, '0')}:00`;
};

function route(principal: Principal | null) {
  return importRoute({ db: () => t.db, principal: async () => principal });
}
function post(kind: string, body: string, headers: Record<string, string> = {}) {
  return new Request(`http://localhost/api/v1/water/import/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8', ...headers },
    body,
  });
}
const ctx = (kind: string) => ({ params: Promise.resolve({ kind }) });

beforeAll(async () => {
  setClock(NOW);
  await seedWater(t.db);
  utility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001' });
  operator = await createWaterUser(t.db, { role: 'operator' });
  akimat = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: region('astana') } });
  applicant = await createWaterUser(t.db, { role: 'applicant' });
});

describe('CSV import of history and weather (W-16, W-23, W-28)', () => {
  it('W-16 a utility imports its own DMA history; a repeat is unchanged, a corrected value updates; journalled and audited', async () => {
    const dma = obj('astana', 'dma1');
    const csv = ['object,metric,ts,value,unit', `${dma},flow,2025-06-01 10:00,120,m3/h`, `${dma},flow,2025-06-01 11:00,10,l/s`, `${dma},flow,2025-06-01 11:00,10,l/s`].join('\n');
    const r1 = await importCsv(t.db, utility, 'history', csv, { fileName: 'scada.csv' });
    expect(r1).toMatchObject({ status: 'applied', lines: 3, inserted: 2, updated: 0, unchanged: 0, duplicates: 1, errorCount: 0 });
    const stored = await t.db.select().from(waterHistoryHourly).where(eq(waterHistoryHourly.objectId, dma)).orderBy(waterHistoryHourly.ts);
    expect(stored.map((s) => [s.ts.toISOString(), s.volumeM3])).toEqual([
      ['2025-06-01T05:00:00.000Z', 120],
      ['2025-06-01T06:00:00.000Z', 36],
    ]);
    expect(await importCsv(t.db, utility, 'history', csv)).toMatchObject({ status: 'applied', inserted: 0, updated: 0, unchanged: 2 });
    const r3 = await importCsv(t.db, utility, 'history', csv.replace(',120,', ',125,'));
    expect(r3).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const [imp] = await t.db.select().from(waterImports).where(eq(waterImports.id, r1.id));
    expect(imp).toMatchObject({ kind: 'history', status: 'applied', fileName: 'scada.csv', inserted: 2, importedBy: utility.userId });
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'water_import'), eq(auditLog.entityId, r1.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'water.import.history', actorUserId: utility.userId });
  });

  it('W-16 one line outside the access area refuses the whole file: nothing written, reasons per line, still journalled', async () => {
    const own = obj('astana', 'dma2');
    const other = obj('almaty', 'dma1');
    const csv = ['object,metric,ts,value,unit', `${own},flow,2025-06-02 10:00,50,m3/h`, `${other},flow,2025-06-02 10:00,50,m3/h`, `not-an-id,flow,2025-06-02 10:00,50,m3/h`].join('\n');
    const r = await importCsv(t.db, utility, 'history', csv);
    expect(r.status).toBe('refused');
    // an object of another utility and a non-existent one get the same answer (no existence leak)
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'unknown_object'],
      [4, 'unknown_object'],
    ]);
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(waterHistoryHourly).where(eq(waterHistoryHourly.objectId, own));
    expect(n).toBe(0);
    const [imp] = await t.db.select().from(waterImports).where(eq(waterImports.id, r.id));
    expect(imp).toMatchObject({ status: 'refused', errorCount: 2, inserted: 0 });
    const [a] = await t.db.select().from(auditLog).where(eq(auditLog.entityId, r.id));
    expect(a.action).toBe('water.import.history.refused');
    // the operator (national) may import the Almaty object
    expect((await importCsv(t.db, operator, 'history', csv.split('\n').slice(0, 3).join('\n'))).status).toBe('applied');
  });

  it('W-16 weather: a utility for its own city (by region code), not for another; akimats and applicants may not import', async () => {
    const csv = (code: string) => `region,ts,temperature,precipitation\n${code},2025-06-01 10:00,21.5,0\n`;
    expect(await importCsv(t.db, utility, 'weather', csv('710000000'))).toMatchObject({ status: 'applied', inserted: 1 });
    const [w] = await t.db.select().from(waterWeather).where(and(eq(waterWeather.regionId, region('astana')), eq(waterWeather.source, 'import')));
    expect(w).toMatchObject({ kind: 'observed', temperatureC: 21.5, precipitationMm: 0 });
    expect(w.ts.toISOString()).toBe('2025-06-01T05:00:00.000Z');
    const refused = await importCsv(t.db, utility, 'weather', csv('750000000'));
    expect(refused.errors).toEqual([expect.objectContaining({ line: 2, code: 'unknown_region', field: 'region' })]);
    await expect(importCsv(t.db, akimat, 'weather', csv('710000000'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(importCsv(t.db, applicant, 'history', 'x')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(importCsv(t.db, null, 'history', 'x')).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('W-16 the route: 200 with the report, 422 with reasons per line, 401, 403, 404, 413, 415', async () => {
    const dma = obj('astana', 'dma3');
    const good = `object,metric,ts,value,unit\n${dma},consumption,2025-06-03 10:00,80,m3\n`;
    const ok = await route(utility)(post('history', good, { 'x-file-name': encodeURIComponent('история.csv') }), ctx('history'));
    expect(ok.status).toBe(200);
    const okBody = await ok.json();
    expect(okBody).toMatchObject({ status: 'applied', inserted: 1 });
    const [imp] = await t.db.select().from(waterImports).where(eq(waterImports.id, okBody.id));
    expect(imp.fileName).toBe('история.csv');

    const bad = await route(utility)(post('history', good.replace(',80,', ',eighty,')), ctx('history'));
    expect(bad.status).toBe(422);
    const badBody = await bad.json();
    expect(badBody.error.code).toBe('import_refused');
    expect(badBody.report.errors).toEqual([expect.objectContaining({ line: 2, field: 'value', code: 'not_a_number' })]);

    expect((await route(null)(post('history', good), ctx('history'))).status).toBe(401);
    expect((await route(akimat)(post('history', good), ctx('history'))).status).toBe(403);
    expect((await route(utility)(post('readings', good), ctx('readings'))).status).toBe(404);
    const tooBig = await route(utility)(post('history', good, { 'content-length': String(17 * 1024 * 1024) }), ctx('history'));
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.code).toBe('payload_too_large');
    const json = await route(utility)(post('history', '{}', { 'content-type': 'application/json' }), ctx('history'));
    expect(json.status).toBe(415);
  });

  it('W-28 the demo seed fills hourly weather consistent with the simulator: the daily mean is its temperature, rain on its rainy days', async () => {
    await seedWaterWeather(t.db);
    const rows = await t.db
      .select()
      .from(waterWeather)
      .where(and(eq(waterWeather.regionId, region('almaty')), eq(waterWeather.source, 'demo')))
      .orderBy(waterWeather.ts);
    // from the simulator's backfill start until 8 days ahead; observed until now, the forecast after
    expect(rows.length).toBeGreaterThan(22 * 24);
    expect(rows.filter((r) => r.kind === 'forecast').every((r) => r.ts.getTime() >= NOW.getTime())).toBe(true);
    expect(rows.filter((r) => r.kind === 'observed').every((r) => r.ts.getTime() < NOW.getTime())).toBe(true);
    const byDay = new Map<number, typeof rows>();
    for (const r of rows) {
      const day = Math.floor((r.ts.getTime() + 5 * HOUR) / 86_400_000);
      byDay.set(day, [...(byDay.get(day) ?? []), r]);
    }
    let checked = 0;
    for (const [day, hours] of byDay) {
      if (hours.length !== 24) continue;
      const sim = weatherOf(1, day, 'almaty');
      const mean = hours.reduce((s, h) => s + h.temperatureC, 0) / 24;
      expect(Math.abs(mean - sim.temperatureC)).toBeLessThan(0.06);
      const rain = hours.reduce((s, h) => s + h.precipitationMm, 0);
      expect(Math.abs(rain - sim.precipitationMm)).toBeLessThan(0.05);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('W-28 the forecast learns from imported history with the region’s weather and takes the weather forecast for the week ahead', async () => {
    // four weeks of a DMA whose demand rises 3 m³/h per °C above 15 °C, with a daily pattern; the weather is
    // imported for the district's city (the DMA lies in a district: the nearest ancestor's weather applies)
    const dma = obj('astana', 'dma2');
    const end = Math.floor(NOW.getTime() / HOUR) * HOUR;
    const hist = ['object,metric,ts,value,unit'];
    const weather = ['region,ts,temperature,precipitation,kind'];
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const temp = new Map<number, number>();
    let anomaly = 0;
    for (let h = 4 * 168; h >= -168; h--) {
      const ts = end - h * HOUR;
      const p = astanaParts(ts);
      if (p.hour === 0) anomaly = 0.5 * anomaly + 6 * (rand() - 0.5);
      temp.set(ts, 18 + 5 * Math.sin((2 * Math.PI * (p.hour - 9)) / 24) + anomaly);
    }
    for (const [ts, T] of temp) {
      const p = astanaParts(ts);
      if (ts < end) {
        const base = p.hour < 6 ? 40 : p.hour < 9 ? 110 : p.hour < 18 ? 90 : 120;
        const v = base + 3 * Math.max(0, T - 15) + 2 * (rand() - 0.5);
        hist.push(`${dma},flow,${local(ts)},${v.toFixed(3)},m3/h`);
      }
      weather.push(`710000000,${local(ts)},${T.toFixed(2)},0,${ts < end ? 'observed' : 'forecast'}`);
    }
    // the forecast covers only the first 5 days ahead: the last 2 days fall back to the climatological mean
    const weatherCsv = weather.filter((l) => !l.endsWith('forecast') || Date.parse(l.split(',')[1].replace(' ', 'T') + ':00+05:00') < end + 120 * HOUR);
    // only the imported weather counts here (the demo seed of the test above filled the city too)
    await t.db.delete(waterWeather).where(and(eq(waterWeather.regionId, region('astana')), eq(waterWeather.source, 'demo')));
    expect((await importCsv(t.db, utility, 'history', hist.join('\n'))).status).toBe('applied');
    expect((await importCsv(t.db, utility, 'weather', weatherCsv.join('\n'))).status).toBe('applied');

    const scope = await waterScope(t.db, utility);
    const f = await forecastFor(t.db, scope, { kind: 'object', id: dma }, NOW);
    expect(f.status).toBe('ok');
    if (f.status !== 'ok') return;
    expect(f.weather).toBe(true);
    expect(f.model).toBe('prophet_weather');
    expect(f.weatherSources).toEqual({ forecast: 120, observed: 0, climatology: 48 });
    expect(f.forecast).toHaveLength(168);
    expect(f.forecast[0].ts).toBe(new Date(end).toISOString());
    expect(f.backtest).toHaveLength(168);
    expect(f.accuracy.mape).toBeLessThan(5);
    // a hot forecast hour is forecast higher than the same hour on a cool day (the regressor acts)
    const day1 = f.forecast.filter((p) => astanaParts(Date.parse(p.ts)).hour === 14).slice(0, 5);
    const temps = day1.map((p) => temp.get(Date.parse(p.ts))!);
    const hot = temps.indexOf(Math.max(...temps));
    const cool = temps.indexOf(Math.min(...temps));
    expect(temps[hot] - temps[cool]).toBeGreaterThan(2);
    expect(day1[hot].value - day1[cool].value).toBeGreaterThan(3 * (temps[hot] - temps[cool]) * 0.5);
  });
});
