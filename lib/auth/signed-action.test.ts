import { count, eq, ne, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionNonces } from '@/db/schema/actions';
import { auditLog } from '@/db/schema/audit';
import { signatures } from '@/db/schema/eds';
import { users } from '@/db/schema/identity';
import { canonicalJson } from '@/lib/canonical';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { ACTION_NONCE_TTL_MS, consumeActionNonce, issueActionNonce } from './action-nonce';
import { loadPrincipal, type Principal } from './principal';
import { PROFILE_UPDATE_ACTION, profileEmailSchema, updateContactEmail } from './profile';
import { runSignedAction, SIGNED_ACTION_REFUSED, type SignedActionDef } from './signed-action';

const t = useTestDb();
let pki: TestPki;
const T0 = new Date();
const savedMode = process.env.EDS_TEST_MODE;

const def: SignedActionDef<typeof profileEmailSchema, { email: string | null }> = {
  schema: profileEmailSchema,
  action: 'cabinet.access',
  name: PROFILE_UPDATE_ACTION,
  fn: ({ tx, principal, input, signatureId, requestId }) => updateContactEmail(tx, principal, input, { signatureId, requestId }),
};

const principals = new Map<DemoKeyName, Principal>();

/** The user of a demo key (created once per file). */
async function principalOf(name: DemoKeyName): Promise<Principal> {
  const hit = principals.get(name);
  if (hit) return hit;
  const key = pki.keys[name];
  const [u] = await t.db.insert(users).values({ iin: key.iin, fullName: key.fullName }).returning();
  const p = await loadPrincipal(t.db, u.id, u.sessionVersion);
  if (!p) throw new Error('no principal');
  principals.set(name, p);
  return p;
}

/** What the browser does: sign canonicalJson({ action, input, nonce }) with a key file, detached. */
async function sign(keyName: DemoKeyName, content: unknown, purpose: 'auth' | 'sign' = 'sign'): Promise<string> {
  const file = pki.keys[keyName][purpose];
  const key = await openP12(file.p12, file.password);
  return signCmsDetached(key, new TextEncoder().encode(canonicalJson(content)), { signingTime: T0 });
}

async function signedPayload(p: Principal, keyName: DemoKeyName, input: unknown, opts: { purpose?: 'auth' | 'sign'; signedInput?: unknown } = {}) {
  const n = await issueActionNonce(t.db, p.userId, PROFILE_UPDATE_ACTION);
  const cms = await sign(keyName, { action: PROFILE_UPDATE_ACTION, input: opts.signedInput ?? input, nonce: n.nonce }, opts.purpose);
  return { input, nonceId: n.nonceId, cms };
}

/** Everything a signed action could change (a refusal's own journal row aside: X-9, see refusal-audit.test.ts). */
async function state(p: Principal) {
  const [sigs] = await t.db.select({ n: count() }).from(signatures);
  const [audits] = await t.db.select({ n: count() }).from(auditLog).where(ne(auditLog.action, SIGNED_ACTION_REFUSED));
  const [u] = await t.db.select({ email: users.email }).from(users).where(eq(users.id, p.userId));
  return { signatures: sigs.n, audits: audits.n, email: u.email };
}

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

describe('signed actions', () => {
  it('X-4 a signed action with a valid SIGN signature runs and stores the signature with the audit row', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const payload = await signedPayload(p, 'individual', { email: 'Aigerim@Example.kz' });
    const r = await runSignedAction(t.db, p, def, payload, { requestId: 'req-1' });
    expect(r).toEqual({ ok: true, data: { email: 'aigerim@example.kz' } });

    const [u] = await t.db.select().from(users).where(eq(users.id, p.userId));
    expect(u.email).toBe('aigerim@example.kz');
    const sigs = await t.db.select().from(signatures).where(eq(signatures.signerIin, p.iin));
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ purpose: 'sign', subject: PROFILE_UPDATE_ACTION, cms: payload.cms, signerIin: pki.keys.individual.iin });
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.signatureId, sigs[0].id));
    expect(audits.map((a) => [a.action, a.entityType]).sort()).toEqual([
      [PROFILE_UPDATE_ACTION, 'action'],
      [PROFILE_UPDATE_ACTION, 'user'],
    ]);
    expect(audits.every((a) => a.requestId === 'req-1' && a.actorUserId === p.userId)).toBe(true);
    const userRow = audits.find((a) => a.entityType === 'user')!;
    expect(userRow.after).toEqual({ email: 'aigerim@example.kz' });
  });

  it('X-4 a replayed nonce is refused and changes nothing', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const payload = await signedPayload(p, 'individual', { email: 'first@example.kz' });
    expect((await runSignedAction(t.db, p, def, payload)).ok).toBe(true);
    const before = await state(p);
    const again = await runSignedAction(t.db, p, def, payload);
    expect(again).toMatchObject({ ok: false, error: { code: 'nonce_replayed' } });
    expect(await state(p)).toEqual(before);
  });

  it('X-4 a payload changed after signing is refused', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const before = await state(p);
    const payload = await signedPayload(p, 'individual', { email: 'attacker@example.kz' }, { signedInput: { email: 'mine@example.kz' } });
    const r = await runSignedAction(t.db, p, def, payload);
    expect(r).toMatchObject({ ok: false, error: { code: 'signature_invalid', reason: 'payload_mismatch' } });
    expect(await state(p)).toEqual(before);
  });

  it('X-4 an AUTH key is refused', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const before = await state(p);
    const r = await runSignedAction(t.db, p, def, await signedPayload(p, 'individual', { email: 'auth@example.kz' }, { purpose: 'auth' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'signature_invalid', reason: 'wrong_key_usage' } });
    expect(await state(p)).toEqual(before);
  });

  it('X-4 another person’s key (a different IIN) is refused', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const before = await state(p);
    const r = await runSignedAction(t.db, p, def, await signedPayload(p, 'employee', { email: 'other@example.kz' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'signer_mismatch' } });
    expect(await state(p)).toEqual(before);
  });

  it.each([
    ['expired', 'expired'],
    ['revoked', 'revoked'],
    ['foreign_root', 'untrusted_chain'],
  ] as const)('X-4 a key that is %s is refused (%s)', async (name, reason) => {
    setClock(T0);
    const p = await principalOf(name);
    const before = await state(p);
    const r = await runSignedAction(t.db, p, def, await signedPayload(p, name, { email: 'bad@example.kz' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'signature_invalid', reason } });
    expect(await state(p)).toEqual(before);
  });

  it('X-4 a nonce issued for another user or another action is refused and stays usable by its owner', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const other = await principalOf('employee');
    const n = await issueActionNonce(t.db, other.userId, PROFILE_UPDATE_ACTION);
    const cms = await sign('individual', { action: PROFILE_UPDATE_ACTION, input: { email: 'x@example.kz' }, nonce: n.nonce });
    const r = await runSignedAction(t.db, p, def, { input: { email: 'x@example.kz' }, nonceId: n.nonceId, cms });
    expect(r).toMatchObject({ ok: false, error: { code: 'nonce_invalid' } });

    const n2 = await issueActionNonce(t.db, p.userId, 'calendar.manage');
    const r2 = await runSignedAction(t.db, p, def, { input: { email: 'x@example.kz' }, nonceId: n2.nonceId, cms });
    expect(r2).toMatchObject({ ok: false, error: { code: 'nonce_invalid' } });
    // The owner's nonce was not burnt by the refused attempt.
    await expect(consumeActionNonce(t.db, n.nonceId, other.userId, PROFILE_UPDATE_ACTION)).resolves.toBe(n.nonce);
  });

  it('X-4 a nonce older than 5 minutes is refused', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const before = await state(p);
    const payload = await signedPayload(p, 'individual', { email: 'late@example.kz' });
    setClock(new Date(T0.getTime() + ACTION_NONCE_TTL_MS + 1000));
    const r = await runSignedAction(t.db, p, def, payload);
    expect(r).toMatchObject({ ok: false, error: { code: 'nonce_expired' } });
    expect(await state(p)).toEqual(before);
  });

  it('X-4 without a session, without a signature or with invalid input nothing runs', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const before = await state(p);
    const payload = await signedPayload(p, 'individual', { email: 'ok@example.kz' });
    expect(await runSignedAction(t.db, null, def, payload)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await runSignedAction(t.db, p, def, { input: { email: 'ok@example.kz' } })).toMatchObject({
      ok: false,
      error: { code: 'signature_required' },
    });
    const bad = await runSignedAction(t.db, p, def, { ...payload, input: { email: 'not an e-mail' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { email: expect.any(String) } } });
    // an action the principal's roles do not allow is refused before anything else.
    const adminOnly = { ...def, action: 'settings.manage' as const };
    expect(await runSignedAction(t.db, p, adminOnly, payload)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await state(p)).toEqual(before);
    // None of the refusals above consumed the nonce: the same payload still works.
    expect(await runSignedAction(t.db, p, def, payload)).toMatchObject({ ok: true });
  });

  it('X-4 a failing action rolls back its signature and audit row with it', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const before = await state(p);
    const failing: typeof def = {
      ...def,
      fn: async (ctx) => {
        await updateContactEmail(ctx.tx, ctx.principal, ctx.input, ctx);
        throw new Error('boom');
      },
    };
    const r = await runSignedAction(t.db, p, failing, await signedPayload(p, 'individual', { email: 'rollback@example.kz' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await state(p)).toEqual(before);
  });

  it('X-5 the stored signature cannot be updated or deleted', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const payload = await signedPayload(p, 'individual', { email: 'x5@example.kz' });
    expect((await runSignedAction(t.db, p, def, payload)).ok).toBe(true);
    const [sig] = await t.db.select().from(signatures).where(eq(signatures.cms, payload.cms));
    await expect(t.db.update(signatures).set({ signerIin: '000000000000' }).where(eq(signatures.id, sig.id))).rejects.toThrow();
    await expect(t.db.delete(signatures).where(eq(signatures.id, sig.id))).rejects.toThrow();
    await expect(t.db.execute(sql`truncate signatures cascade`)).rejects.toThrow();
    const [still] = await t.db.select().from(signatures).where(eq(signatures.id, sig.id));
    expect(still).toEqual(sig);
    // The nonce table keeps the use.
    const [n] = await t.db.select().from(actionNonces).where(eq(actionNonces.id, payload.nonceId));
    expect(n.usedAt).not.toBeNull();
  });
});
