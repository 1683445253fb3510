/**
 * Hourly weather per region (W-28: weather is the forecast's external factor). Observed hours are history; the
 * hours ahead come from a weather forecast (`kind = 'forecast'`, imported by CSV or another source). A region
 * without its own weather uses its nearest ancestor's (a DMA in a district takes the city's weather). When the
 * forecast does not cover an hour ahead, the fallback is the **climatological mean**: the mean temperature and
 * precipitation observed at the same Astana hour of the day over the last CLIMATOLOGY_DAYS days.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { HOUR_MS, astanaParts } from '@/lib/time/astana';

export const CLIMATOLOGY_DAYS = 14;

export type WeatherSource = 'observed' | 'forecast' | 'climatology';
export type RegionWeatherHour = { ts: number; temperature: number; precipitation: number; source: WeatherSource };

/**
 * The weather of every hour in [from, to) known for the region or its nearest ancestor: per hour, an observation
 * beats a forecast, then the nearer region wins. Hours nobody knows are absent.
 */
export async function regionWeather(db: DbOrTx, regionId: string, from: Date, to: Date): Promise<RegionWeatherHour[]> {
  const rows = await db.execute<{ ts: string | Date; temperature_c: number; precipitation_mm: number; kind: 'observed' | 'forecast' }>(sql`
    with recursive up(id, depth) as (
      select id, 0 from regions where id = ${regionId}::uuid
      union all
      select r.parent_id, up.depth + 1 from regions r join up on r.id = up.id where r.parent_id is not null
    )
    select distinct on (w.ts) w.ts, w.temperature_c, w.precipitation_mm, w.kind
    from water_weather w join up on up.id = w.region_id
    where w.ts >= ${from.toISOString()}::timestamptz and w.ts < ${to.toISOString()}::timestamptz
    order by w.ts, (w.kind = 'observed') desc, up.depth`);
  return rows.map((r) => ({
    ts: new Date(r.ts).getTime(),
    temperature: Number(r.temperature_c),
    precipitation: Number(r.precipitation_mm),
    source: r.kind,
  }));
}

/** Mean temperature and precipitation by Astana hour of the day (0…23) of the observations; null without any. */
export function climatology(observed: readonly RegionWeatherHour[]): { temperature: number; precipitation: number }[] | null {
  const obs = observed.filter((w) => w.source === 'observed');
  if (obs.length === 0) return null;
  const sum = Array.from({ length: 24 }, () => ({ t: 0, p: 0, n: 0 }));
  for (const w of obs) {
    const s = sum[astanaParts(w.ts).hour];
    s.t += w.temperature;
    s.p += w.precipitation;
    s.n++;
  }
  const all = { t: obs.reduce((s, w) => s + w.temperature, 0) / obs.length, p: obs.reduce((s, w) => s + w.precipitation, 0) / obs.length };
  return sum.map((s) => (s.n ? { temperature: s.t / s.n, precipitation: s.p / s.n } : { temperature: all.t, precipitation: all.p }));
}

/**
 * Weather for each of `hours` (instants, ms): the stored weather when known, else the climatological mean of the
 * observations in `basis`; null when neither exists (no weather at all for the region).
 */
export function fillWeather(
  hours: readonly number[],
  known: readonly RegionWeatherHour[],
  basis: readonly RegionWeatherHour[],
): RegionWeatherHour[] | null {
  const byTs = new Map(known.map((w) => [w.ts, w]));
  const clim = climatology(basis);
  const out: RegionWeatherHour[] = [];
  for (const ts of hours) {
    const w = byTs.get(ts);
    if (w) out.push(w);
    else if (clim) out.push({ ts, ...clim[astanaParts(ts).hour], source: 'climatology' });
    else return null;
  }
  return out;
}

/** The start of the hour of an instant. */
export const hourStart = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
