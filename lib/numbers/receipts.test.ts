import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, receipts } from '@/db/schema';
import { verifyAuditChain } from '@/lib/audit';
import { canonicalJson, sha256Hex } from '@/lib/canonical';
import { useTestDb } from '@/lib/testing/db';
import { formatAstanaDateTime, formatReceiptText, getReceipt, issueReceipt } from './receipts';

 
const t = useTestDb();
const USER = '3f1e2d4c-0a0b-4c5d-8e9f-001122334455';

const base = {
  system: 'expertise',
  scope: 'org-kge',
  template: '{ORG}-{YYYY}-{SEQ:6}',
  vars: { ORG: 'KGE' },
  subject: 'Application for state expertise, project "School No. 5"',
  entityType: 'expertise_application',
};

describe('receipts (X-10)', () => {
  it('X-10 issueReceipt stores the number, the instant, the SHA-256 of the content and an audit row', async () => {
    const content = { files: [{ name: 'pz.pdf', sha256: 'ab'.repeat(32) }], object: 'School No. 5' };
    const receivedAt = new Date('2026-01-05T09:05:30.250Z');
    const r = await issueReceipt(t.db, {
      ...base,
      entityId: 'app-1',
      content,
      receivedAt,
      recipientUserId: USER,
      details: { pages: 12 },
      actor: { userId: USER, iin: '900101300123' },
    });
    expect(r.number).toBe('KGE-2026-000001');
    expect(r.receivedAt.toISOString()).toBe('2026-01-05T09:05:30.250Z');
    // Key order does not matter: the hash is over canonical JSON.
    expect(r.sha256).toBe(sha256Hex(canonicalJson({ object: 'School No. 5', files: content.files })));
    expect(r.sha256).toBe(sha256Hex('{"files":[{"name":"pz.pdf","sha256":"' + 'ab'.repeat(32) + '"}],"object":"School No. 5"}'));

    const [stored] = await t.db.select().from(receipts).where(eq(receipts.id, r.id));
    expect(stored).toMatchObject({ number: r.number, sha256: r.sha256, entityId: 'app-1', recipientUserId: USER, details: { pages: 12 } });

    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.entityId, r.id));
    expect(audit).toMatchObject({ action: 'receipt.issue', entityType: 'receipt', actorUserId: USER, actorIin: '900101300123' });
    expect(audit.after).toMatchObject({ number: 'KGE-2026-000001', sha256: r.sha256, receivedAt: '2026-01-05T09:05:30.250Z' });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('X-10 bytes are hashed as they are; the next receipt gets the next number', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 ...');
    const r = await issueReceipt(t.db, { ...base, entityId: 'app-2', content: bytes, receivedAt: new Date('2026-01-06T04:00:00Z') });
    expect(r.sha256).toBe(sha256Hex(bytes));
    expect(r.number).toBe('KGE-2026-000002');
  });

  it('X-10 a receipt in a rolled-back transaction leaves no receipt, no audit row and no used number', async () => {
    const countAudit = async () => (await t.db.select().from(auditLog)).length;
    const before = await countAudit();
    await expect(
      t.db.transaction(async (tx) => {
        await issueReceipt(tx, { ...base, entityId: 'app-x', content: { x: 1 }, receivedAt: new Date('2026-01-07T04:00:00Z') });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await countAudit()).toBe(before);
    expect(await getReceipt(t.db, 'KGE-2026-000003')).toBeNull();
    const r = await issueReceipt(t.db, { ...base, entityId: 'app-3', content: { x: 1 }, receivedAt: new Date('2026-01-07T04:00:00Z') });
    expect(r.number).toBe('KGE-2026-000003');
  });

  it('X-10 getReceipt finds a receipt by id or by number', async () => {
    const byNumber = await getReceipt(t.db, 'KGE-2026-000001');
    expect(byNumber?.entityId).toBe('app-1');
    expect((await getReceipt(t.db, byNumber!.id))?.number).toBe('KGE-2026-000001');
    expect(await getReceipt(t.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await getReceipt(t.db, 'nope')).toBeNull();
  });

  it('X-10 the receipt text shows the number, Astana time, the subject and the SHA-256', async () => {
    const r = (await getReceipt(t.db, 'KGE-2026-000001'))!;
    // 09:05:30 UTC is 14:05 in Astana (UTC+5); the test process runs in America/New_York on purpose.
    expect(formatAstanaDateTime(r.receivedAt)).toBe('05.01.2026 14:05');
    expect(formatAstanaDateTime(new Date('2025-12-31T20:00:00Z'))).toBe('01.01.2026 01:00');
    const en = formatReceiptText(r, 'en');
    expect(en).toBe(
      [
        'Confirmation of receipt',
        'Number: KGE-2026-000001',
        'Received at: 05.01.2026 14:05 (Astana, UTC+5)',
        `Received: ${base.subject}`,
        `SHA-256: ${r.sha256}`,
      ].join('\n'),
    );
    expect(formatReceiptText(r, 'ru')).toContain('Получено: 05.01.2026 14:05 (время Астаны, UTC+5)');
    expect(formatReceiptText(r, 'kk')).toContain('KGE-2026-000001');
    expect(formatReceiptText(r, 'kk')).toContain('05.01.2026 14:05 (Астана уақыты, UTC+5)');
  });
});
