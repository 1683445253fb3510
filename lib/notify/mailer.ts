import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { env } from '@/lib/env';

/**
 * The SMTP side of the outbox. The transport is created lazily from SMTP_URL (read on each call, so a
 * changed setting takes effect) and reused while the URL stays the same. Without SMTP_URL there is no
 * transport: outbox rows stay pending and the cabinet still shows every notification.
 */
export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Full Message-ID header value, e.g. '<…@birtereze.kz>'. */
  messageId: string;
};
export type SentMail = { messageId: string; response: string };

type Cached = { url: string; transport: Transporter<SMTPTransport.SentMessageInfo> };
const g = globalThis as unknown as { __btMailer?: Cached | null; __btMailerWarned?: boolean };

/** Timeouts well below the outbox's stale-claim age, so a hung send never outlives its claim. */
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/** The transport for the current SMTP_URL, or null when e-mail is not configured (logged once). */
export function getMailTransport(): Transporter<SMTPTransport.SentMessageInfo> | null {
  const url = env().SMTP_URL;
  if (!url) {
    if (!g.__btMailerWarned) {
      g.__btMailerWarned = true;
      console.warn('[notify] SMTP_URL is not set: e-mails stay in the outbox (pending) until it is.');
    }
    return null;
  }
  if (g.__btMailer?.url !== url) {
    g.__btMailer?.transport.close();
    g.__btMailer = { url, transport: nodemailer.createTransport({ url, ...SMTP_TIMEOUTS }) };
  }
  return g.__btMailer.transport;
}

/** Forget the cached transport (tests that restart their SMTP server; a changed URL does this by itself). */
export function resetMailTransport(): void {
  g.__btMailer?.transport.close();
  g.__btMailer = null;
  g.__btMailerWarned = false;
}

/**
 * A Message-ID derived from the outbox row's idempotency key: every (re)send of one row carries the same id,
 * so a receiver can drop the duplicate of a message re-sent after a crash between "sent" and "marked sent".
 */
export function messageIdFor(idempotencyKey: string): string {
  const hash = crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  let host = 'birtereze.kz';
  try {
    host = new URL(env().APP_URL).hostname || host;
  } catch {
    // keep the default host
  }
  return `<${hash}@${host}>`;
}

/** Sends one message; throws on any SMTP or connection error (the caller retries). */
export async function sendMail(transport: Transporter<SMTPTransport.SentMessageInfo>, mail: OutgoingMail): Promise<SentMail> {
  const info = await transport.sendMail({
    from: env().MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? undefined,
    messageId: mail.messageId,
  });
  if (info.rejected.length > 0) {
    const who = info.rejected.map((a) => (typeof a === 'string' ? a : a.address)).join(', ');
    throw new Error(`the SMTP server rejected ${who}: ${info.response}`);
  }
  return { messageId: info.messageId || mail.messageId, response: info.response };
}
