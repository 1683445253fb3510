import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { jobs } from '@/db/schema/jobs';
import { enqueue, registerJob } from '@/lib/jobs';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { GET, POST } from './route';

 
const t = useTestDb();
const SECRET = 'cron-secret-for-tests-0123456789';
const saved = process.env.CRON_SECRET;

beforeEach(() => {
  process.env.CRON_SECRET = SECRET;
  setClock('2026-03-10T10:00:00Z');
});
afterAll(() => {
  setClock(null);
  if (saved === undefined) delete process.env.CRON_SECRET;
  else process.env.CRON_SECRET = saved;
});

const call = (auth?: string, method = 'POST') =>
  (method === 'POST' ? POST : GET)(new Request('http://localhost/api/cron/tick', { method, headers: auth ? { authorization: auth } : {} }));

describe('the background route /api/cron/tick', () => {
  it("answers 401 'unauthenticated' without a token or with a wrong one", async () => {
    for (const auth of [undefined, 'Bearer wrong-secret', `Basic ${SECRET}`, `Bearer ${SECRET}x`, 'Bearer']) {
      const res = await call(auth);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
  });

  it("answers 503 'unavailable' when CRON_SECRET is not set", async () => {
    delete process.env.CRON_SECRET;
    const res = await call(`Bearer ${SECRET}`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
  });

  it('runs due work with the right secret (POST and GET) and answers the summary', async () => {
    let ran = 0;
    registerJob('test.cron', async () => void ran++);
    await enqueue(t.db, 'test.cron', {});
    const res = await call(`Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { scheduled: number; ran: number; failed: number };
    expect(summary.ran).toBeGreaterThanOrEqual(1);
    expect(summary.failed).toBe(0);
    expect(ran).toBe(1);
    expect((await call(`Bearer ${SECRET}`, 'GET')).status).toBe(200);
    expect(ran).toBe(1);
  });

  it('two calls at once never run a job twice', async () => {
    const runs: number[] = [];
    registerJob('test.cron-once', async (_p, ctx) => void runs.push(ctx.jobId));
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await enqueue(t.db, 'test.cron-once', { i }));
    const [a, b] = await Promise.all([call(`Bearer ${SECRET}`), call(`Bearer ${SECRET}`)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(runs.length).toBe(30);
    expect(new Set(runs).size).toBe(30);
    const done = await t.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.name, 'test.cron-once'));
    expect(done).toHaveLength(30);
  });
});
