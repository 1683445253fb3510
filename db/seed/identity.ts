import type { Db } from '@/db/client';
import { organisations, userRoles } from '@/db/schema/identity';
import { upsertUserFromCertificate } from '@/lib/auth/eds-sign-in';
import type { Role } from '@/lib/auth/policy';
import { parseCertificate } from '@/lib/eds/certificate';
import { ensureTestPki, type DemoKey } from '@/lib/eds/test-pki';
import { and, eq } from 'drizzle-orm';
import { waterUserScopes } from '@/db/schema';
import { registerSeeders } from './index';
// Imported for the demo regions' ids; it also registers the water seed before this one (the akimat's scope needs its region).
import { demoWaterId } from './water';

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
  // W-12 / W-16: an employee of the Astana water utility (sees its own entity: the organisation's BIN is the entity's).
  water_utility: { org: ['water_utility'] },
  // W-16: a specialist of the Almaty city akimat (sees its region: a region scope, below).
  akimat: { org: ['akimat'] },
};

/** W-16: demo keys whose water scope is a region (water_user_scopes), by the water seed's region key. */
const DEMO_WATER_REGION: Record<string, string> = { akimat: 'almaty' };

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
    const region = DEMO_WATER_REGION[name];
    if (region) {
      const regionId = demoWaterId(`region:${region}`);
      const [has] = await db.select({ id: waterUserScopes.id }).from(waterUserScopes).where(and(eq(waterUserScopes.userId, u.id), eq(waterUserScopes.regionId, regionId)));
      if (!has) await db.insert(waterUserScopes).values({ userId: u.id, level: 'region', regionId });
    }
  }
}

registerSeeders({
  name: 'identity',
  // Re-runs when test mode is switched on later.
  get version() {
    return testModeOn() ? '3-test' : '1'; // 2: the oversight and environmental-authority demo users; 3: water utility and akimat
  },
  run: seedDemoUsers,
});
