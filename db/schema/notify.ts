import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';

/**
 * the personal cabinet's notifications. Title and body are stored already rendered in the recipient's
 * language (the caller renders them, see lib/notify/templates.ts), so the list never re-renders old messages.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    /** e.g. 'receipt', 'registration.confirmed', 'account.deactivated', 'document.to_sign', 'alert'. */
    kind: text().notNull(),
    title: text().notNull(),
    /** Plain text. */
    body: text().notNull(),
    /** Relative URL inside the portal, e.g. '/cabinet/documents/…'. */
    link: text(),
    data: jsonb().$type<Record<string, unknown>>(),
    entityType: text(),
    entityId: text(),
    /** A repeated notify() with the same key creates nothing new. */
    idempotencyKey: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('notifications_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_user_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
    uniqueIndex('notifications_idempotency_uq').on(t.idempotencyKey),
  ],
);

export const mailStatus = pgEnum('mail_status', ['pending', 'sending', 'sent', 'failed']);

/**
 * The e-mail outbox: a row is written in the same transaction as the change that causes it, and a sender
 * (lib/notify/jobs.ts) claims due rows with FOR UPDATE SKIP LOCKED and delivers them over SMTP.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid().primaryKey().defaultRandom(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text(),
    kind: text().notNull(),
    /** Unique: also the seed of the Message-ID, so a re-send after a crash is recognisable by the receiver. */
    idempotencyKey: text().notNull(),
    notificationId: uuid().references(() => notifications.id),
    status: mailStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull(),
    /** Who holds the current claim and since when (a 'sending' row whose claim is old is presumed abandoned). */
    claimedBy: text(),
    claimedAt: timestamp({ withTimezone: true }),
    lastError: text(),
    /** The Message-ID the message was sent with. */
    messageId: text(),
    /** The SMTP server's final reply, e.g. '250 OK: queued as …'. */
    smtpResponse: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('mail_outbox_idempotency_uq').on(t.idempotencyKey),
    index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('mail_outbox_notification_idx').on(t.notificationId),
  ],
);

/** Per-user notification preferences (the identity schema has no locale of its own). */
export const userNotificationSettings = pgTable('user_notification_settings', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id),
  /** 'kk' | 'ru' | 'en'; null: the portal's default. */
  locale: text(),
  /** E-mail copies of ordinary notifications (mandatory notices may be sent regardless, see notify()). */
  emailOptIn: boolean().notNull().default(true),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
