import { registerPeriodic } from '@/lib/jobs';
import { runMonitoring } from './run';

/** W-27: live monitoring every minute (silence, thresholds, seasonal band, escalation). */
registerPeriodic('water.monitoring', { everyMinutes: 1 }, async ({ db, now }) => runMonitoring(db, now));

/** W-21/W-23/W-35: the daily checks after the night window closes (MNF leaks, consumption norm, verification). */
registerPeriodic('water.monitoring-daily', { dailyAt: '05:30' }, async ({ db, now }) => runMonitoring(db, now, { daily: true, realtime: false }));
