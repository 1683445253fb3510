import type { Db } from '@/db/client';
import { organisations, userRoles } from '@/db/schema/identity';
import { upsertUserFromCertificate } from '@/lib/auth/eds-sign-in';
import type { Role } from '@/lib/auth/policy';
import { parseCertificate } from '@/lib/eds/certificate';
import { ensureTestPki, type DemoKey } from '@/lib/eds/test-pki';
import { eq } from 'drizzle-orm';
import { registerSeeders } from './index';

/** Which roles each demo key's user holds. 'org' roles are held in the user's organisation. */
const DEMO_ROLES: Record<string, { portal?: Role[]; org?: Role[]; orgKind?: string }> = {
  operator: { portal: ['operator', 'admin'] },
  individual: { portal: ['applicant'] },
  first_head: { org: ['first_head'] },
  employee: { org: ['employee', 'applicant'] },
  signing_rights: { org: ['employee'] },
  expert_head: { org: ['first_head', 'expert_head', 'expert'], orgKind: 'expert_organisation' },
  // used when the test PKI offers a key for the state control body.
  oversight: { portal: ['oversight'] },
  // E-49: a specialist of an environmental-protection authority.
  env_authority: { org: ['environmental_authority'], orgKind: 'environmental_authority' },
};

function testModeOn(): boolean {
  return ['1', 'true', 'yes', 'on'].includes((process.env.EDS_TEST_MODE ?? '').toLowerCase());
}

/** EDS test mode: the test PKI and the demo users with their roles. Idempotent. */
async function seedDemoUsers(db: Db): Promise<void> {
  if (!testModeOn()) return;
  const pki = await ensureTestPki(db);
  const keys = pki.keys as Record<string, DemoKey>;
  const userIds: Record<string, { id: string; orgId: string | null }> = {};
  for (const name of Object.keys(DEMO_ROLES)) {
    const key = keys[name];
    if (!key) continue;
    const cert = parseCertificate(key.auth.certDer);
    if (!cert.iin) continue;
    const { row } = await upsertUserFromCertificate(db, { ...cert, iin: cert.iin });
    userIds[name] = { id: row.id, orgId: row.orgId };
    const kind = DEMO_ROLES[name].orgKind;
    if (kind && row.orgId) await db.update(organisations).set({ kind }).where(eq(organisations.id, row.orgId));
  }
  const headOf = (orgId: string | null) =>
    Object.entries(userIds).find(([n, u]) => u.orgId === orgId && DEMO_ROLES[n].org?.includes('first_head'))?.[1].id ?? null;
  for (const [name, u] of Object.entries(userIds)) {
    const spec = DEMO_ROLES[name];
    const rows = [
      ...(spec.portal ?? []).map((role) => ({ userId: u.id, role, orgId: null, grantedBy: null })),
      ...(spec.org ?? []).map((role) => ({
        userId: u.id,
        role,
        orgId: u.orgId,
        grantedBy: role === 'first_head' ? null : headOf(u.orgId),
      })),
    ];
    // The partial unique index keeps one active grant per (user, role, org): re-runs add nothing.
    if (rows.length) await db.insert(userRoles).values(rows).onConflictDoNothing();
  }
}

registerSeeders({
  name: 'identity',
  // Re-runs when test mode is switched on later.
  get version() {
    return testModeOn() ? '2-test' : '1'; // 2: the oversight and environmental-authority demo users
  },
  run: seedDemoUsers,
});
