import crypto from 'node:crypto';
import os from 'node:os';
import { and, asc, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { getDb, type Db } from '@/db/client';
import { mailOutbox } from '@/db/schema/notify';
import { appendAudit } from '@/lib/audit';
import { now as clockNow } from '@/lib/time/clock';
import { getMailTransport, messageIdFor, sendMail } from './mailer';

/**
 * Delivery of the e-mail outbox.
 *
 * Guarantees: a row is claimed (status 'sending') by one UPDATE over a FOR UPDATE SKIP LOCKED selection, so two
 * senders at once never hold the same row; a row marked 'sent' is never selected again; only the claim that
 * is still current may mark the row (attempts and claimed_by must match).
 *
 * The remaining at-least-once window, stated honestly: if the process dies AFTER the SMTP server accepted a
 * message and BEFORE the row is marked 'sent', the row stays 'sending'; after MAIL_STALE_CLAIM_MS it is
 * reclaimed and sent again. The re-send carries the same Message-ID (derived from the idempotency key), so the
 * receiving side can drop the duplicate, but SMTP itself cannot take a message back. The window is the few
 * milliseconds of one UPDATE after a "250 OK".
 */
export const MAIL_MAX_ATTEMPTS = 8;
/** A 'sending' claim older than this is presumed abandoned (SMTP timeouts in mailer.ts are far shorter). */
export const MAIL_STALE_CLAIM_MS = 10 * 60_000;

/** Delay after failed attempt number `attempt`: 1, 2, 4, … minutes. */
export function mailBackoffMs(attempt: number): number {
  return 60_000 * 2 ** Math.max(0, attempt - 1);
}

export type SendDueOptions = {
  db?: Db;
  workerId?: string;
  /** Rows claimed per batch (default 20). */
  batch?: number;
  /** Batches per call at most (default 10), so one call has a bounded length. */
  maxBatches?: number;
};

export type SendDueResult = {
  /** Set when no SMTP is configured: nothing was claimed, rows stay pending. */
  skipped?: 'smtp_not_configured';
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
};

function errorText(e: unknown): string {
  const err = e as { message?: string; code?: string; responseCode?: number; response?: string };
  const text = [err.code, err.responseCode, err.response ?? err.message ?? String(e)].filter((x) => x !== undefined).join(' ');
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

function defaultWorkerId(): string {
  return `mail:${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
}

/** Sends every due outbox row (claiming them first); safe to run from any number of processes at once. */
export async function sendDueMail(opts: SendDueOptions = {}): Promise<SendDueResult> {
  const result: SendDueResult = { claimed: 0, sent: 0, retried: 0, failed: 0 };
  const transport = getMailTransport();
  if (!transport) return { ...result, skipped: 'smtp_not_configured' };
  const db = opts.db ?? getDb();
  const workerId = opts.workerId ?? defaultWorkerId();
  const batch = opts.batch ?? 20;

  for (let round = 0; round < (opts.maxBatches ?? 10); round++) {
    const at = clockNow();
    const staleBefore = new Date(at.getTime() - MAIL_STALE_CLAIM_MS);

    // An abandoned claim on the last attempt is not retried: the row fails (it may or may not have arrived).
    await db
      .update(mailOutbox)
      .set({
        status: 'failed',
        lastError: sql`coalesce(${mailOutbox.lastError} || E'\n', '') || 'abandoned: sender ' || coalesce(${mailOutbox.claimedBy}, '?') || ' did not finish'`,
        claimedAt: null,
        claimedBy: null,
      })
      .where(and(eq(mailOutbox.status, 'sending'), lt(mailOutbox.claimedAt, staleBefore), gte(mailOutbox.attempts, MAIL_MAX_ATTEMPTS)));

    const due = db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(
        or(
          and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, at)),
          and(eq(mailOutbox.status, 'sending'), lt(mailOutbox.claimedAt, staleBefore)),
        ),
      )
      .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
      .limit(batch)
      .for('update', { skipLocked: true });
    const claimed = await db
      .update(mailOutbox)
      .set({ status: 'sending', claimedBy: workerId, claimedAt: at, attempts: sql`${mailOutbox.attempts} + 1` })
      .where(inArray(mailOutbox.id, due))
      .returning();
    if (claimed.length === 0) break;
    result.claimed += claimed.length;

    for (const row of claimed) {
      const mine = and(
        eq(mailOutbox.id, row.id),
        eq(mailOutbox.status, 'sending'),
        eq(mailOutbox.claimedBy, workerId),
        eq(mailOutbox.attempts, row.attempts),
      );
      try {
        const info = await sendMail(transport, {
          to: row.toAddress,
          subject: row.subject,
          text: row.text,
          html: row.html,
          messageId: messageIdFor(row.idempotencyKey),
        });
        await db
          .update(mailOutbox)
          .set({ status: 'sent', sentAt: clockNow(), messageId: info.messageId, smtpResponse: info.response, claimedAt: null, claimedBy: null, lastError: null })
          .where(mine);
        result.sent++;
      } catch (e) {
        const error = errorText(e);
        const final = row.attempts >= MAIL_MAX_ATTEMPTS;
        const failedAt = clockNow();
        if (final) {
          // An undeliverable e-mail is a fact operators must be able to find (the cabinet copy still exists).
          await db.transaction(async (tx) => {
            const updated = await tx
              .update(mailOutbox)
              .set({ status: 'failed', lastError: error, claimedAt: null, claimedBy: null })
              .where(mine)
              .returning({ id: mailOutbox.id });
            if (updated.length === 0) return;
            await appendAudit(tx, {
              action: 'mail.failed',
              entityType: 'mail_outbox',
              entityId: row.id,
              after: { kind: row.kind, notificationId: row.notificationId, attempts: row.attempts, lastError: error },
            });
          });
          result.failed++;
        } else {
          await db
            .update(mailOutbox)
            .set({ status: 'pending', lastError: error, claimedAt: null, claimedBy: null, nextAttemptAt: new Date(failedAt.getTime() + mailBackoffMs(row.attempts)) })
            .where(mine);
          result.retried++;
        }
      }
    }
    if (claimed.length < batch) break;
  }
  return result;
}

export type OutboxCounts = Record<'pending' | 'sending' | 'sent' | 'failed', number>;

/** Rows per status (for the operator's view and tests). */
export async function outboxCounts(db: Db = getDb()): Promise<OutboxCounts> {
  const rows = await db.select({ status: mailOutbox.status, n: sql<number>`count(*)::int` }).from(mailOutbox).groupBy(mailOutbox.status);
  const out: OutboxCounts = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
