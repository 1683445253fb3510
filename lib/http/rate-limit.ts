import { and, eq, sql } from 'drizzle-orm';
import { getDb, type DbOrTx } from '@/db/client';
import { rateLimits } from '@/db/schema/jobs';
import { AppError } from '@/lib/errors';
import { now as clockNow } from '@/lib/time/clock';

/**
 * Request throttling on PostgreSQL (table rate_limits), so every app instance shares the counts — an
 * attacker cannot multiply the limit by the number of instances. Sliding-window approximation: the count
 * of the current fixed window plus the previous window's count weighted by how much of it still overlaps
 * the sliding window. Each call counts as an attempt (refused ones too). Expired windows are deleted by the
 * daily 'jobs.cleanup' task.
 */
export type RateLimitOptions = { limit: number; windowSeconds: number; db?: DbOrTx; now?: Date };
export type RateLimitResult = {
  ok: boolean;
  /** Estimated attempts in the sliding window, this one included. */
  count: number;
  limit: number;
  remaining: number;
  /** Seconds until the current fixed window ends (an upper bound for when an attempt may succeed again). */
  retryAfterSeconds: number;
};

export async function rateLimit(key: string, opts: RateLimitOptions): Promise<RateLimitResult> {
  const { limit, windowSeconds } = opts;
  if (!(limit >= 1) || !(windowSeconds >= 1)) throw new Error('rateLimit: limit and windowSeconds must be ≥ 1');
  const db = opts.db ?? getDb();
  const at = (opts.now ?? clockNow()).getTime();
  const windowMs = windowSeconds * 1000;
  const start = Math.floor(at / windowMs) * windowMs;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: new Date(start), count: 1, expiresAt: new Date(start + 2 * windowMs) })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  const [prev] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, new Date(start - windowMs))));
  const overlap = 1 - (at - start) / windowMs;
  const estimate = row.count + (prev?.count ?? 0) * overlap;
  return {
    ok: estimate <= limit,
    count: Math.ceil(estimate),
    limit,
    remaining: Math.max(0, Math.floor(limit - estimate)),
    retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - at) / 1000)),
  };
}

/** rateLimit, throwing AppError 'rate_limited' (429, Retry-After) when over the limit. */
export async function enforceRateLimit(key: string, opts: RateLimitOptions): Promise<RateLimitResult> {
  const r = await rateLimit(key, opts);
  if (!r.ok) {
    throw new AppError('rate_limited', 'Too many requests. Try again later.', undefined, 429, { retryAfterSeconds: r.retryAfterSeconds });
  }
  return r;
}

/** The client's address as the first proxy saw it (X-Forwarded-For / X-Real-IP), for rate-limit keys. */
export function clientIp(req: Request): string {
  const forwarded = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.headers.get('x-real-ip')?.trim() || 'unknown';
}
