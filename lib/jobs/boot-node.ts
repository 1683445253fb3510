import { EnvError, parseEnv } from '@/lib/env';
import { checkTimeZoneData } from '@/lib/time/zone';

/**
 * Server start-up in the Node.js runtime (called from instrumentation.ts): refuse to serve with wrong
 * time-zone data or wrong settings, then start the in-process scheduler.
 */
function fail(message: string): never {
  console.error(`\n✖ Bir Tereze cannot start.\n${message}\n`);
  process.exit(1);
}

export async function bootNode(): Promise<void> {
  const tzProblem = checkTimeZoneData();
  if (tzProblem) fail(tzProblem);

  let env;
  try {
    env = parseEnv();
  } catch (e) {
    if (e instanceof EnvError) fail(e.message);
    throw e;
  }

  if (env.SCHEDULER_INTERVAL_SECONDS === 0) {
    console.info('[scheduler] off (SCHEDULER_INTERVAL_SECONDS=0)');
    return;
  }
  if (!process.env.DATABASE_URL) {
    console.warn('[scheduler] off: DATABASE_URL is not set (start with `npm start`, which provides the database)');
    return;
  }
  const { startScheduler } = await import('./scheduler');
  startScheduler({ intervalSeconds: env.SCHEDULER_INTERVAL_SECONDS });
  console.info(`[scheduler] ticking every ${env.SCHEDULER_INTERVAL_SECONDS} s`);
}
