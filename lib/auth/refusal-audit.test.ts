import { count, eq, ne } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema/audit';
import { signatures } from '@/db/schema/eds';
import { users } from '@/db/schema/identity';
import { listAudit, verifyAuditChain } from '@/lib/audit';
import { canonicalJson } from '@/lib/canonical';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { issueActionNonce } from './action-nonce';
import { loadPrincipal, type Principal } from './principal';
import { PROFILE_UPDATE_ACTION, profileEmailSchema, updateContactEmail } from './profile';
import { runSignedAction, SIGNED_ACTION_REFUSED, type SignedActionDef } from './signed-action';

/**
 * a refused signed-action attempt is written to the audit journal as a refusal (who, which
 * action, why, the presented certificate) and changes nothing else.
 */

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
async function principalOf(name: DemoKeyName): Promise<Principal> {
  const hit = principals.get(name);
  if (hit) return hit;
  const key = pki.keys[name];
  const [u] = await t.db.insert(users).values({ iin: key.iin, fullName: key.fullName }).returning();
  const p = (await loadPrincipal(t.db, u.id, u.sessionVersion))!;
  principals.set(name, p);
  return p;
}

async function payload(p: Principal, keyName: DemoKeyName, input: unknown, opts: { purpose?: 'auth' | 'sign'; signedInput?: unknown } = {}) {
  const n = await issueActionNonce(t.db, p.userId, PROFILE_UPDATE_ACTION);
  const f = pki.keys[keyName][opts.purpose ?? 'sign'];
  const key = await openP12(f.p12, f.password);
  const content = new TextEncoder().encode(canonicalJson({ action: PROFILE_UPDATE_ACTION, input: opts.signedInput ?? input, nonce: n.nonce }));
  return { input, nonceId: n.nonceId, cms: await signCmsDetached(key, content, { signingTime: T0 }) };
}

/** Everything but the journal's refusal rows. */
async function state(p: Principal) {
  const [s] = await t.db.select({ n: count() }).from(signatures);
  const [a] = await t.db.select({ n: count() }).from(auditLog).where(ne(auditLog.action, SIGNED_ACTION_REFUSED));
  const [u] = await t.db.select({ email: users.email }).from(users).where(eq(users.id, p.userId));
  return { signatures: s.n, audits: a.n, email: u.email };
}

async function refusals(p: Principal) {
  return (await listAudit(t.db, { userId: p.userId, action: SIGNED_ACTION_REFUSED }, { limit: 100 })).rows;
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

describe('X-4 X-9 refused signed actions are journalled as refusals', () => {
  it('X-4 X-9 a bad signature (payload changed after signing) is journalled with its reason and changes nothing else', async () => {
    setClock(T0);
    const p = await principalOf('individual');
    const before = await state(p);
    const r = await runSignedAction(t.db, p, def, await payload(p, 'individual', { email: 'attacker@example.kz' }, { signedInput: { email: 'mine@example.kz' } }), {
      requestId: 'req-bad-sig',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'signature_invalid', reason: 'payload_mismatch' } });
    expect(await state(p)).toEqual(before);
    const [row] = await refusals(p);
    expect(row).toMatchObject({
      action: SIGNED_ACTION_REFUSED,
      entityType: 'action',
      entityId: PROFILE_UPDATE_ACTION,
      actorUserId: p.userId,
      actorIin: p.iin,
      requestId: 'req-bad-sig',
      signatureId: null,
      basis: 'X-4 refused: signature_invalid (payload_mismatch)',
    });
    expect(row.after).toMatchObject({ code: 'signature_invalid', reason: 'payload_mismatch', signer: { iin: pki.keys.individual.iin } });
  });

  it('X-4 X-9 a replayed nonce is journalled (nonce_replayed) and changes nothing else', async () => {
    setClock(T0);
    const p = await principalOf('employee');
    const pl = await payload(p, 'employee', { email: 'once@example.kz' });
    expect((await runSignedAction(t.db, p, def, pl)).ok).toBe(true);
    const before = await state(p);
    const n0 = (await refusals(p)).length;
    expect(await runSignedAction(t.db, p, def, pl)).toMatchObject({ ok: false, error: { code: 'nonce_replayed' } });
    expect(await state(p)).toEqual(before);
    const rows = await refusals(p);
    expect(rows).toHaveLength(n0 + 1);
    expect(rows[0].after).toMatchObject({ code: 'nonce_replayed' });
  });

  it('X-4 X-9 another person’s key (wrong signer) is journalled as signer_mismatch with the presented certificate', async () => {
    setClock(T0);
    const p = await principalOf('signing_rights');
    const before = await state(p);
    const r = await runSignedAction(t.db, p, def, await payload(p, 'first_head', { email: 'x@example.kz' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'signer_mismatch' } });
    expect(await state(p)).toEqual(before);
    const [row] = await refusals(p);
    expect(row.after).toMatchObject({ code: 'signer_mismatch', signer: { iin: pki.keys.first_head.iin } });
  });

  it('X-4 X-9 an AUTH key (wrong key usage) is journalled as signature_invalid / wrong_key_usage', async () => {
    setClock(T0);
    const p = await principalOf('expert_head');
    const before = await state(p);
    const r = await runSignedAction(t.db, p, def, await payload(p, 'expert_head', { email: 'auth@example.kz' }, { purpose: 'auth' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'signature_invalid', reason: 'wrong_key_usage' } });
    expect(await state(p)).toEqual(before);
    const [row] = await refusals(p);
    expect(row.basis).toBe('X-4 refused: signature_invalid (wrong_key_usage)');
  });

  it('X-11 X-9 an action the roles do not allow is journalled as forbidden; bad input is not a refusal to journal; the chain still verifies', async () => {
    setClock(T0);
    const p = await principalOf('operator');
    const before = await state(p);
    const adminOnly = { ...def, action: 'settings.manage' as const };
    expect(await runSignedAction(t.db, p, adminOnly, await payload(p, 'operator', { email: 'op@example.kz' }))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await runSignedAction(t.db, p, def, { input: { email: 'not an e-mail' }, nonceId: 'x', cms: 'x' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await state(p)).toEqual(before);
    const rows = await refusals(p);
    expect(rows.map((r) => (r.after as { code: string }).code)).toEqual(['forbidden']);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('X-4 a successful signed action writes no refusal', async () => {
    setClock(T0);
    const p = await principalOf('not_yet_valid');
    // not_yet_valid signs with a certificate valid only from 2040: refused; then nothing else for this user.
    const r = await runSignedAction(t.db, p, def, await payload(p, 'not_yet_valid', { email: 'later@example.kz' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'signature_invalid', reason: 'not_yet_valid' } });
    expect(await refusals(p)).toHaveLength(1);
    const ok = await principalOf('individual');
    const n0 = (await refusals(ok)).length;
    expect((await runSignedAction(t.db, ok, def, await payload(ok, 'individual', { email: 'fine@example.kz' }))).ok).toBe(true);
    expect(await refusals(ok)).toHaveLength(n0);
  });
});
