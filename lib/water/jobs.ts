import { registerPeriodic } from '@/lib/jobs';
import { ensureReadingPartitions } from './partitions';

/** W-17: keep readings partitions three months ahead (ingest also creates them on first sight of a month). */
registerPeriodic('water.reading-partitions', { dailyAt: '02:10' }, async ({ db, now }) => {
  const created = await ensureReadingPartitions(db, now, 3);
  return { created };
});
