import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, deadlineConfigs, expertOrgSettings } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { getUploadSettings, setUploadSettings } from '@/lib/documents/settings';
import { AppError } from '@/lib/errors';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import {
  getDeadline,
  listDeadlineConfigs,
  listExpertOrgsForAdmin,
  previewNextNumber,
  recordCompleteness,
  setDeadlineConfig,
  setExpertOrgSettings,
  submitApplication,
} from './index';
import { makeConfig, makeDraft, makeExpertOrg, makeSig, makeUser } from './test-fixtures';

const t = useTestDb();
let operator: Principal;
let applicant: Principal;
let org: { orgId: string; expert: Principal };
let other: { orgId: string; expert: Principal };

beforeAll(async () => {
  operator = await makeUser(t.db, ['operator']);
  applicant = await makeUser(t.db, ['applicant']);
  org = await makeExpertOrg(t.db, 'ADM');
  other = await makeExpertOrg(t.db, 'OTH');
  await makeConfig(t.db, 'cat_working', 'working', { completeness: 5 });
});

afterEach(() => setClock(null));

async function refused(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const audits = (action: string, entityId: string) =>
  t.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)));

describe('expertise admin settings', () => {
  it('E-18 X-10 the operator sets an organisation’s template: validated, previewed, audited, and the next number follows it', async () => {
    setClock(astanaInstant('2026-06-02', '10:00'));
    const base = { orgId: org.orgId, orgCode: 'ADM', accredited: true, blocked: false };
    // Invalid templates: the problems come back on the field.
    for (const numberTemplate of ['{YYYY}-{SEQ:5}', '{ORG}-{SEQ:5}', '{ORG}-{YYYY}', '{ORG}-{YYYY}-{SEQ:99}', '{ORG}-{YYYY}-{FOO}-{SEQ}']) {
      const e = await refused(setExpertOrgSettings(t.db, operator, { ...base, numberTemplate }));
      expect(e.code).toBe('validation_failed');
      expect(e.fields?.numberTemplate).toBeTruthy();
    }
    // Another organisation's code is refused (numbers must stay unique between organisations).
    const taken = await refused(setExpertOrgSettings(t.db, operator, { ...base, orgCode: 'oth', numberTemplate: '{ORG}-{YYYY}-{SEQ:5}' }));
    expect(taken.code).toBe('conflict');
    expect(taken.fields?.orgCode).toBe('taken');
    // Only the operator (or admin).
    expect((await refused(setExpertOrgSettings(t.db, applicant, { ...base, numberTemplate: '{ORG}/{YY}/{SEQ:4}' }))).code).toBe('forbidden');
    expect((await refused(setExpertOrgSettings(t.db, org.expert, { ...base, numberTemplate: '{ORG}/{YY}/{SEQ:4}' }))).code).toBe('forbidden');

    expect(await previewNextNumber(t.db, { orgId: org.orgId, orgCode: 'ADM', numberTemplate: '{ORG}/{YY}/{SEQ:4}' })).toBe('ADM/26/0001');
    const sigId = await makeSig(t.db, operator);
    await setExpertOrgSettings(t.db, operator, { ...base, numberTemplate: '{ORG}/{YY}/{SEQ:4}' }, { signatureId: sigId });
    const [audit] = await audits('expertise.org_settings.set', org.orgId);
    expect(audit.signatureId).toBe(sigId);
    expect((audit.before as { numberTemplate: string }).numberTemplate).toBe('{ORG}-{YYYY}-{SEQ:5}');
    expect((audit.after as { numberTemplate: string }).numberTemplate).toBe('{ORG}/{YY}/{SEQ:4}');

    const receivedAt = astanaInstant('2026-06-02', '10:00');
    const { draft } = await makeDraft(t.db, applicant, org.orgId, { category: 'cat_working' });
    const r = await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant), receivedAt });
    expect(r.application.number).toBe('ADM/26/0001');
    // The preview moves on with the sequence, and the admin list shows it.
    const rows = await listExpertOrgsForAdmin(t.db);
    expect(rows.find((x) => x.orgId === org.orgId)).toMatchObject({ nextNumber: 'ADM/26/0002', settings: { orgCode: 'ADM', numberTemplate: '{ORG}/{YY}/{SEQ:4}' } });
    expect(rows.find((x) => x.orgId === other.orgId)?.nextNumber).toBe('OTH-2026-00001');
    // The preview refuses an invalid template with the field named.
    expect((await refused(previewNextNumber(t.db, { orgId: org.orgId, orgCode: 'ADM', numberTemplate: 'ADM-{SEQ}' }))).fields?.numberTemplate).toMatch(/year/);
  });

  it('E-44 the operator edits a category’s durations: the demo mark goes, the change is audited and new deadlines use it', async () => {
    setClock(astanaInstant('2026-06-02', '10:00'));
    await makeConfig(t.db, 'cat_edit', 'working', { completeness: 5 });
    const [seeded] = await t.db.select().from(deadlineConfigs).where(eq(deadlineConfigs.category, 'cat_edit'));
    expect(seeded.demo).toBe(true);
    const bad = await refused(
      setDeadlineConfig(t.db, operator, { category: 'cat_edit', label: 'Edited', completenessDays: 0, remarksDays: 10, remedyDays: 5, conclusionDays: 30, unit: 'calendar' }),
    );
    expect(bad.code).toBe('validation_failed');
    expect((await refused(setDeadlineConfig(t.db, applicant, { category: 'cat_edit', label: 'x', completenessDays: 2, remarksDays: 10, remedyDays: 5, conclusionDays: 30, unit: 'calendar' }))).code).toBe('forbidden');

    const sigId = await makeSig(t.db, operator);
    const row = await setDeadlineConfig(
      t.db,
      operator,
      { category: 'cat_edit', label: 'Edited', completenessDays: 2, remarksDays: 10, remedyDays: 5, conclusionDays: 30, unit: 'calendar' },
      { signatureId: sigId },
    );
    expect(row).toMatchObject({ demo: false, completenessDays: 2, unit: 'calendar' });
    expect((await listDeadlineConfigs(t.db)).find((c) => c.category === 'cat_edit')?.demo).toBe(false);
    const [audit] = await audits('expertise.deadline_config.set', 'cat_edit');
    expect(audit.signatureId).toBe(sigId);
    expect(audit.before).toMatchObject({ completenessDays: 5, demo: true, unit: 'working' });

    // Registered on Tuesday 2 June: 2 calendar days → 4 June.
    const { draft } = await makeDraft(t.db, applicant, org.orgId, { category: 'cat_edit' });
    await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant), receivedAt: astanaInstant('2026-06-02', '10:00') });
    const d = await getDeadline(t.db, draft.id, 'completeness');
    expect(d).toMatchObject({ amount: 2, unit: 'calendar_days', dueDate: '2026-06-04' });
    await recordCompleteness(t.db, org.expert, draft.id, { result: 'positive' });
  });

  it('E-16 the operator sets the upload part size and the largest file: validated, stored together, audited', async () => {
    const before = await getUploadSettings(t.db);
    const bad = await refused(setUploadSettings(t.db, operator, { chunkSizeMiB: 64, maxFileMiB: 32 }));
    expect(bad.code).toBe('validation_failed');
    expect((await refused(setUploadSettings(t.db, operator, { chunkSizeMiB: 0.1, maxFileMiB: 32 }))).code).toBe('validation_failed');
    expect((await refused(setUploadSettings(t.db, applicant, { chunkSizeMiB: 8, maxFileMiB: 1024 }))).code).toBe('forbidden');
    expect(await getUploadSettings(t.db)).toEqual(before);

    const sigId = await makeSig(t.db, operator);
    expect(await setUploadSettings(t.db, operator, { chunkSizeMiB: 8, maxFileMiB: 1024 }, { signatureId: sigId })).toEqual({
      chunkSizeBytes: 8 * 1024 * 1024,
      maxFileBytes: 1024 * 1024 * 1024,
    });
    expect(await getUploadSettings(t.db)).toEqual({ chunkSizeBytes: 8 * 1024 * 1024, maxFileBytes: 1024 * 1024 * 1024 });
    const [audit] = await audits('documents.upload_settings.set', 'uploads');
    expect(audit).toMatchObject({ signatureId: sigId, before, after: { chunkSizeBytes: 8 * 1024 * 1024, maxFileBytes: 1024 * 1024 * 1024 } });
  });

  it('E-19 accreditation and blocking are the operator’s settings as well', async () => {
    await setExpertOrgSettings(t.db, operator, { orgId: other.orgId, orgCode: 'OTH', numberTemplate: '{ORG}-{YYYY}-{SEQ:5}', accredited: true, blocked: true });
    const [row] = await t.db.select().from(expertOrgSettings).where(eq(expertOrgSettings.orgId, other.orgId));
    expect(row.blocked).toBe(true);
    const { draft } = await makeDraft(t.db, applicant, other.orgId);
    expect((await refused(submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant) }))).fields?.expertOrgId).toBeTruthy();
  });
});
