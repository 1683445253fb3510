import { count, eq, ne } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema/audit';
import { signatures } from '@/db/schema/eds';
import { calendarDays, userRoles, users } from '@/db/schema';
import { issueActionNonce } from '@/lib/auth/action-nonce';
import { loadPrincipal, type Principal } from '@/lib/auth/principal';
import { runSignedAction, SIGNED_ACTION_REFUSED } from '@/lib/auth/signed-action';
import { canonicalJson } from '@/lib/canonical';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { addCalendarDayDef, removeCalendarDayDef, updateCalendarDayDef } from './calendar-signed';

const t = useTestDb();
let pki: TestPki;
const T0 = new Date('2031-02-03T05:00:00Z');
const savedMode = process.env.EDS_TEST_MODE;

/** The user of a demo key, with the given portal roles. */
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

async function counts() {
  const [d] = await t.db.select({ n: count() }).from(calendarDays);
  // A refusal's own journal row aside.
  const [a] = await t.db.select({ n: count() }).from(auditLog).where(ne(auditLog.action, SIGNED_ACTION_REFUSED));
  const [s] = await t.db.select({ n: count() }).from(signatures);
  return { days: d.n, audits: a.n, signatures: s.n };
}

let operator: Principal;
let individual: Principal;

beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
  pki = await ensureTestPki(t.db);
  operator = await principalOf('operator', ['operator']);
  individual = await principalOf('individual', []);
});
afterAll(() => {
  process.env.EDS_TEST_MODE = savedMode;
  resetEnvCache();
});
afterEach(() => setClock(null));

describe('signed calendar edits', () => {
  it('X-4 X-2 X-9 an operator adds, edits and removes a day, each signed; every calendar audit row carries its signature', async () => {
    setClock(T0);
    const day = { date: '2031-03-14', kind: 'holiday', name: 'Сынақ мерекесі', reason: 'Қаулы №1', preliminary: false };
    const add = await runSignedAction(t.db, operator, addCalendarDayDef, await signed(operator, 'operator', addCalendarDayDef, day));
    expect(add).toEqual({ ok: true, data: { date: '2031-03-14', moved: [] } });

    const edited = { ...day, name: 'Өзгертілді', reason: 'Қаулы №2' };
    const upd = await runSignedAction(t.db, operator, updateCalendarDayDef, await signed(operator, 'operator', updateCalendarDayDef, edited));
    expect(upd.ok).toBe(true);
    const [row] = await t.db.select().from(calendarDays).where(eq(calendarDays.date, '2031-03-14'));
    expect(row).toMatchObject({ name: 'Өзгертілді', reason: 'Қаулы №2', updatedBy: operator.userId });

    const rm = { date: '2031-03-14', reason: 'Қате енгізілген' };
    const del = await runSignedAction(t.db, operator, removeCalendarDayDef, await signed(operator, 'operator', removeCalendarDayDef, rm));
    expect(del.ok).toBe(true);
    expect(await t.db.select().from(calendarDays).where(eq(calendarDays.date, '2031-03-14'))).toHaveLength(0);

    const journal = await t.db.select().from(auditLog).where(eq(auditLog.entityType, 'calendar_day')).orderBy(auditLog.seq);
    expect(journal.map((a) => [a.action, a.basis])).toEqual([
      ['calendar.day.add', 'Қаулы №1'],
      ['calendar.day.update', 'Қаулы №2'],
      ['calendar.day.remove', 'Қате енгізілген'],
    ]);
    const sigs = await t.db.select().from(signatures).where(eq(signatures.signerIin, operator.iin));
    const subjectOf = new Map(sigs.map((s) => [s.id, s.subject]));
    // Each calendar row points at the signature made for exactly that action.
    expect(journal.map((a) => (a.signatureId ? subjectOf.get(a.signatureId) : null))).toEqual(['calendar.add', 'calendar.update', 'calendar.remove']);
    expect(journal.every((a) => a.actorUserId === operator.userId)).toBe(true);
  });

  it('X-4 an unsigned calendar change is refused and writes nothing', async () => {
    setClock(T0);
    const before = await counts();
    const day = { date: '2031-04-01', kind: 'holiday', name: 'Без подписи', reason: 'нет', preliminary: false };
    const r = await runSignedAction(t.db, operator, addCalendarDayDef, { input: day, nonceId: '', cms: '' });
    expect(r).toMatchObject({ ok: false, error: { code: 'signature_required' } });
    expect(await counts()).toEqual(before);
  });

  it('X-11 a signed-in user without the operator role cannot change the calendar even with a valid signature', async () => {
    setClock(T0);
    const before = await counts();
    const day = { date: '2031-04-02', kind: 'holiday', name: 'Чужой', reason: 'нет', preliminary: false };
    const r = await runSignedAction(t.db, individual, addCalendarDayDef, await signed(individual, 'individual', addCalendarDayDef, day));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await counts()).toEqual(before);
  });

  it('X-4 a failed write (duplicate day) rolls back the signature and its audit row with it', async () => {
    setClock(T0);
    const day = { date: '2031-05-05', kind: 'holiday', name: 'Бір', reason: 'Қаулы', preliminary: false };
    expect((await runSignedAction(t.db, operator, addCalendarDayDef, await signed(operator, 'operator', addCalendarDayDef, day))).ok).toBe(true);
    const before = await counts();
    const again = await runSignedAction(t.db, operator, addCalendarDayDef, await signed(operator, 'operator', addCalendarDayDef, { ...day, name: 'Екі' }));
    expect(again).toMatchObject({ ok: false, error: { code: 'calendar_day_exists' } });
    expect(await counts()).toEqual(before);
  });
});
