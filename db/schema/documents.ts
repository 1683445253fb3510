import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';

/**
 * A finished resumable (tus) upload: the file now sits in the content-addressed store under its SHA-256.
 * The row binds the file to the user who uploaded it; domain code (documents of an application) refers to
 * the file by `sha256` / `storageKey` after checking the uploader.
 */
export const uploads = pgTable(
  'uploads',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The tus upload id (the last path segment of its URL). */
    tusId: text().notNull().unique(),
    ownerUserId: uuid()
      .notNull()
      .references(() => users.id),
    fileName: text().notNull(),
    contentType: text(),
    size: bigint({ mode: 'number' }).notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('uploads_owner_idx').on(t.ownerUserId, t.createdAt)],
);
