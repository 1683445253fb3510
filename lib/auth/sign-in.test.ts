import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema/audit';
import { organisations, userRoles, users } from '@/db/schema/identity';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { deactivateUser } from '@/lib/registration/roles';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { CHALLENGE_TTL_MS, issueChallenge, newBindingId, purgeChallenges } from './challenge';
import { SIGN_IN_LIMIT, SIGN_IN_LIMIT_PER_IP, signInWithEds } from './eds-sign-in';
import { toAuditActor } from './policy';
import { loadPrincipal, type Principal } from './principal';
import { insertRoleGrant } from './users';

const t = useTestDb();
let pki: TestPki;
// A fixed instant inside the demo certificates' validity (they are generated valid from "now" on).
const T0 = new Date();
const savedMode = process.env.EDS_TEST_MODE;

beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
  pki = await ensureTestPki(t.db);
});
afterAll(() => {
  process.env.EDS_TEST_MODE = savedMode;
  resetEnvCache();
});
afterEach(() => setClock(null));

let ipCounter = 0;
/** A fresh client IP per attempt so that the rate limit only bites where a test wants it to. */
const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function signNonce(name: DemoKeyName, nonceB64: string, purpose: 'auth' | 'sign' = 'auth'): Promise<string> {
  const file = pki.keys[name][purpose];
  const key = await openP12(file.p12, file.password);
  return signCmsDetached(key, new Uint8Array(Buffer.from(nonceB64, 'base64')), { signingTime: T0 });
}

async function attempt(name: DemoKeyName, opts: { purpose?: 'auth' | 'sign'; ip?: string } = {}) {
  setClock(T0);
  const bindingId = newBindingId();
  const ch = await issueChallenge(t.db, bindingId);
  const cms = await signNonce(name, ch.nonce, opts.purpose);
  return signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: opts.ip ?? freshIp() });
}

async function auditOutcomes(): Promise<unknown[]> {
  const rows = await t.db.select({ action: auditLog.action, after: auditLog.after }).from(auditLog);
  return rows.filter((r) => r.action.startsWith('auth.')).map((r) => (r.after as { outcome: string }).outcome);
}

describe('EDS sign-in', () => {
  it('X-3 a good AUTH signature over the issued nonce signs in and creates the user by IIN and the organisation by BIN', async () => {
    const key = pki.keys.first_head;
    const r = await attempt('first_head');
    expect(r).toMatchObject({ ok: true, created: true });
    if (!r.ok) throw new Error('unreachable');
    const [u] = await t.db.select().from(users).where(eq(users.iin, key.iin));
    expect(u.id).toBe(r.user.id);
    expect(u.fullName).toBe(key.fullName);
    const [org] = await t.db.select().from(organisations).where(eq(organisations.bin, key.bin!));
    expect(org.name).toBe(key.organization);
    expect(u.orgId).toBe(org.id);
    expect(r.user.sessionVersion).toBe(1);

    // Signing in again finds the same user and organisation.
    const again = await attempt('first_head');
    expect(again).toMatchObject({ ok: true, created: false, user: { id: u.id } });
    expect(await t.db.select().from(organisations).where(eq(organisations.bin, key.bin!))).toHaveLength(1);
    expect(await auditOutcomes()).toContain('ok');
  });

  it('X-3 an individual without BIN signs in without an organisation', async () => {
    const r = await attempt('individual');
    expect(r).toMatchObject({ ok: true, user: { iin: pki.keys.individual.iin, orgId: null } });
  });

  it('X-3 a replayed nonce is refused', async () => {
    setClock(T0);
    const bindingId = newBindingId();
    const ch = await issueChallenge(t.db, bindingId);
    const cms = await signNonce('employee', ch.nonce);
    const first = await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: freshIp() });
    expect(first.ok).toBe(true);
    const replay = await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: freshIp() });
    expect(replay).toMatchObject({ ok: false, code: 'challenge_used' });
  });

  it('X-3 two concurrent uses of one nonce: exactly one succeeds', async () => {
    setClock(T0);
    const bindingId = newBindingId();
    const ch = await issueChallenge(t.db, bindingId);
    const cms = await signNonce('employee', ch.nonce);
    const results = await Promise.all([1, 2, 3].map(() => signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: freshIp() })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(['challenge_used', 'challenge_used']);
  });

  it('X-3 an expired nonce (older than 5 minutes) is refused', async () => {
    setClock(T0);
    const bindingId = newBindingId();
    const ch = await issueChallenge(t.db, bindingId);
    expect(ch.expiresAt.getTime() - T0.getTime()).toBe(CHALLENGE_TTL_MS);
    const cms = await signNonce('employee', ch.nonce);
    setClock(new Date(T0.getTime() + CHALLENGE_TTL_MS + 1000));
    const r = await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: freshIp() });
    expect(r).toMatchObject({ ok: false, code: 'challenge_expired' });
  });

  it('X-3 a nonce issued to another browser is refused (and stays usable by its own browser)', async () => {
    setClock(T0);
    const bindingId = newBindingId();
    const ch = await issueChallenge(t.db, bindingId);
    const cms = await signNonce('employee', ch.nonce);
    const stolen = await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId: newBindingId(), ip: freshIp() });
    expect(stolen).toMatchObject({ ok: false, code: 'challenge_wrong_browser' });
    const noCookie = await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId: null, ip: freshIp() });
    expect(noCookie).toMatchObject({ ok: false, code: 'challenge_wrong_browser' });
    const own = await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: freshIp() });
    expect(own.ok).toBe(true);
  });

  it('X-3 a signature over another nonce is refused', async () => {
    setClock(T0);
    const bindingId = newBindingId();
    const ch = await issueChallenge(t.db, bindingId);
    const other = await issueChallenge(t.db, bindingId);
    const cms = await signNonce('employee', other.nonce);
    const r = await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: freshIp() });
    expect(r.ok).toBe(false);
    expect(['payload_mismatch', 'bad_signature']).toContain(!r.ok && r.code);
  });

  it.each([
    ['expired', 'expired'],
    ['revoked', 'revoked'],
    ['foreign_root', 'untrusted_chain'],
  ] as const)('X-3 the %s demo key is refused with code %s and creates no user', async (name, code) => {
    const r = await attempt(name);
    expect(r).toMatchObject({ ok: false, code });
    expect(await t.db.select().from(users).where(eq(users.iin, pki.keys[name].iin))).toHaveLength(0);
    expect(await auditOutcomes()).toContain(code);
  });

  it('X-3 a SIGN key cannot be used to sign in (AUTH key required)', async () => {
    const r = await attempt('individual', { purpose: 'sign' });
    expect(r).toMatchObject({ ok: false, code: 'wrong_key_usage' });
  });

  it('X-3 sign-in attempts are rate-limited per browser (10 per 5 minutes) and per IP', async () => {
    setClock(T0);
    const bindingId = newBindingId();
    const results = [];
    for (let i = 0; i < SIGN_IN_LIMIT + 1; i++) {
      results.push(await signInWithEds(t.db, { challengeId: 'not-a-challenge', cms: 'x', bindingId, ip: freshIp() }));
    }
    expect(results.slice(0, SIGN_IN_LIMIT).every((r) => !r.ok && r.code === 'challenge_unknown')).toBe(true);
    expect(results[SIGN_IN_LIMIT]).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(results[SIGN_IN_LIMIT].ok === false && results[SIGN_IN_LIMIT].message).toMatch(/5 minutes/);
    // Another browser is not affected.
    expect(await signInWithEds(t.db, { challengeId: 'not-a-challenge', cms: 'x', bindingId: newBindingId(), ip: freshIp() })).toMatchObject({
      code: 'challenge_unknown',
    });
    // After the window has passed the browser may try again.
    setClock(new Date(T0.getTime() + 5 * 60 * 1000 + 1000));
    const later = await signInWithEds(t.db, { challengeId: 'not-a-challenge', cms: 'x', bindingId, ip: freshIp() });
    expect(later).toMatchObject({ ok: false, code: 'challenge_unknown' });

    // One IP, many browsers: refused after SIGN_IN_LIMIT_PER_IP attempts.
    setClock(T0);
    const ip = '192.0.2.77';
    for (let i = 0; i < SIGN_IN_LIMIT_PER_IP; i++) {
      const r = await signInWithEds(t.db, { challengeId: 'not-a-challenge', cms: 'x', bindingId: newBindingId(), ip });
      expect(r).toMatchObject({ code: 'challenge_unknown' });
    }
    expect(await signInWithEds(t.db, { challengeId: 'not-a-challenge', cms: 'x', bindingId: newBindingId(), ip })).toMatchObject({
      code: 'rate_limited',
    });
  });

  it('X-8 a deactivated user loses an existing session at once and cannot sign in again', async () => {
    const r = await attempt('signing_rights');
    if (!r.ok) throw new Error(`sign-in failed: ${r.code}`);
    // The session's token carries (userId, sessionVersion); every request re-checks them.
    expect(await loadPrincipal(t.db, r.user.id, r.user.sessionVersion)).toMatchObject({ userId: r.user.id, iin: pki.keys.signing_rights.iin });

    const op = await attempt('operator');
    if (!op.ok) throw new Error(`sign-in failed: ${op.code}`);
    await t.db.insert(userRoles).values({ userId: op.user.id, role: 'admin' });
    const admin = (await loadPrincipal(t.db, op.user.id, op.user.sessionVersion)) as Principal;
    expect(admin.roles).toContain('admin');

    await deactivateUser(t.db, admin, r.user.id, { reason: 'powers ended (order 12)' });
    expect(await loadPrincipal(t.db, r.user.id, r.user.sessionVersion)).toBeNull();
    const [u] = await t.db.select().from(users).where(eq(users.id, r.user.id));
    expect(u.status).toBe('deactivated');
    expect(u.sessionVersion).toBe(r.user.sessionVersion + 1);

    const again = await attempt('signing_rights');
    expect(again).toMatchObject({ ok: false, code: 'deactivated' });
    // Never deleted.
    expect(await t.db.select().from(users).where(eq(users.id, r.user.id))).toHaveLength(1);
  });

  it('X-11 roles come from the database, not the token: a withdrawn role is gone on the next request', async () => {
    const head = await attempt('first_head');
    const emp = await attempt('employee');
    if (!head.ok || !emp.ok) throw new Error('sign-in failed');
    await t.db.insert(userRoles).values({ userId: head.user.id, role: 'first_head', orgId: head.user.orgId });
    const headP = (await loadPrincipal(t.db, head.user.id, head.user.sessionVersion)) as Principal;
    expect(headP.roles).toEqual(['first_head']);

    await insertRoleGrant(
      t.db,
      { userId: emp.user.id, role: 'employee', orgId: emp.user.orgId, grantedBy: headP.userId },
      { actor: toAuditActor(headP), action: 'role.grant', basis: 'X-12 test grant' },
    );
    expect((await loadPrincipal(t.db, emp.user.id, emp.user.sessionVersion))?.roles).toEqual(['employee']);
    await t.db
      .update(userRoles)
      .set({ revokedAt: T0 })
      .where(and(eq(userRoles.userId, emp.user.id), isNull(userRoles.revokedAt)));
    expect((await loadPrincipal(t.db, emp.user.id, emp.user.sessionVersion))?.roles).toEqual([]);
  });

  it('X-3 challenges are purged a day after they expired; a purged one is unknown', async () => {
    setClock(T0);
    const bindingId = newBindingId();
    const ch = await issueChallenge(t.db, bindingId);
    setClock(new Date(T0.getTime() + 2 * 24 * 60 * 60 * 1000));
    expect(await purgeChallenges(t.db)).toBeGreaterThanOrEqual(1);
    const cms = await signNonce('employee', ch.nonce);
    expect(await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: freshIp() })).toMatchObject({ code: 'challenge_unknown' });
  });
});
