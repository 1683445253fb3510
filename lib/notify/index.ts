import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { users } from '@/db/schema/identity';
import { mailOutbox, notifications, userNotificationSettings } from '@/db/schema/notify';
import { AppError } from '@/lib/errors';
import { env } from '@/lib/env';
import { defaultLocale, isLocale, type Locale } from '@/lib/i18n/config';
import { now } from '@/lib/time/clock';

export { renderTemplate, isTemplateKind, TEMPLATES, type TemplateKind, type TemplateParams, type Rendered } from './templates';

/**
 * X-7 the personal cabinet's notifications, and their e-mail copies through the outbox (X-8 deactivation and
 * X-9 "subjects affected are notified" are callers of notify()). The outbox is delivered by lib/notify/jobs.ts.
 */
export type NotifyInput = {
  userId: string;
  kind: string;
  /** Already in the user's language (see renderTemplate and userLocale). */
  title: string;
  /** Plain text. */
  body: string;
  /** Relative URL inside the portal ('/cabinet/…'). */
  link?: string | null;
  data?: Record<string, unknown> | null;
  entityType?: string | null;
  entityId?: string | null;
  /**
   * Undefined: an e-mail copy when the user has an address and has not opted out. true: an e-mail copy whenever
   * the user has an address (mandatory notices such as a deactivation, X-8). false: the cabinet only.
   */
  email?: boolean;
  /** A repeated notify() with the same key creates nothing new (neither notification nor e-mail). */
  idempotencyKey?: string | null;
};

export type NotifyResult = { notificationId: string; outboxId: string | null; created: boolean };

export type NotificationItem = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  data: Record<string, unknown> | null;
  entityType: string | null;
  entityId: string | null;
  createdAt: Date;
  readAt: Date | null;
};

const EMAIL_FOOTER: Record<Locale, string> = {
  kk: 'Бұл хат жеке кабинетіңіздегі хабарламаның көшірмесі. Bir Tereze порталы.',
  ru: 'Это письмо — копия уведомления в вашем личном кабинете. Портал Bir Tereze.',
  en: 'This e-mail copies a notification in your personal cabinet. Bir Tereze portal.',
};

function checkLink(link: string | null | undefined): string | null {
  if (link === undefined || link === null || link === '') return null;
  // Only portal-relative links: an e-mail must never point the user to another site.
  if (!link.startsWith('/') || link.startsWith('//') || link.includes('\\')) {
    throw new AppError('validation_failed', 'A notification link must be a relative URL inside the portal', { link: 'relative_url' });
  }
  return link;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function emailContent(input: { title: string; body: string; link: string | null }, locale: Locale): { text: string; html: string } {
  const url = input.link ? new URL(input.link, env().APP_URL).toString() : null;
  const footer = EMAIL_FOOTER[locale];
  const text = [input.body, url, '--', footer].filter((x): x is string => !!x).join('\n\n');
  const html =
    `<p>${escapeHtml(input.body).replace(/\n/g, '<br>')}</p>` +
    (url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>` : '') +
    `<hr><p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`;
  return { text, html };
}

/** The user's notification language (their setting, else the portal default). */
export async function userLocale(db: DbOrTx, userId: string): Promise<Locale> {
  const [row] = await db
    .select({ locale: userNotificationSettings.locale })
    .from(userNotificationSettings)
    .where(eq(userNotificationSettings.userId, userId));
  return isLocale(row?.locale) ? row.locale : defaultLocale;
}

export type NotificationSettings = { locale: Locale; emailOptIn: boolean };

export async function getNotificationSettings(db: DbOrTx, userId: string): Promise<NotificationSettings> {
  const [row] = await db.select().from(userNotificationSettings).where(eq(userNotificationSettings.userId, userId));
  return { locale: isLocale(row?.locale) ? row.locale : defaultLocale, emailOptIn: row?.emailOptIn ?? true };
}

export async function setNotificationSettings(
  db: DbOrTx,
  userId: string,
  patch: { locale?: Locale; emailOptIn?: boolean },
): Promise<NotificationSettings> {
  if (patch.locale !== undefined && !isLocale(patch.locale)) {
    throw new AppError('validation_failed', 'Unknown locale', { locale: 'unknown_locale' });
  }
  const set = { ...(patch.locale ? { locale: patch.locale } : {}), ...(patch.emailOptIn !== undefined ? { emailOptIn: patch.emailOptIn } : {}), updatedAt: now() };
  await db
    .insert(userNotificationSettings)
    .values({ userId, locale: patch.locale ?? null, emailOptIn: patch.emailOptIn ?? true, updatedAt: set.updatedAt })
    .onConflictDoUpdate({ target: userNotificationSettings.userId, set });
  return getNotificationSettings(db, userId);
}

/**
 * Creates the cabinet notification and, when e-mail applies, its outbox row, both in one transaction (a
 * savepoint when `db` is already a transaction): the e-mail exists exactly when the notification does.
 */
export async function notify(db: DbOrTx, input: NotifyInput): Promise<NotifyResult> {
  const link = checkLink(input.link);
  if (!input.title.trim()) throw new AppError('validation_failed', 'A notification needs a title', { title: 'required' });
  return db.transaction(async (tx) => {
    const at = now();
    const inserted = await tx
      .insert(notifications)
      .values({
        userId: input.userId,
        kind: input.kind,
        title: input.title,
        body: input.body,
        link,
        data: input.data ?? null,
        entityType: input.entityType ?? null,
        entityId: input.entityId ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        createdAt: at,
      })
      .onConflictDoNothing({ target: notifications.idempotencyKey })
      .returning({ id: notifications.id });

    if (inserted.length === 0) {
      // Only the idempotency key can conflict: the first notify committed (ON CONFLICT waited for it).
      const [existing] = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(eq(notifications.idempotencyKey, input.idempotencyKey!));
      if (!existing) throw new Error(`notify: the notification with key '${input.idempotencyKey}' conflicted but is not visible`);
      const [mail] = await tx.select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.notificationId, existing.id));
      return { notificationId: existing.id, outboxId: mail?.id ?? null, created: false };
    }
    const notificationId = inserted[0].id;

    if (input.email === false) return { notificationId, outboxId: null, created: true };
    const [user] = await tx
      .select({ email: users.email, locale: userNotificationSettings.locale, optIn: userNotificationSettings.emailOptIn })
      .from(users)
      .leftJoin(userNotificationSettings, eq(userNotificationSettings.userId, users.id))
      .where(eq(users.id, input.userId));
    const address = user?.email?.trim();
    const wanted = input.email === true || (user?.optIn ?? true);
    if (!address || !wanted) return { notificationId, outboxId: null, created: true };

    const locale: Locale = isLocale(user.locale) ? user.locale : defaultLocale;
    const content = emailContent({ title: input.title, body: input.body, link }, locale);
    const [mail] = await tx
      .insert(mailOutbox)
      .values({
        toAddress: address,
        subject: input.title,
        text: content.text,
        html: content.html,
        kind: input.kind,
        idempotencyKey: input.idempotencyKey ? `notify:${input.idempotencyKey}` : `notification:${notificationId}`,
        notificationId,
        nextAttemptAt: at,
        createdAt: at,
      })
      .returning({ id: mailOutbox.id });
    return { notificationId, outboxId: mail.id, created: true };
  });
}

/**
 * An e-mail to an address that belongs to no portal user (e.g. the reporter of an incident who wrote from
 * outside, I-3/I-5), through the same outbox and wording as notify()'s copies. Idempotent by `idempotencyKey`.
 */
export async function mailTo(
  db: DbOrTx,
  input: { to: string; locale: Locale; title: string; body: string; kind: string; idempotencyKey: string; link?: string | null },
): Promise<{ outboxId: string | null; created: boolean }> {
  const link = checkLink(input.link);
  const to = input.to.trim();
  if (!to) throw new AppError('validation_failed', 'An e-mail needs an address', { to: 'required' });
  const at = now();
  const content = emailContent({ title: input.title, body: input.body, link }, input.locale);
  const rows = await db
    .insert(mailOutbox)
    .values({
      toAddress: to,
      subject: input.title,
      text: content.text,
      html: content.html,
      kind: input.kind,
      idempotencyKey: `mail:${input.idempotencyKey}`,
      nextAttemptAt: at,
      createdAt: at,
    })
    .onConflictDoNothing({ target: mailOutbox.idempotencyKey })
    .returning({ id: mailOutbox.id });
  return { outboxId: rows[0]?.id ?? null, created: rows.length > 0 };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(n: { createdAt: Date; id: string }): string {
  return `${n.createdAt.toISOString()}|${n.id}`;
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = cursor.split('|');
  if (!at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) {
    throw new AppError('bad_request', 'Invalid notifications cursor', { before: 'invalid_cursor' });
  }
  return { at: new Date(at).toISOString(), id };
}

/**
 * The user's notifications, newest first. `before` is the `nextCursor` of the previous page (keyset paging on
 * created_at, id: stable while new notifications arrive).
 */
export async function listNotifications(
  db: DbOrTx,
  userId: string,
  opts: { unreadOnly?: boolean; limit?: number; before?: string | null } = {},
): Promise<{ items: NotificationItem[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 20), 1), 100);
  const conds = [eq(notifications.userId, userId)];
  if (opts.unreadOnly) conds.push(isNull(notifications.readAt));
  if (opts.before) {
    const c = decodeCursor(opts.before);
    conds.push(sql`(${notifications.createdAt}, ${notifications.id}) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      data: notifications.data,
      entityType: notifications.entityType,
      entityId: notifications.entityId,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(and(...conds))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}

export async function countUnread(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/**
 * Marks the user's own notifications read (ids of other users' notifications are silently not matched).
 * Returns how many changed from unread to read.
 */
export async function markRead(db: DbOrTx, userId: string, ids: readonly string[] | 'all'): Promise<number> {
  const conds = [eq(notifications.userId, userId), isNull(notifications.readAt)];
  if (ids !== 'all') {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return 0;
    conds.push(inArray(notifications.id, valid));
  }
  const changed = await db
    .update(notifications)
    .set({ readAt: now() })
    .where(and(...conds))
    .returning({ id: notifications.id });
  return changed.length;
}
