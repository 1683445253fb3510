import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * the append-only audit journal. Each row stores the previous row's hash and its own hash over a
 * canonical encoding (lib/audit); a trigger (migration 0003) refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull(),
    actorUserId: uuid(),
    actorIin: text(),
    actorBin: text(),
    actorRole: text(),
    actorName: text(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    basis: text(),
    before: jsonb(),
    after: jsonb(),
    requestId: text(),
    /** The EDS signature that confirmed the change, once signing exists. */
    signatureId: uuid(),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
    index('audit_log_actor_idx').on(t.actorUserId),
    index('audit_log_iin_idx').on(t.actorIin),
  ],
);
