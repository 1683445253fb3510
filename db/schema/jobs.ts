import { bigint, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const jobStatus = pgEnum('job_status', ['pending', 'running', 'done', 'failed']);

/** Background work on PostgreSQL: claimed with FOR UPDATE SKIP LOCKED, so two runners never run one job. */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    /** Idempotency key: a second enqueue with the same key is ignored. */
    key: text(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runAt: timestamp({ withTimezone: true }).notNull(),
    status: jobStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(5),
    lockedAt: timestamp({ withTimezone: true }),
    lockedBy: text(),
    lastError: text(),
    result: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('jobs_due_idx').on(t.status, t.runAt), uniqueIndex('jobs_key_uq').on(t.key)],
);

/** When each periodic task last ran (one row per task). */
export const periodicRuns = pgTable('periodic_runs', {
  name: text().primaryKey(),
  lastRunAt: timestamp({ withTimezone: true }),
  lastSlot: text(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/**
 * Request throttling (lib/http/rate-limit.ts): one counter per key and fixed window, shared by every app
 * instance because it lives in PostgreSQL. Expired rows are deleted by the daily 'jobs.cleanup' task.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_expires_idx').on(t.expiresAt)],
);
