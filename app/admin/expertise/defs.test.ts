import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema/audit';
import { deadlineConfigs, expertOrgSettings, userRoles, users } from '@/db/schema';
import { issueActionNonce } from '@/lib/auth/action-nonce';
import { loadPrincipal, type Principal } from '@/lib/auth/principal';
import { runSignedAction } from '@/lib/auth/signed-action';
import { canonicalJson } from '@/lib/canonical';
import { getUploadSettings } from '@/lib/documents/settings';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { makeConfig, makeExpertOrg } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { deadlineConfigDef, orgSettingsDef, uploadSettingsDef } from './defs';

const t = useTestDb();
let pki: TestPki;
const T0 = new Date('2031-02-03T05:00:00Z');
const savedMode = process.env.EDS_TEST_MODE;

async function principalOf(name: DemoKeyName, roles: string[]): Promise<Principal> {
  const key = pki.keys[name];
  const [u] = await t.db.insert(users).values({ iin: key.iin, fullName: key.fullName }).returning();
  for (const role of roles) await t.db.insert(userRoles).values({ userId: u.id, role, orgId: null });
  const p = await loadPrincipal(t.db, u.id, u.sessionVersion);
  if (!p) throw new Error('no principal');
  return p;
}

/** What <SignButton> sends: the input, the nonce id and a detached SIGN signature over {action, input, nonce}. */
async function signed(p: Principal, keyName: DemoKeyName, def: { name: string }, input: unknown) {
  const n = await issueActionNonce(t.db, p.userId, def.name);
  const file = pki.keys[keyName].sign;
  const key = await openP12(file.p12, file.password);
  const cms = await signCmsDetached(key, new TextEncoder().encode(canonicalJson({ action: def.name, input, nonce: n.nonce })), { signingTime: T0 });
  return { input, nonceId: n.nonceId, cms };
}

let operator: Principal;
let individual: Principal;
let orgId: string;

beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
  pki = await ensureTestPki(t.db);
  operator = await principalOf('operator', ['operator']);
  individual = await principalOf('individual', ['applicant']);
  ({ orgId } = await makeExpertOrg(t.db, 'SGN'));
  await makeConfig(t.db, 'level_9', 'working');
});
afterAll(() => {
  process.env.EDS_TEST_MODE = savedMode;
  resetEnvCache();
});
afterEach(() => setClock(null));

describe('signed expertise settings', () => {
  it('X-4 E-18 E-44 E-16 the operator’s edits are signed; the domain audit rows carry the signature', async () => {
    setClock(T0);
    const org = { orgId, orgCode: 'SGN', numberTemplate: '{ORG}-{YY}-{SEQ:6}', accredited: true, blocked: false };
    const r1 = await runSignedAction(t.db, operator, orgSettingsDef, await signed(operator, 'operator', orgSettingsDef, org));
    expect(r1).toEqual({ ok: true, data: { orgId, nextNumber: 'SGN-31-000001' } });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'expertise.org_settings.set'), eq(auditLog.entityId, orgId)));
    expect(audit.signatureId).toBeTruthy();

    const cfg = { category: 'level_9', label: 'Level 9', completenessDays: 3, remarksDays: 12, remedyDays: 6, conclusionDays: 40, unit: 'calendar' as const };
    const r2 = await runSignedAction(t.db, operator, deadlineConfigDef, await signed(operator, 'operator', deadlineConfigDef, cfg));
    expect(r2).toEqual({ ok: true, data: { category: 'level_9' } });
    const [row] = await t.db.select().from(deadlineConfigs).where(eq(deadlineConfigs.category, 'level_9'));
    expect(row).toMatchObject({ demo: false, remarksDays: 12, unit: 'calendar' });

    const r3 = await runSignedAction(t.db, operator, uploadSettingsDef, await signed(operator, 'operator', uploadSettingsDef, { chunkSizeMiB: 2, maxFileMiB: 100 }));
    expect(r3.ok).toBe(true);
    expect(await getUploadSettings(t.db)).toEqual({ chunkSizeBytes: 2 * 1024 * 1024, maxFileBytes: 100 * 1024 * 1024 });
  });

  it('X-4 E-18 an invalid template comes back as a field error and changes nothing; another person is refused', async () => {
    setClock(T0);
    const bad = { orgId, orgCode: 'SGN', numberTemplate: '{ORG}-{SEQ}', accredited: true, blocked: false };
    const r = await runSignedAction(t.db, operator, orgSettingsDef, await signed(operator, 'operator', orgSettingsDef, bad));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('validation_failed');
      expect(r.error.fields?.numberTemplate).toMatch(/year/);
    }
    const [row] = await t.db.select().from(expertOrgSettings).where(eq(expertOrgSettings.orgId, orgId));
    expect(row.numberTemplate).toBe('{ORG}-{YY}-{SEQ:6}');

    const other = { ...bad, numberTemplate: '{ORG}-{YYYY}-{SEQ}' };
    const refused = await runSignedAction(t.db, individual, orgSettingsDef, await signed(individual, 'individual', orgSettingsDef, other));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('forbidden');
    // The operator's signature cannot be replayed under the individual's session either.
    const forged = await runSignedAction(t.db, operator, orgSettingsDef, await signed(operator, 'individual', orgSettingsDef, other));
    expect(forged.ok).toBe(false);
    if (!forged.ok) expect(forged.error.code).toBe('signer_mismatch');
  });
});
