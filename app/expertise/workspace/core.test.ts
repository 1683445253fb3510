import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploads } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { getApplicationForApplicant, submitApplication } from '@/lib/expertise';
import { makeConfig, makeDraft, makeExpertOrg, makeSig, makeUser } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { completenessCore, conclusionCore, issueDocumentCore, paymentCore, remarksCore, reviseCore } from './core';

const t = useTestDb();
let expert: Principal;
let applicant: Principal;
let orgId: string;

async function upload(owner: Principal) {
  const sha256 = crypto.randomBytes(32).toString('hex');
  const [row] = await t.db
    .insert(uploads)
    .values({ tusId: crypto.randomUUID(), ownerUserId: owner.userId, fileName: 'doc.pdf', size: 2048, sha256, storageKey: `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}` })
    .returning();
  return { uploadId: row.id, fileName: row.fileName, size: row.size, sha256: row.sha256 };
}

beforeAll(async () => {
  setClock(() => astanaInstant('2026-06-02', '10:00'));
  await makeConfig(t.db, 'cat_working', 'working');
  ({ orgId, expert } = await makeExpertOrg(t.db, 'WSX'));
  applicant = await makeUser(t.db, ['applicant']);
});

describe('workspace actions', () => {
  it('E-45 E-48 E-51 E-50 the expert records completeness, issues remarks once, revises a document, signs the conclusion; payment releases it', async () => {
    const { draft } = await makeDraft(t.db, applicant, orgId);
    await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant) });
    const appId = draft.id;

    expect(await completenessCore(t.db, expert, { applicationId: appId, result: 'positive' })).toEqual({ status: 'in_review' });

    await remarksCore(t.db, expert, { applicationId: appId, text: 'Fix the estimate' }, await makeSig(t.db, expert));
    await expect(remarksCore(t.db, expert, { applicationId: appId, text: 'Again' }, await makeSig(t.db, expert))).rejects.toMatchObject({ code: 'conflict' });

    // Someone else's upload cannot be issued.
    await expect(issueDocumentCore(t.db, expert, { applicationId: appId, slot: 'agreement', file: await upload(applicant) }, await makeSig(t.db, expert))).rejects.toMatchObject({
      code: 'not_found',
    });
    const issued = await issueDocumentCore(t.db, expert, { applicationId: appId, slot: 'agreement', file: await upload(expert) }, await makeSig(t.db, expert));
    const revised = await reviseCore(t.db, expert, { applicationId: appId, previousDocumentId: issued.documentId, reason: 'Typo', file: await upload(expert) }, await makeSig(t.db, expert));
    expect(revised.version).toBe(2);

    expect(await conclusionCore(t.db, expert, { applicationId: appId, file: await upload(expert), outcome: 'positive' }, await makeSig(t.db, expert))).toEqual({ status: 'conclusion_signed' });
    let view = await getApplicationForApplicant(t.db, applicant, appId);
    expect(view.conclusion).toMatchObject({ exists: true, held: true, document: null });

    expect(await paymentCore(t.db, expert, { applicationId: appId, basis: 'Payment order 17' })).toEqual({ status: 'conclusion_released' });
    view = await getApplicationForApplicant(t.db, applicant, appId);
    expect(view.conclusion.held).toBe(false);
    expect(view.conclusion.document?.slot).toBe('conclusion');
  });
});
