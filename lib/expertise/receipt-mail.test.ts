import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema/identity';
import { mailOutbox, notifications } from '@/db/schema/notify';
import type { Principal } from '@/lib/auth/principal';
import { resetEnvCache } from '@/lib/env';
import { listNotifications, setNotificationSettings } from '@/lib/notify';
import { resetMailTransport } from '@/lib/notify/mailer';
import { sendDueMail } from '@/lib/notify/outbox';
import { headerOf, startTestSmtp, type TestSmtp } from '@/lib/notify/smtp-test-server';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { submitApplication } from './index';
import { makeConfig, makeDraft, makeExpertOrg, makeSig, makeUser } from './test-fixtures';

const t = useTestDb();
let smtp: TestSmtp;
let applicant: Principal;
let org: { orgId: string; expert: Principal };

function useSmtp(url: string | undefined) {
  if (url) process.env.SMTP_URL = url;
  else delete process.env.SMTP_URL;
  resetEnvCache();
  resetMailTransport();
}

/** The text part of a received message (quoted-printable or base64 decoded). */
function bodyText(raw: string): string {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const parts = body.split(/--[^\r\n]+\r?\n/).filter((p) => /content-type:\s*text\/plain/i.test(p));
  const part = parts[0] ?? `${head}\n\n${body}`;
  const [ph, ...pb] = part.split(/\r?\n\r?\n/);
  const content = pb.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(ph)) return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(ph)) {
    const bytes = content.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return content;
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  useSmtp(smtp.url);
  await makeConfig(t.db, 'cat_working', 'working');
  org = await makeExpertOrg(t.db, 'RCP');
  applicant = await makeUser(t.db, ['applicant']);
  await t.db.update(users).set({ email: 'aruzhan@example.kz' }).where(eq(users.id, applicant.userId));
  await setNotificationSettings(t.db, applicant.userId, { locale: 'ru' });
});

afterAll(async () => {
  setClock(null);
  useSmtp(undefined);
  await smtp.stop();
});

describe('receipt by e-mail', () => {
  it('E-18 X-10 the receipt reaches the cabinet and arrives by e-mail once, with the number and the registration date', async () => {
    // Friday 14:30 Astana: E-18 registers it on the next working day, Monday 8 June 2026.
    const receivedAt = astanaInstant('2026-06-05', '14:30');
    setClock(receivedAt);
    const { draft } = await makeDraft(t.db, applicant, org.orgId);
    const r = await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant), receivedAt });
    expect(r.application.number).toBe('RCP-2026-00001');
    expect(r.application.registrationDate).toBe('2026-06-08');

    // A retried submission is the same registration: no second notice, no second mail.
    const again = await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant), receivedAt });
    expect(again.duplicate).toBe(true);

    // The cabinet.
    const cabinet = await listNotifications(t.db, applicant.userId);
    const receipts = cabinet.items.filter((n) => n.kind === 'expertise.receipt');
    expect(receipts).toHaveLength(1);
    expect(receipts[0].title).toBe('Заявка зарегистрирована: RCP-2026-00001');
    expect(receipts[0].body).toContain('Дата регистрации: 08.06.2026');
    expect(receipts[0].link).toBe(`/expertise/applications/${draft.id}`);

    // The outbox, delivered over real SMTP; a second run sends nothing more.
    const first = await sendDueMail({ db: t.db });
    expect(first.sent).toBe(1);
    const second = await sendDueMail({ db: t.db });
    expect(second.sent).toBe(0);
    const mails = smtp.received.filter((m) => m.to.includes('aruzhan@example.kz'));
    expect(mails).toHaveLength(1);
    expect(headerOf(mails[0].raw, 'Subject')).toBe('Заявка зарегистрирована: RCP-2026-00001');
    const text = bodyText(mails[0].raw);
    expect(text).toContain('Регистрационный номер: RCP-2026-00001');
    expect(text).toContain('Дата регистрации: 08.06.2026');
    expect(text).toContain('05.06.2026 14:30');
    expect(text).toContain(`/expertise/applications/${draft.id}`);
    const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.notificationId, receipts[0].id));
    expect(row.status).toBe('sent');
    expect(await t.db.select().from(notifications).where(eq(notifications.kind, 'expertise.receipt'))).toHaveLength(1);
  });

  it('X-10 the receipt is mailed even when the applicant turned e-mail copies off (a mandatory confirmation)', async () => {
    await setNotificationSettings(t.db, applicant.userId, { emailOptIn: false });
    smtp.received.length = 0;
    const receivedAt = astanaInstant('2026-06-09', '10:00');
    setClock(receivedAt);
    const { draft } = await makeDraft(t.db, applicant, org.orgId);
    const r = await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant), receivedAt });
    await sendDueMail({ db: t.db });
    expect(smtp.received).toHaveLength(1);
    expect(headerOf(smtp.received[0].raw, 'Subject')).toContain(r.application.number!);
    expect(bodyText(smtp.received[0].raw)).toContain('Дата регистрации: 09.06.2026');
  });
});
