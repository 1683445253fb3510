import { lt } from 'drizzle-orm';
import { signInAttempts } from '@/db/schema/identity';
import { registerPeriodic } from '@/lib/jobs';
import { purgeActionNonces } from './action-nonce';
import { purgeChallenges } from './challenge';

/**
 * Daily: forget used or expired sign-in challenges, signed-action nonces used or expired more than a day ago,
 * and sign-in attempt counters older than a day (the rate-limit window is 5 minutes).
 */
registerPeriodic('auth.cleanup', { dailyAt: '03:20' }, async ({ db, now }) => {
  const challenges = await purgeChallenges(db);
  const nonces = await purgeActionNonces(db);
  const attempts = await db
    .delete(signInAttempts)
    .where(lt(signInAttempts.at, new Date(now.getTime() - 24 * 60 * 60 * 1000)))
    .returning({ id: signInAttempts.id });
  return { challenges, nonces, attempts: attempts.length };
});
