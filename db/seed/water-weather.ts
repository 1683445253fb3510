/**
 * The demo's hourly weather (issue 6 part 5): observations from the simulator's backfill start until now and the
 * 7-day forecast after it, for the demo utilities' regions (lib/water/weather/demo.ts). The demo simulator keeps
 * it up to date as it runs.
 */
import type { Db } from '@/db/client';
import { now } from '@/lib/time/clock';
import { BACKFILL_DAYS } from '@/lib/water/simulator/demo';
import { upsertDemoWeather } from '@/lib/water/weather/demo';
import { registerSeeders } from './index';
import { DAY_MS } from '@/lib/time/astana';


export async function seedWaterWeather(db: Db): Promise<void> {
  const at = now();
  await upsertDemoWeather(db, new Date(at.getTime() - (BACKFILL_DAYS + 1) * DAY_MS), new Date(at.getTime() + 8 * DAY_MS), at);
}

registerSeeders({ name: 'water-weather', version: '1', run: seedWaterWeather });
