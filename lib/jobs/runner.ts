import os from 'node:os';
import crypto from 'node:crypto';
import { and, asc, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { getDb, type Db } from '@/db/client';
import { jobs } from '@/db/schema/jobs';
import { now as clockNow } from '@/lib/time/clock';
import { jobHandler, registeredPeriodics } from './queue';
import { currentSlot } from './schedule';
// Side effect: every domain's job registrations (and the built-in cleanup).
import './registry';

/** A 'running' job whose worker has been silent this long is presumed dead and reclaimed. */
export const STALE_AFTER_MS = 10 * 60_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;

/** Delay before retry number `attempt` (1 = after the first failure): 30 s, 1 min, 2 min, … capped at 1 h. */
export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_MS);
}

export function defaultWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
}

export type RunOptions = {
  workerId?: string;
  /** Jobs claimed at once (default 10). */
  limit?: number;
  /** The instant to treat as now (default: lib/time/clock now() at each step). */
  now?: Date;
  db?: Db;
};

export type JobOutcome = { id: number; name: string; status: 'done' | 'pending' | 'failed'; error?: string };
export type RunResult = { claimed: number; ran: number; failed: number; outcomes: JobOutcome[] };

function errorText(e: unknown): string {
  const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}

/** A handler's result as storable JSON (a result that cannot be serialised must not fail a finished job). */
function storable(result: unknown): unknown {
  if (result === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(result)) ?? null;
  } catch {
    return { unserialisable: String(result) };
  }
}

/**
 * Claims due jobs in one short statement (FOR UPDATE SKIP LOCKED: concurrent runners never claim the same
 * row), then runs each handler outside any transaction and records the outcome. A failure is retried with
 * exponential backoff until max_attempts, then the job ends 'failed'.
 */
export async function runDueJobs(opts: RunOptions = {}): Promise<RunResult> {
  const db = opts.db ?? getDb();
  const workerId = opts.workerId ?? defaultWorkerId();
  const limit = opts.limit ?? 10;
  const at = () => opts.now ?? clockNow();
  const claimAt = at();
  const staleBefore = new Date(claimAt.getTime() - STALE_AFTER_MS);

  // A job abandoned by a dead worker on its last attempt is not run again: it failed.
  await db
    .update(jobs)
    .set({
      status: 'failed',
      lastError: sql`coalesce(${jobs.lastError} || E'\n', '') || 'abandoned: worker ' || coalesce(${jobs.lockedBy}, '?') || ' did not finish within 10 minutes'`,
      finishedAt: claimAt,
      lockedAt: null,
      lockedBy: null,
    })
    .where(and(eq(jobs.status, 'running'), lt(jobs.lockedAt, staleBefore), gte(jobs.attempts, jobs.maxAttempts)));

  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      or(
        and(eq(jobs.status, 'pending'), lte(jobs.runAt, claimAt)),
        and(eq(jobs.status, 'running'), lt(jobs.lockedAt, staleBefore)),
      ),
    )
    .orderBy(asc(jobs.runAt), asc(jobs.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(jobs)
    .set({ status: 'running', lockedBy: workerId, lockedAt: claimAt, attempts: sql`${jobs.attempts} + 1` })
    .where(inArray(jobs.id, due))
    .returning();
  claimed.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);

  const outcomes: JobOutcome[] = [];
  for (const job of claimed) {
    // Only the claim we hold may finish the job (a reclaimed job's first worker must not overwrite it).
    const mine = and(eq(jobs.id, job.id), eq(jobs.status, 'running'), eq(jobs.lockedBy, workerId), eq(jobs.attempts, job.attempts));
    const startedAt = at();
    try {
      const handler = jobHandler(job.name);
      if (!handler) throw new Error(`no handler is registered for job '${job.name}'`);
      const result = await handler(job.payload, {
        db,
        now: startedAt,
        jobId: job.id,
        name: job.name,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
      });
      await db
        .update(jobs)
        .set({ status: 'done', result: storable(result), finishedAt: at(), lockedAt: null, lockedBy: null, lastError: null })
        .where(mine);
      outcomes.push({ id: job.id, name: job.name, status: 'done' });
    } catch (e) {
      const final = job.attempts >= job.maxAttempts;
      const error = errorText(e);
      console.error(`[jobs] ${job.name}#${job.id} attempt ${job.attempts}/${job.maxAttempts} failed:`, e);
      await db
        .update(jobs)
        .set({
          status: final ? 'failed' : 'pending',
          runAt: final ? job.runAt : new Date(at().getTime() + backoffMs(job.attempts)),
          finishedAt: final ? at() : null,
          lastError: error,
          lockedAt: null,
          lockedBy: null,
        })
        .where(mine);
      outcomes.push({ id: job.id, name: job.name, status: final ? 'failed' : 'pending', error: e instanceof Error ? e.message : String(e) });
    }
  }
  return {
    claimed: claimed.length,
    ran: outcomes.length,
    failed: outcomes.filter((o) => o.status !== 'done').length,
    outcomes,
  };
}

/** Inserts the current slot of every periodic task (ignored when that slot already has its job). */
export async function schedulePeriodic(db: Db, at: Date): Promise<number> {
  let scheduled = 0;
  for (const task of registeredPeriodics()) {
    const { slot, at: slotAt } = currentSlot(task.schedule, at);
    const inserted = await db
      .insert(jobs)
      .values({
        name: task.name,
        key: `periodic:${task.name}:${slot}`,
        payload: { slot, scheduledFor: slotAt.toISOString() },
        runAt: slotAt,
        maxAttempts: task.maxAttempts,
      })
      .onConflictDoNothing({ target: jobs.key })
      .returning({ id: jobs.id });
    scheduled += inserted.length;
  }
  return scheduled;
}

export type TickOptions = RunOptions & {
  /** Stop claiming more batches after this long (default 50 s, inside a one-minute tick). */
  budgetMs?: number;
};
/** `ran`: jobs whose handler was run (successfully or not); `failed`: those of them that threw. */
export type TickSummary = { scheduled: number; ran: number; failed: number };

/**
 * One round of background work: schedule due periodic slots, then run due jobs batch after batch until none
 * is left or the budget is spent. Safe to call concurrently from any number of instances.
 */
export async function tick(opts: TickOptions = {}): Promise<TickSummary> {
  const db = opts.db ?? getDb();
  const workerId = opts.workerId ?? defaultWorkerId();
  const limit = opts.limit ?? 10;
  const budget = opts.budgetMs ?? 50_000;
  const started = Date.now();
  const scheduled = await schedulePeriodic(db, opts.now ?? clockNow());
  let ran = 0;
  let failed = 0;
  for (;;) {
    const r = await runDueJobs({ db, workerId, limit, now: opts.now });
    ran += r.ran;
    failed += r.failed;
    if (r.claimed < limit || Date.now() - started > budget) break;
  }
  return { scheduled, ran, failed };
}
