import { registerPeriodic } from '@/lib/jobs';
import { refreshForecasts } from './dashboard/forecasts';
import { ensureReadingPartitions } from './partitions';

/** W-17: keep readings partitions three months ahead (ingest also creates them on first sight of a month). */
registerPeriodic('water.reading-partitions', { dailyAt: '02:10' }, async ({ db, now }) => {
  const created = await ensureReadingPartitions(db, now, 3);
  return { created };
});

/**
 * W-28: demand forecasts off the request path — every DMA and utility refitted hourly into water_forecasts
 * (lib/water/dashboard/forecasts.ts). The first slot after a start runs at the scheduler's first tick, in the
 * background: the demo's first fit never blocks the start.
 */
registerPeriodic('water.forecasts', { everyMinutes: 60 }, async ({ db, now }) => refreshForecasts(db, now));
