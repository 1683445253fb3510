import { eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Db } from '@/db/client';
import { jobs } from '@/db/schema/jobs';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { enqueue, registerJob, registerPeriodic } from './index';
import { backoffMs, runDueJobs, tick } from './runner';

 
const t = useTestDb();
const extraPools: Array<{ end: () => Promise<void> }> = [];

beforeEach(async () => {
  setClock(null);
  await t.db.delete(jobs);
});
afterAll(async () => {
  setClock(null);
  await Promise.all(extraPools.map((p) => p.end()));
});

/** A second "app instance": its own connection pool on the real server; PGlite serves one connection. */
function secondInstance(): Db {
  if (t.kind !== 'postgres') return t.db;
  const h = connect(t.url, { max: 5 });
  extraPools.push({ end: () => h.sql.end({ timeout: 5 }) });
  return h.db;
}

async function drain(db: Db, workerId: string, ran: number[]) {
  for (;;) {
    const r = await runDueJobs({ db, workerId, limit: 2 });
    if (r.claimed === 0) return;
    ran.push(...r.outcomes.map((o) => o.id));
  }
}

describe('job queue on PostgreSQL', () => {
  it('two runners started concurrently over 200 due jobs never run the same job twice', async () => {
    const runs: number[] = [];
    registerJob('test.concurrent', async (_p, ctx) => {
      runs.push(ctx.jobId);
      await Promise.resolve(); // no delay: the runners' claims collide as often as possible
      return { ok: true };
    });
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) ids.push(await enqueue(t.db, 'test.concurrent', { i }));

    const byA: number[] = [];
    const byB: number[] = [];
    await Promise.all([drain(t.db, 'runner-a', byA), drain(secondInstance(), 'runner-b', byB)]);

    expect(new Set(runs).size).toBe(runs.length); // no job ran twice
    expect([...runs].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b)); // and every job ran
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0); // both runners really competed
    const rows = await t.db.select({ status: jobs.status, attempts: jobs.attempts }).from(jobs).where(inArray(jobs.id, ids));
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
  });

  it('enqueue with a key is idempotent and returns the first job id', async () => {
    const a = await enqueue(t.db, 'test.keyed', { v: 1 }, { key: 'send:42' });
    const b = await enqueue(t.db, 'test.keyed', { v: 2 }, { key: 'send:42' });
    const c = await enqueue(t.db, 'test.keyed', { v: 3 }, { key: 'send:43' });
    const d = await enqueue(t.db, 'test.keyed', { v: 4 }); // no key: never deduplicated
    const e = await enqueue(t.db, 'test.keyed', { v: 5 });
    expect(b).toBe(a);
    expect(new Set([a, c, d, e]).size).toBe(4);
    const [row] = await t.db.select().from(jobs).where(eq(jobs.id, a));
    expect(row.payload).toEqual({ v: 1 });
  });

  it('a job enqueued in a transaction that rolls back does not exist', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await enqueue(tx, 'test.rollback', {});
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await t.db.select().from(jobs).where(eq(jobs.name, 'test.rollback'))).toHaveLength(0);
  });

  it('a job is not run before its runAt', async () => {
    setClock('2026-03-10T10:00:00Z');
    let ran = 0;
    registerJob('test.later', async () => void ran++);
    await enqueue(t.db, 'test.later', {}, { runAt: new Date('2026-03-10T10:05:00Z') });
    expect((await runDueJobs()).claimed).toBe(0);
    setClock('2026-03-10T10:05:00Z');
    expect((await runDueJobs()).ran).toBe(1);
    expect(ran).toBe(1);
  });

  it("a failing job is retried with exponential backoff and ends 'failed' after maxAttempts", async () => {
    const t0 = new Date('2026-03-10T10:00:00Z').getTime();
    setClock(new Date(t0));
    let calls = 0;
    registerJob('test.failing', async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const id = await enqueue(t.db, 'test.failing', {}, { maxAttempts: 3 });
    const row = async () => (await t.db.select().from(jobs).where(eq(jobs.id, id)))[0];

    expect(await runDueJobs()).toMatchObject({ ran: 1, failed: 1 });
    let r = await row();
    expect(r).toMatchObject({ status: 'pending', attempts: 1, lockedBy: null });
    expect(r.lastError).toContain('boom 1');
    expect(r.runAt.getTime()).toBe(t0 + 30_000);

    setClock(new Date(t0 + 29_999));
    expect((await runDueJobs()).claimed).toBe(0); // not yet due

    setClock(new Date(t0 + 30_000));
    await runDueJobs();
    r = await row();
    expect(r).toMatchObject({ status: 'pending', attempts: 2 });
    expect(r.runAt.getTime()).toBe(t0 + 30_000 + 60_000); // doubled

    setClock(new Date(t0 + 90_000));
    await runDueJobs();
    r = await row();
    expect(r).toMatchObject({ status: 'failed', attempts: 3 });
    expect(r.lastError).toContain('boom 3');
    expect(r.finishedAt?.getTime()).toBe(t0 + 90_000);

    setClock(new Date(t0 + 86_400_000));
    expect((await runDueJobs()).claimed).toBe(0); // failed for good
    expect(calls).toBe(3);
    expect([1, 2, 3, 4, 20].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000]);
  });

  it('a job that fails once and then succeeds ends done with its result', async () => {
    setClock('2026-03-10T10:00:00Z');
    let calls = 0;
    registerJob('test.flaky', async (p: { x: number }) => {
      if (++calls === 1) throw new Error('transient');
      return { doubled: p.x * 2 };
    });
    const id = await enqueue(t.db, 'test.flaky', { x: 21 });
    await runDueJobs();
    setClock('2026-03-10T10:00:30Z');
    await runDueJobs();
    const [r] = await t.db.select().from(jobs).where(eq(jobs.id, id));
    expect(r).toMatchObject({ status: 'done', attempts: 2, result: { doubled: 42 }, lastError: null });
  });

  it('a job without a registered handler fails visibly instead of vanishing', async () => {
    const id = await enqueue(t.db, 'test.nobody-handles-this', {}, { maxAttempts: 1 });
    await runDueJobs();
    const [r] = await t.db.select().from(jobs).where(eq(jobs.id, id));
    expect(r.status).toBe('failed');
    expect(r.lastError).toContain("no handler is registered for job 'test.nobody-handles-this'");
  });

  it("stale 'running' jobs (locked over 10 minutes ago) are reclaimed; recent ones are left alone", async () => {
    const at = new Date('2026-03-10T10:00:00Z');
    setClock(at);
    const ran: number[] = [];
    registerJob('test.stale', async (_p, ctx) => void ran.push(ctx.jobId));
    const stale = await enqueue(t.db, 'test.stale', {});
    const fresh = await enqueue(t.db, 'test.stale', {});
    const exhausted = await enqueue(t.db, 'test.stale', {}, { maxAttempts: 1 });
    const lock = (id: number, minutesAgo: number, attempts: number) =>
      t.db
        .update(jobs)
        .set({ status: 'running', lockedBy: 'dead-worker', lockedAt: new Date(at.getTime() - minutesAgo * 60_000), attempts })
        .where(eq(jobs.id, id));
    await lock(stale, 11, 1);
    await lock(fresh, 5, 1);
    await lock(exhausted, 11, 1);

    await runDueJobs({ workerId: 'live' });
    expect(ran).toEqual([stale]);
    const rows = Object.fromEntries((await t.db.select().from(jobs)).map((r) => [r.id, r]));
    expect(rows[stale]).toMatchObject({ status: 'done', attempts: 2 });
    expect(rows[fresh]).toMatchObject({ status: 'running', lockedBy: 'dead-worker' });
    expect(rows[exhausted].status).toBe('failed');
    expect(rows[exhausted].lastError).toContain('abandoned');
  });
});

describe('periodic tasks', () => {
  it("a periodic task's slot runs once when tick() is called twice for the same minute, also concurrently", async () => {
    const slots: string[] = [];
    registerPeriodic('test.every5', { everyMinutes: 5 }, async ({ slot }) => void slots.push(slot));
    setClock('2026-03-10T10:02:00Z');
    await tick();
    setClock('2026-03-10T10:02:40Z');
    await Promise.all([tick(), tick({ db: secondInstance() })]);
    expect(slots).toEqual(['2026-03-10T15:00']);
    setClock('2026-03-10T10:05:00Z');
    await tick();
    expect(slots).toEqual(['2026-03-10T15:00', '2026-03-10T15:05']);
    const keys = (await t.db.select({ key: jobs.key }).from(jobs).where(like(jobs.key, 'periodic:test.every5:%'))).map((r) => r.key);
    expect(keys.sort()).toEqual(['periodic:test.every5:2026-03-10T15:00', 'periodic:test.every5:2026-03-10T15:05']);
  });

  it("X-1 dailyAt '00:05' fires at 19:05 UTC of the previous day (Astana time, not the server's zone)", async () => {
    const fired: Array<{ slot: string; scheduledFor: string }> = [];
    registerPeriodic('test.daily', { dailyAt: '00:05' }, async ({ slot, scheduledFor }) => {
      fired.push({ slot, scheduledFor: scheduledFor.toISOString() });
    });
    setClock('2026-03-10T19:04:00Z'); // 00:04 on 11 March in Astana: the latest slot is 10 March's (catch-up)
    await tick();
    expect(fired).toEqual([{ slot: '2026-03-10', scheduledFor: '2026-03-09T19:05:00.000Z' }]);
    setClock('2026-03-10T19:05:00Z'); // 00:05 on 11 March in Astana
    const s = await tick();
    expect(s.ran).toBeGreaterThanOrEqual(1);
    expect(fired[1]).toEqual({ slot: '2026-03-11', scheduledFor: '2026-03-10T19:05:00.000Z' });
    setClock('2026-03-11T12:00:00Z'); // 17:00 on 11 March in Astana: nothing new for today
    await tick();
    expect(fired).toHaveLength(2);
  });

  it("the built-in 'jobs.cleanup' deletes done jobs older than 30 days and nothing else", async () => {
    const at = new Date('2026-07-01T00:00:00Z');
    const day = 86_400_000;
    const old = new Date(at.getTime() - 31 * day);
    const recent = new Date(at.getTime() - 29 * day);
    const [doneOld, doneRecent, failedOld] = await t.db
      .insert(jobs)
      .values([
        { name: 'x', runAt: old, status: 'done', finishedAt: old },
        { name: 'x', runAt: recent, status: 'done', finishedAt: recent },
        { name: 'x', runAt: old, status: 'failed', finishedAt: old },
      ])
      .returning({ id: jobs.id });
    setClock(at);
    await tick();
    const left = (await t.db.select({ id: jobs.id }).from(jobs)).map((r) => r.id);
    expect(left).not.toContain(doneOld.id);
    expect(left).toContain(doneRecent.id);
    expect(left).toContain(failedOld.id);
    const [cleanup] = await t.db.select().from(jobs).where(like(jobs.key, 'periodic:jobs.cleanup:%'));
    expect(cleanup).toMatchObject({ status: 'done', result: { deletedJobs: 1 } });
  });
});
