import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Db } from '@/db/client';
import { users } from '@/db/schema/identity';
import { mailOutbox, notifications } from '@/db/schema/notify';
import { listAudit } from '@/lib/audit';
import { resetEnvCache } from '@/lib/env';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { countUnread, listNotifications, markRead, notify, renderTemplate, setNotificationSettings } from './index';
import { messageIdFor, resetMailTransport } from './mailer';
import { MAIL_MAX_ATTEMPTS, mailBackoffMs, outboxCounts, sendDueMail } from './outbox';
import { startTestSmtp, type TestSmtp } from './smtp-test-server';

const t = useTestDb();
let smtp: TestSmtp;
const extraPools: Array<{ end: () => Promise<void> }> = [];
const T0 = new Date('2026-03-10T04:00:00Z'); // 09:00 Astana
let clock = T0;
const at = (ms: number) => {
  clock = new Date(T0.getTime() + ms);
  setClock(clock);
};

function useSmtp(url: string | undefined) {
  if (url) process.env.SMTP_URL = url;
  else delete process.env.SMTP_URL;
  resetEnvCache();
  resetMailTransport();
}

let seq = 0;
async function newUser(email: string | null): Promise<string> {
  seq++;
  const [u] = await t.db
    .insert(users)
    .values({ iin: `9001013${String(seq).padStart(5, '0')}`, fullName: `Test User ${seq}`, email })
    .returning({ id: users.id });
  return u.id;
}

/** A second "app instance": its own pool on the real server; PGlite serves one connection. */
function secondInstance(): Db {
  if (t.kind !== 'postgres') return t.db;
  const h = connect(t.url, { max: 5 });
  extraPools.push({ end: () => h.sql.end({ timeout: 5 }) });
  return h.db;
}

beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(async () => {
  setClock(null);
  useSmtp(undefined);
  await smtp.stop();
  await Promise.all(extraPools.map((p) => p.end()));
});
beforeEach(async () => {
  at(0);
  useSmtp(smtp.url);
  smtp.received.length = 0;
  smtp.answer = () => ({ accept: true });
  smtp.delayMs = 0;
  await t.db.delete(mailOutbox);
  await t.db.delete(notifications);
});

describe('notifications and the e-mail outbox', () => {
  it('X-7 a notification appears in the cabinet unread, its e-mail arrives over SMTP with the right subject and recipient, then it is read', async () => {
    const userId = await newUser('aigerim@example.kz');
    await setNotificationSettings(t.db, userId, { locale: 'ru' });
    const text = renderTemplate('document.to_sign', 'ru', { document: 'Акт приёмки №7' });
    const r = await notify(t.db, { userId, kind: 'document.to_sign', ...text, link: '/cabinet/to-sign/42', entityType: 'document', entityId: '42' });
    expect(r.created).toBe(true);
    expect(r.outboxId).not.toBeNull();

    const page = await listNotifications(t.db, userId, { limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: r.notificationId, title: 'Документ ожидает подписи', readAt: null, link: '/cabinet/to-sign/42' });
    expect(await countUnread(t.db, userId)).toBe(1);

    const sent = await sendDueMail({ db: t.db });
    expect(sent).toMatchObject({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.to).toEqual(['aigerim@example.kz']);
    expect(mail.subject).toBe('Документ ожидает подписи');
    const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, r.outboxId!));
    expect(row.status).toBe('sent');
    expect(row.sentAt?.toISOString()).toBe(clock.toISOString());
    expect(row.messageId).toBe(mail.messageId);
    expect(row.messageId).toBe(messageIdFor(row.idempotencyKey));
    expect(row.text).toContain('http://localhost:3000/cabinet/to-sign/42');

    at(60_000);
    expect(await markRead(t.db, userId, [r.notificationId])).toBe(1);
    expect(await countUnread(t.db, userId)).toBe(0);
    const after = await listNotifications(t.db, userId, { limit: 10 });
    expect(after.items[0].readAt?.toISOString()).toBe(clock.toISOString());
    expect((await listNotifications(t.db, userId, { unreadOnly: true, limit: 10 })).items).toHaveLength(0);

    // A sent row is never picked again, however much later the sender runs.
    at(24 * 3600_000);
    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 0, sent: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('X-7 the outbox retries when the SMTP server refuses (451 at RCPT, then 554 at DATA) and delivers later, with backoff 1, 2 minutes', async () => {
    const userId = await newUser('bolat@example.kz');
    const r = await notify(t.db, { userId, kind: 'alert', ...renderTemplate('alert', 'en', { subject: 'Pressure', message: 'Low pressure at pump 3' }) });
    const answers: Array<ReturnType<TestSmtp['answer']>> = [
      { accept: false, at: 'rcpt', code: 451, message: 'Try again later' },
      { accept: false, at: 'data', code: 554, message: 'Transaction failed' },
    ];
    let current: ReturnType<TestSmtp['answer']> = { accept: true };
    smtp.answer = (stage) => {
      if (stage === 'rcpt') current = answers.shift() ?? { accept: true };
      return current;
    };

    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
    let [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, r.outboxId!));
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toContain('451');
    expect(row.nextAttemptAt.getTime()).toBe(T0.getTime() + mailBackoffMs(1));
    expect(mailBackoffMs(1)).toBe(60_000);

    at(59_000); // not due yet
    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 0 });
    at(60_000);
    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 1, retried: 1 });
    [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, r.outboxId!));
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row.lastError).toContain('554');
    expect(row.nextAttemptAt.getTime()).toBe(T0.getTime() + 60_000 + 120_000);
    expect(smtp.received).toHaveLength(0);

    at(180_000);
    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].subject).toBe('Alert: Pressure');
    [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, r.outboxId!));
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('X-7 the outbox keeps the e-mail while the SMTP server is down and sends it once the server is back', async () => {
    const userId = await newUser('dana@example.kz');
    await notify(t.db, { userId, kind: 'alert', title: 'Server down test', body: 'Body' });
    await smtp.stop();
    try {
      expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
      const [row] = await t.db.select().from(mailOutbox);
      expect(row.status).toBe('pending');
      expect(row.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    } finally {
      await smtp.start();
    }
    at(60_000);
    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.received.map((m) => m.subject)).toEqual(['Server down test']);
  });

  it(`X-7 after ${MAIL_MAX_ATTEMPTS} refused attempts the e-mail ends 'failed', is recorded in the audit journal, and the cabinet copy stays`, async () => {
    const userId = await newUser('erlan@example.kz');
    const r = await notify(t.db, { userId, kind: 'alert', title: 'Never delivered', body: 'x' });
    smtp.answer = () => ({ accept: false, at: 'rcpt', code: 550, message: 'No such user' });
    let elapsed = 0;
    for (let attempt = 1; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
      at(elapsed);
      expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 1 });
      elapsed += mailBackoffMs(attempt);
    }
    const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, r.outboxId!));
    expect(row).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
    at(elapsed + 365 * 24 * 3600_000);
    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 0 });
    const audit = await listAudit(t.db, { entityType: 'mail_outbox', entityId: r.outboxId! }, { limit: 10 });
    expect(audit.rows.map((a) => a.action)).toEqual(['mail.failed']);
    expect(await countUnread(t.db, userId)).toBe(1);
  });

  it('X-7 two senders running at once deliver each of 30 e-mails exactly once', async () => {
    const userId = await newUser('gulnar@example.kz');
    for (let i = 0; i < 30; i++) await notify(t.db, { userId, kind: 'alert', title: `Message ${i}`, body: `Body ${i}` });
    smtp.delayMs = 5; // keeps both senders busy at the same time
    const other = secondInstance();
    const [a, b] = await Promise.all([
      sendDueMail({ db: t.db, workerId: 'sender-a', batch: 4 }),
      sendDueMail({ db: other, workerId: 'sender-b', batch: 4 }),
    ]);
    expect(a.sent + b.sent).toBe(30);
    expect(smtp.received).toHaveLength(30);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(30);
    expect(new Set(smtp.received.map((m) => m.subject)).size).toBe(30);
    expect(await outboxCounts(t.db)).toEqual({ pending: 0, sending: 0, sent: 30, failed: 0 });
    if (t.kind === 'postgres') {
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
    }
  });

  it('X-7 a claim abandoned by a crashed sender is re-sent with the same Message-ID (at-least-once, de-duplicable)', async () => {
    const userId = await newUser('kairat@example.kz');
    const r = await notify(t.db, { userId, kind: 'alert', title: 'Crash window', body: 'x' });
    // A sender claimed the row and died before marking it.
    await t.db.update(mailOutbox).set({ status: 'sending', attempts: 1, claimedBy: 'dead', claimedAt: clock }).where(eq(mailOutbox.id, r.outboxId!));
    at(5 * 60_000);
    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 0 }); // a live claim is respected
    at(11 * 60_000);
    expect(await sendDueMail({ db: t.db })).toMatchObject({ claimed: 1, sent: 1 });
    const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, r.outboxId!));
    expect(smtp.received[0].messageId).toBe(messageIdFor(row.idempotencyKey));
    expect(row.attempts).toBe(2);
  });

  it('X-7 an idempotent notify creates one notification and one e-mail', async () => {
    const userId = await newUser('madina@example.kz');
    const input = { userId, kind: 'receipt', ...renderTemplate('receipt', 'en', { number: 'BT-2026-000123', subject: 'Expertise', at: T0 }), idempotencyKey: 'receipt:BT-2026-000123' };
    const first = await notify(t.db, input);
    const second = await notify(t.db, input);
    expect(second).toEqual({ ...first, created: false });
    await sendDueMail({ db: t.db });
    const third = await t.db.transaction((tx) => notify(tx, input));
    expect(third.created).toBe(false);
    await sendDueMail({ db: t.db });
    expect((await listNotifications(t.db, userId, { limit: 10 })).items).toHaveLength(1);
    expect(await t.db.select().from(mailOutbox)).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].subject).toBe('Application registered: BT-2026-000123');
  });

  it('X-7 notification and e-mail are written in the caller\'s transaction: a rollback leaves neither', async () => {
    const userId = await newUser('nurlan@example.kz');
    await expect(
      t.db.transaction(async (tx) => {
        await notify(tx, { userId, kind: 'alert', title: 'Rolled back', body: 'x' });
        throw new Error('the caller fails after notifying');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await countUnread(t.db, userId)).toBe(0);
    expect(await t.db.select().from(mailOutbox)).toHaveLength(0);
  });

  it('X-7 a user cannot mark another user\'s notification as read', async () => {
    const alice = await newUser('alice@example.kz');
    const bob = await newUser('bob@example.kz');
    const a = await notify(t.db, { userId: alice, kind: 'alert', title: 'For Alice', body: 'x', email: false });
    await notify(t.db, { userId: bob, kind: 'alert', title: 'For Bob', body: 'y', email: false });
    expect(await markRead(t.db, bob, [a.notificationId])).toBe(0);
    expect(await markRead(t.db, bob, 'all')).toBe(1);
    expect(await countUnread(t.db, alice)).toBe(1);
    const [row] = await t.db.select().from(notifications).where(and(eq(notifications.id, a.notificationId)));
    expect(row.readAt).toBeNull();
    // Bob's list never shows Alice's notification.
    expect((await listNotifications(t.db, bob, { limit: 50 })).items.map((n) => n.title)).toEqual(['For Bob']);
  });

  it('X-7 e-mail copies follow the address and the opt-in; X-8 a mandatory notice (email: true) is sent despite the opt-out', async () => {
    const noMail = await newUser(null);
    const optedOut = await newUser('out@example.kz');
    await setNotificationSettings(t.db, optedOut, { emailOptIn: false, locale: 'kk' });
    expect((await notify(t.db, { userId: noMail, kind: 'alert', title: 'a', body: 'b' })).outboxId).toBeNull();
    expect((await notify(t.db, { userId: optedOut, kind: 'alert', title: 'a', body: 'b' })).outboxId).toBeNull();
    const deact = renderTemplate('account.deactivated', 'kk', { at: T0, reason: 'өкілеттік мерзімі аяқталды' });
    const r = await notify(t.db, { userId: optedOut, kind: 'account.deactivated', ...deact, email: true });
    expect(r.outboxId).not.toBeNull();
    await sendDueMail({ db: t.db });
    expect(smtp.received.map((m) => m.subject)).toEqual(['Есептік жазба өшірілді']);
    expect(await countUnread(t.db, optedOut)).toBe(2);
  });

  it('X-7 without SMTP_URL the e-mails stay pending and the cabinet still shows the notification', async () => {
    useSmtp(undefined);
    const userId = await newUser('pending@example.kz');
    await notify(t.db, { userId, kind: 'alert', title: 'No SMTP', body: 'x' });
    expect(await sendDueMail({ db: t.db })).toMatchObject({ skipped: 'smtp_not_configured', claimed: 0 });
    expect(await outboxCounts(t.db)).toMatchObject({ pending: 1, sent: 0 });
    expect(await countUnread(t.db, userId)).toBe(1);
    useSmtp(smtp.url);
    expect(await sendDueMail({ db: t.db })).toMatchObject({ sent: 1 });
  });

  it('X-7 the cabinet list pages newest first with a stable cursor', async () => {
    const userId = await newUser(null);
    for (let i = 0; i < 5; i++) {
      at(i * 1000);
      await notify(t.db, { userId, kind: 'alert', title: `N${i}`, body: '' });
    }
    const p1 = await listNotifications(t.db, userId, { limit: 2 });
    expect(p1.items.map((n) => n.title)).toEqual(['N4', 'N3']);
    const p2 = await listNotifications(t.db, userId, { limit: 2, before: p1.nextCursor });
    expect(p2.items.map((n) => n.title)).toEqual(['N2', 'N1']);
    const p3 = await listNotifications(t.db, userId, { limit: 2, before: p2.nextCursor });
    expect(p3.items.map((n) => n.title)).toEqual(['N0']);
    expect(p3.nextCursor).toBeNull();
  });

  it('X-7 a notification link must stay inside the portal', async () => {
    const userId = await newUser(null);
    await expect(notify(t.db, { userId, kind: 'alert', title: 'x', body: 'y', link: 'https://evil.example/' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(notify(t.db, { userId, kind: 'alert', title: 'x', body: 'y', link: '//evil.example/' })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
