import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { jobs } from '@/db/schema/jobs';
import { now } from '@/lib/time/clock';
import { validateSchedule, type Schedule } from './schedule';

/**
 * The job queue's public side: what domain modules use. A domain registers its handlers in its own
 * `lib/<domain>/jobs.ts` (listed in lib/jobs/registry.ts) and enqueues work inside its own transactions, so
 * a job exists exactly when the change that asked for it committed.
 */
export type JobPayload = Record<string, unknown>;

export type JobContext = {
  /** The process's database (the handler runs outside the claiming transaction; open your own). */
  db: Db;
  /** The instant the job started (from lib/time/clock, so tests control it). */
  now: Date;
  jobId: number;
  name: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  maxAttempts: number;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler narrows its own payload
export type JobHandler<P = any> = (payload: P, ctx: JobContext) => Promise<unknown>;

export type PeriodicContext = JobContext & { slot: string; scheduledFor: Date };
export type PeriodicHandler = (ctx: PeriodicContext) => Promise<unknown>;
export type PeriodicTask = { name: string; schedule: Schedule; maxAttempts: number };

const handlers = new Map<string, JobHandler>();
const periodics = new Map<string, PeriodicTask>();

/** Registers (or, on hot reload, replaces) the handler of a job name. */
export function registerJob<P = JobPayload>(name: string, handler: JobHandler<P>): void {
  if (!name) throw new Error('registerJob: a job needs a name');
  handlers.set(name, handler as JobHandler);
}

export function jobHandler(name: string): JobHandler | undefined {
  return handlers.get(name);
}

/**
 * A task that runs once per slot of `schedule` (Astana time). Each slot becomes a job with the key
 * `periodic:<name>:<slot>`, so however many instances tick, a slot runs once. After downtime only the
 * latest missed slot runs (no backfill of every missed one).
 */
export function registerPeriodic(
  name: string,
  schedule: Schedule,
  handler: PeriodicHandler,
  opts: { maxAttempts?: number } = {},
): void {
  validateSchedule(schedule);
  periodics.set(name, { name, schedule, maxAttempts: opts.maxAttempts ?? 3 });
  registerJob<{ slot: string; scheduledFor: string }>(name, (payload, ctx) =>
    handler({ ...ctx, slot: payload.slot, scheduledFor: new Date(payload.scheduledFor) }),
  );
}

export function registeredPeriodics(): PeriodicTask[] {
  return [...periodics.values()];
}

export type EnqueueOptions = {
  /** Not before this instant (default: now). */
  runAt?: Date;
  /** Idempotency key: a second enqueue with the same key is ignored and returns the first job's id. */
  key?: string;
  /** Attempts before the job ends 'failed' (default 5). */
  maxAttempts?: number;
};

/** Adds a job; inside a transaction it appears only if the transaction commits. Returns the job id. */
export async function enqueue(db: DbOrTx, name: string, payload: JobPayload = {}, opts: EnqueueOptions = {}): Promise<number> {
  const maxAttempts = opts.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`enqueue: maxAttempts must be ≥ 1, got ${maxAttempts}`);
  const inserted = await db
    .insert(jobs)
    .values({ name, key: opts.key ?? null, payload, runAt: opts.runAt ?? now(), maxAttempts })
    .onConflictDoNothing({ target: jobs.key })
    .returning({ id: jobs.id });
  if (inserted.length > 0) return inserted[0].id;
  // Only a key can conflict; the conflicting row has committed (ON CONFLICT waited for it), so it is visible.
  const [existing] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.key, opts.key!));
  if (!existing) throw new Error(`enqueue: the job with key '${opts.key}' conflicted but is not visible`);
  return existing.id;
}
