import { and, eq, lt } from 'drizzle-orm';
import { jobs, rateLimits } from '@/db/schema/jobs';
import { registerPeriodic } from './queue';

/** Done jobs are kept this long for inspection, then deleted (failed ones stay until someone looks). */
export const DONE_JOB_RETENTION_DAYS = 30;

/** The queue's own housekeeping: old finished jobs and expired rate-limit windows. */
registerPeriodic('jobs.cleanup', { dailyAt: '03:30' }, async ({ db, now }) => {
  const cutoff = new Date(now.getTime() - DONE_JOB_RETENTION_DAYS * 86_400_000);
  const deletedJobs = await db
    .delete(jobs)
    .where(and(eq(jobs.status, 'done'), lt(jobs.finishedAt, cutoff)))
    .returning({ id: jobs.id });
  const deletedWindows = await db.delete(rateLimits).where(lt(rateLimits.expiresAt, now)).returning({ key: rateLimits.key });
  return { deletedJobs: deletedJobs.length, deletedRateLimitWindows: deletedWindows.length };
});
