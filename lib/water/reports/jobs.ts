import { registerPeriodic } from '@/lib/jobs';
import { previousDay, previousMonth, generateRegular, generateUrgent } from './generate';

/** W-30: the daily reports at 06:00 Astana for the previous Astana day, every level. */
registerPeriodic('water.reports-daily', { dailyAt: '06:00' }, async ({ db, slot }) => generateRegular(db, 'daily', previousDay(slot)));

/** W-30: the monthly reports on the 1st at 06:30 Astana for the previous month (other days: nothing to do). */
registerPeriodic('water.reports-monthly', { dailyAt: '06:30' }, async ({ db, slot }) =>
  slot.endsWith('-01') ? generateRegular(db, 'monthly', previousMonth(slot)) : { skipped: true },
);

/** W-30: urgent reports for newly opened critical alerts, polled every minute. */
registerPeriodic('water.reports-urgent', { everyMinutes: 1 }, async ({ db, now }) => generateUrgent(db, { at: now }));
