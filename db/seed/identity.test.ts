import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, userRoles, users } from '@/db/schema/identity';
import { loadPrincipal } from '@/lib/auth/principal';
import { can } from '@/lib/auth/policy';
import { ensureTestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { useTestDb } from '@/lib/testing/db';
import { seed } from './all';

const t = useTestDb();
const saved = process.env.EDS_TEST_MODE;
beforeAll(() => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
});
afterAll(() => {
  process.env.EDS_TEST_MODE = saved;
  resetEnvCache();
});

async function principalOf(iin: string) {
  const [u] = await t.db.select().from(users).where(eq(users.iin, iin));
  return loadPrincipal(t.db, u.id, u.sessionVersion);
}

describe('identity seed (EDS test mode)', () => {
  it('X-12 creates the demo users with their roles, idempotently', async () => {
    await seed(t.db);
    await seed(t.db, { force: true });
    const pki = await ensureTestPki(t.db);

    const operator = await principalOf(pki.keys.operator.iin);
    expect(operator?.roles).toEqual(['admin', 'operator']);
    const head = await principalOf(pki.keys.first_head.iin);
    expect(head?.roles).toEqual(['first_head']);
    const employee = await principalOf(pki.keys.employee.iin);
    expect(employee?.roles).toEqual(['applicant', 'employee']);
    expect(employee?.orgId).toBe(head?.orgId);
    expect(can(head, 'org.roles.manage', { orgId: employee?.orgId })).toBe(true);
    expect(can(employee, 'org.roles.manage', { orgId: employee?.orgId })).toBe(false);

    const [expertOrg] = await t.db.select().from(organisations).where(eq(organisations.bin, pki.keys.expert_head.bin!));
    expect(expertOrg.kind).toBe('expert_organisation');
    // Bad demo keys get no account.
    expect(await t.db.select().from(users).where(eq(users.iin, pki.keys.revoked.iin))).toHaveLength(0);
    // Running twice granted nothing twice.
    const grants = await t.db.select().from(userRoles);
    expect(new Set(grants.map((g) => `${g.userId}/${g.role}/${g.orgId}`)).size).toBe(grants.length);
  });
});
