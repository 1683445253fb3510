import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { receipts } from '@/db/schema';
import { appendAudit, type AuditActor } from '@/lib/audit';
import { canonicalJson, sha256Hex } from '@/lib/canonical';
import { AppError } from '@/lib/errors';
import type { Locale } from '@/lib/i18n/config';
import { formatAstana } from '@/lib/time/astana';
import { allocateNumber } from './index';

/** the automatic confirmation that something was received and registered under a unique number. */
export type Receipt = typeof receipts.$inferSelect;

export type IssueReceiptInput = {
  system: string;
  /** Numbering scope, e.g. the expert organisation's id. */
  scope: string;
  template: string;
  /** Extra template variables, e.g. { ORG: 'KGE' }. */
  vars?: Record<string, string>;
  /** What was received, in words (shown and e-mailed). */
  subject: string;
  entityType: string;
  entityId: string;
  /** What was received: bytes are hashed as they are, anything else as canonical JSON. */
  content: unknown;
  receivedAt: Date;
  recipientUserId?: string | null;
  details?: Record<string, unknown> | null;
  /** Who caused the receipt (for the audit row). */
  actor?: AuditActor | null;
  requestId?: string | null;
};

/** SHA-256 of received content: raw bytes, or the canonical JSON of a value. */
export function contentSha256(content: unknown): string {
  return content instanceof Uint8Array ? sha256Hex(content) : sha256Hex(canonicalJson(content));
}

/**
 * Allocates the number (year = Astana year of `receivedAt`), stores the receipt and audits it
 * ('receipt.issue'), all in `tx` so that a rollback leaves neither a receipt nor a used number.
 */
export async function issueReceipt(tx: DbOrTx, input: IssueReceiptInput): Promise<Receipt> {
  if (Number.isNaN(input.receivedAt.getTime())) throw new AppError('bad_request', 'issueReceipt: invalid receivedAt');
  if (!input.subject.trim()) throw new AppError('bad_request', 'issueReceipt: subject is required');
  const sha256 = contentSha256(input.content);
  return tx.transaction(async (t) => {
    const { number } = await allocateNumber(t, {
      system: input.system,
      scope: input.scope,
      template: input.template,
      vars: input.vars,
      at: input.receivedAt,
    });
    const [receipt] = await t
      .insert(receipts)
      .values({
        number,
        system: input.system,
        receivedAt: input.receivedAt,
        subject: input.subject,
        entityType: input.entityType,
        entityId: input.entityId,
        sha256,
        details: input.details ?? null,
        recipientUserId: input.recipientUserId ?? null,
      })
      .returning();
    await appendAudit(t, {
      actor: input.actor,
      action: 'receipt.issue',
      entityType: 'receipt',
      entityId: receipt.id,
      requestId: input.requestId,
      after: {
        number,
        system: receipt.system,
        scope: input.scope,
        receivedAt: receipt.receivedAt,
        subject: receipt.subject,
        entityType: receipt.entityType,
        entityId: receipt.entityId,
        sha256,
        recipientUserId: receipt.recipientUserId,
      },
    });
    return receipt;
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A receipt by its id (uuid) or its number; null when there is none. */
export async function getReceipt(db: DbOrTx, idOrNumber: string): Promise<Receipt | null> {
  const where = UUID.test(idOrNumber) ? eq(receipts.id, idOrNumber) : eq(receipts.number, idOrNumber);
  const [row] = await db.select().from(receipts).where(where).limit(1);
  return row ?? null;
}

/** dd.mm.yyyy HH:mm in Astana time, without the zone mark. */
export function formatAstanaDateTime(at: Date): string {
  return formatAstana(at, 'en', { zone: false });
}

const texts: Record<Locale, { title: string; number: string; receivedAt: string; subject: string }> = {
  kk: {
    title: 'Қабылданғаны туралы растама',
    number: 'Нөмірі',
    receivedAt: 'Қабылданған уақыты',
    subject: 'Не қабылданды',
  },
  ru: {
    title: 'Подтверждение получения',
    number: 'Номер',
    receivedAt: 'Получено',
    subject: 'Что получено',
  },
  en: {
    title: 'Confirmation of receipt',
    number: 'Number',
    receivedAt: 'Received at',
    subject: 'Received',
  },
};

/** The receipt as plain text for the cabinet and e-mail. */
export function formatReceiptText(receipt: Pick<Receipt, 'number' | 'receivedAt' | 'subject' | 'sha256'>, locale: Locale): string {
  const t = texts[locale] ?? texts.en;
  return [
    t.title,
    `${t.number}: ${receipt.number}`,
    `${t.receivedAt}: ${formatAstana(receipt.receivedAt, locale)}`,
    `${t.subject}: ${receipt.subject}`,
    `SHA-256: ${receipt.sha256}`,
  ].join('\n');
}
