import { afterAll, describe, expect, it } from 'vitest';
import { rateLimits } from '@/db/schema/jobs';
import { AppError } from '@/lib/errors';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { clientIp, enforceRateLimit, rateLimit } from './rate-limit';

 
const t = useTestDb();
afterAll(() => setClock(null));

describe('rateLimit on PostgreSQL', () => {
  it('allows `limit` attempts in a window and refuses the next, per key', async () => {
    setClock('2026-03-10T10:00:10Z');
    const opts = { limit: 3, windowSeconds: 300 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await rateLimit('signin:1.2.3.4', opts));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[2].remaining).toBe(0);
    expect(results[3].retryAfterSeconds).toBe(290); // until 10:05:00 UTC
    expect((await rateLimit('signin:5.6.7.8', opts)).ok).toBe(true); // another key has its own count
  });

  it("the previous window still counts in part (sliding window), so a window boundary doesn't reset a burst", async () => {
    const opts = { limit: 4, windowSeconds: 60 };
    setClock('2026-03-10T11:00:50Z');
    for (let i = 0; i < 4; i++) expect((await rateLimit('burst', opts)).ok).toBe(true);
    setClock('2026-03-10T11:01:05Z'); // new fixed window, but 55/60 of the previous one overlaps
    expect((await rateLimit('burst', opts)).ok).toBe(false);
    setClock('2026-03-10T11:02:10Z'); // two windows later: clean
    expect((await rateLimit('burst', opts)).ok).toBe(true);
  });

  it("enforceRateLimit throws AppError 'rate_limited' (429) with retryAfterSeconds", async () => {
    setClock('2026-03-10T12:00:00Z');
    const opts = { limit: 1, windowSeconds: 60 };
    await enforceRateLimit('enforce', opts);
    const e = await enforceRateLimit('enforce', opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'rate_limited', status: 429, params: { retryAfterSeconds: 60 } });
  });

  it('concurrent attempts are all counted (no lost updates)', async () => {
    setClock('2026-03-10T13:00:00Z');
    const opts = { limit: 100, windowSeconds: 60 };
    await Promise.all(Array.from({ length: 20 }, () => rateLimit('concurrent', opts)));
    const rows = (await t.db.select().from(rateLimits)).filter((r) => r.key === 'concurrent');
    expect(rows).toHaveLength(1);
    expect(rows[0].count).toBe(20);
    expect(rows[0].expiresAt.toISOString()).toBe('2026-03-10T13:02:00.000Z');
  });

  it('clientIp takes the first X-Forwarded-For address', () => {
    expect(clientIp(new Request('http://x/', { headers: { 'x-forwarded-for': '203.0.113.5, 10.0.0.1' } }))).toBe('203.0.113.5');
    expect(clientIp(new Request('http://x/', { headers: { 'x-real-ip': '198.51.100.7' } }))).toBe('198.51.100.7');
    expect(clientIp(new Request('http://x/'))).toBe('unknown');
  });
});
