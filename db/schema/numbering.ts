import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** gapless counters per system, scope (e.g. an expert organisation) and year. */
export const numberSequences = pgTable(
  'number_sequences',
  {
    system: text().notNull(),
    scope: text().notNull(),
    year: integer().notNull(),
    lastValue: integer().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.system, t.scope, t.year] })],
);

/** the automatic confirmation of a registration. */
export const receipts = pgTable(
  'receipts',
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text().notNull().unique(),
    system: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    /** What was received, in words (shown and e-mailed). */
    subject: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    /** SHA-256 (hex) of the content received (raw bytes, or canonical JSON: lib/canonical.ts). */
    sha256: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>(),
    recipientUserId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('receipts_entity_idx').on(t.entityType, t.entityId)],
);
