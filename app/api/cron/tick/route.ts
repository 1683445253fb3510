import crypto from 'node:crypto';
import { AppError } from '@/lib/errors';
import { jsonRoute } from '@/lib/http/route';
import { tick } from '@/lib/jobs/runner';

/**
 * The background route: runs due work (tick) for an external cron. Authorised by
 * `Authorization: Bearer <CRON_SECRET>`. Idempotent: concurrent calls share the queue's row locks and slot
 * keys, so no job runs twice.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Constant-time comparison (hashing first makes the lengths equal and hides them). */
function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

const handler = jsonRoute({}, async ({ req }) => {
  const secret = process.env.CRON_SECRET;
  if (!secret) throw new AppError('unavailable', 'The background route is off: CRON_SECRET is not set.');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '');
  if (!m || !sameSecret(m[1], secret)) throw new AppError('unauthenticated', 'A valid bearer token is required.');
  return await tick();
});

export const POST = handler;
export const GET = handler;
