/**
 * The demo's weather (issue 6 parts 5 and 11), consistent with the simulator: lib/water/simulator/generate.ts
 * scales demand by each Astana day's weather (`weatherOf`: a daily mean temperature, a daily rainfall). Stored
 * hourly per utility's region (Astana, Almaty): the temperature is the day's mean plus a daily cycle of ±4 °C
 * peaking at 15:00 (so the day's mean is the simulator's), the rainfall is the day's spread evenly over its 24
 * hours. Hours before `observedUntil` are stored as observations, the later ones as the weather forecast (the
 * simulator's weather is deterministic, so in the demo the forecast is exact — a real source is not).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { waterWeather } from '@/db/schema';
import { demoWaterId } from '@/db/seed/water';
import { weatherOf, type SimUtility } from '@/lib/water/simulator/generate';
import { HOUR_MS, DAY_MS } from '@/lib/time/astana';

const ASTANA_OFFSET_MS = 5 * HOUR_MS; // as the simulator: days are Astana days at UTC+5

export const DEMO_WEATHER_REGIONS: Record<SimUtility['key'], string> = { astana: 'astana', almaty: 'almaty' };

/** The demo weather of one hour (its start, ms) for a utility's region. */
export function demoWeatherHour(seed: number, ts: number, utility: SimUtility['key']): { temperatureC: number; precipitationMm: number } {
  const local = ts + ASTANA_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  const hour = Math.floor((local - day * DAY_MS) / HOUR_MS);
  const w = weatherOf(seed, day, utility);
  return {
    temperatureC: Math.round((w.temperatureC + 4 * Math.sin((2 * Math.PI * (hour - 9)) / 24)) * 10) / 10,
    precipitationMm: Math.round((w.precipitationMm / 24) * 1000) / 1000,
  };
}

/** Upserts the demo weather of [from, to) (whole hours) for both demo utilities' regions. */
export async function upsertDemoWeather(db: DbOrTx, from: Date, to: Date, observedUntil: Date, seed = 1): Promise<number> {
  const start = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  let n = 0;
  for (const key of Object.keys(DEMO_WEATHER_REGIONS) as SimUtility['key'][]) {
    const regionId = demoWaterId(`region:${DEMO_WEATHER_REGIONS[key]}`);
    const rows: (typeof waterWeather.$inferInsert)[] = [];
    for (let ts = start; ts < to.getTime(); ts += HOUR_MS) {
      const w = demoWeatherHour(seed, ts, key);
      rows.push({ regionId, kind: ts < observedUntil.getTime() ? 'observed' : 'forecast', ts: new Date(ts), ...w, source: 'demo' });
    }
    for (let i = 0; i < rows.length; i += 1000) {
      await db
        .insert(waterWeather)
        .values(rows.slice(i, i + 1000))
        .onConflictDoUpdate({
          target: [waterWeather.regionId, waterWeather.kind, waterWeather.ts],
          set: { temperatureC: sql`excluded.temperature_c`, precipitationMm: sql`excluded.precipitation_mm`, updatedAt: sql`now()` },
          setWhere: sql`${waterWeather.source} = 'demo'`,
        });
    }
    n += rows.length;
  }
  return n;
}
