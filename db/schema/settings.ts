import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Operator settings (upload part size, largest file, deadline durations, …), one JSON value per key. */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid(),
});

/** Which seeders have run (the seed is idempotent; this makes re-runs cheap). */
export const seedRuns = pgTable('seed_runs', {
  name: text().primaryKey(),
  version: text().notNull(),
  ranAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
