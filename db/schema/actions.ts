import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';

/**
 * single-use nonces for signed actions. Each is bound to one user and one action name, lives 5 minutes
 * and is consumed exactly once (used_at), so a signature cannot be replayed or reused for another action.
 */
export const actionNonces = pgTable(
  'action_nonces',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    action: text().notNull(),
    /** 32 random bytes, base64. */
    nonce: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('action_nonces_user_created_idx').on(t.userId, t.createdAt), index('action_nonces_expires_idx').on(t.expiresAt)],
);
