/** The expertise domain's scheduled jobs (listed in lib/jobs/registry.ts). */
import { registerPeriodic } from '@/lib/jobs';
import { archiveExpiredApplications, runCompletenessDeadlines } from './review';

/** E-45: every minute, lock completeness results whose deadline passed (automatic positive when none). */
registerPeriodic('expertise.completeness', { everyMinutes: 1 }, ({ db, now }) => runCompletenessDeadlines(db, now));

/** E-23/X-6: daily, archive applications 3 years after registration. */
registerPeriodic('expertise.retention', { dailyAt: '02:40' }, async ({ db, now }) => ({ archived: await archiveExpiredApplications(db, now) }));
