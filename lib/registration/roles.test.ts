import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifications, userRoles, users } from '@/db/schema';
import { loadPrincipal } from '@/lib/auth/principal';
import type { TestPki } from '@/lib/eds/test-pki';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import * as registration from './index';
import { deactivateUser, grantOperatorRole, grantRole, withdrawRole } from './index';
import { pkiOf, signAs, userOf, type TestActor } from './test-fixtures';

const t = useTestDb();
let pki: TestPki;
let head: TestActor;
let emp: TestActor;

beforeAll(async () => {
  setClock(new Date('2026-04-10T05:00:00Z'));
  pki = await pkiOf(t.db);
  head = await userOf(t.db, pki, 'first_head', ['first_head']);
  emp = await userOf(t.db, pki, 'employee');
}, 300_000);

describe('X-12 roles from the first head', () => {
  it('X-12 the first head (NCA first-head certificate, same BIN) grants a role; the grant stores the signature and the employee is notified', async () => {
    const sig = await signAs(t.db, pki, 'first_head', 'role.grant');
    const g = await grantRole(t.db, head, { userIin: emp.iin, role: 'expert', orgId: head.orgId! }, { signatureId: sig });
    expect(g).toMatchObject({ userId: emp.userId, role: 'expert', orgId: head.orgId, signatureId: sig, grantedBy: head.userId, revokedAt: null });
    const ns = await t.db.select().from(notifications).where(and(eq(notifications.userId, emp.userId), eq(notifications.kind, 'role.granted')));
    expect(ns).toHaveLength(1);
  });

  it('X-12 a person with signing rights of the same BIN, or a first head of another BIN, cannot grant roles', async () => {
    const sr = await userOf(t.db, pki, 'signing_rights', ['first_head']); // even with the portal role, the certificate decides
    await expect(
      grantRole(t.db, sr, { userIin: emp.iin, role: 'employee', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'signing_rights', 'g') }),
    ).rejects.toMatchObject({ code: 'forbidden', fields: { signatureId: 'not_first_head' } });
    const other = await userOf(t.db, pki, 'expert_head');
    await expect(
      grantRole(t.db, other, { userIin: emp.iin, role: 'employee', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'expert_head', 'g') }),
    ).rejects.toMatchObject({ code: 'forbidden', fields: { signatureId: 'other_bin' } });
    // Someone else's signature, or the AUTH key, does not count.
    await expect(
      grantRole(t.db, head, { userIin: emp.iin, role: 'employee', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'employee', 'g') }),
    ).rejects.toMatchObject({ code: 'signature_invalid' });
    await expect(
      grantRole(t.db, head, { userIin: emp.iin, role: 'employee', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'first_head', 'g', 'auth') }),
    ).rejects.toMatchObject({ code: 'signature_invalid' });
    // An employee of another organisation cannot be given this organisation's role.
    const ind = await userOf(t.db, pki, 'individual');
    await expect(
      grantRole(t.db, head, { userIin: ind.iin, role: 'employee', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'first_head', 'g') }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const active = await t.db.select().from(userRoles).where(and(eq(userRoles.userId, emp.userId), eq(userRoles.role, 'employee')));
    expect(active).toEqual([]);
  });

  it('X-12 withdrawing keeps the grant row, ends open sessions and notifies', async () => {
    const [before] = await t.db.select().from(users).where(eq(users.id, emp.userId));
    expect(await withdrawRole(t.db, head, { userIin: emp.iin, role: 'expert', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'first_head', 'w') })).toBe(true);
    const rows = await t.db.select().from(userRoles).where(and(eq(userRoles.userId, emp.userId), eq(userRoles.role, 'expert')));
    expect(rows).toHaveLength(1);
    expect(rows[0].revokedAt).not.toBeNull();
    const [after] = await t.db.select().from(users).where(eq(users.id, emp.userId));
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await withdrawRole(t.db, head, { userIin: emp.iin, role: 'expert', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'first_head', 'w') })).toBe(false);
  });
});

describe('X-13 portal roles', () => {
  it('X-13 a first head cannot grant oversight, operator or admin; an administrator grants oversight', async () => {
    for (const role of ['oversight', 'operator', 'admin']) {
      await expect(
        grantRole(t.db, head, { userIin: emp.iin, role, orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'first_head', 'g') }),
      ).rejects.toMatchObject({ code: 'forbidden', fields: { role: 'not_grantable' } });
    }
    await expect(grantOperatorRole(t.db, head, { userId: emp.userId, role: 'oversight' })).rejects.toMatchObject({ code: 'forbidden' });
    const admin = await userOf(t.db, pki, 'operator', ['admin']);
    const g = await grantOperatorRole(t.db, admin, { userId: emp.userId, role: 'oversight' });
    expect(g).toMatchObject({ role: 'oversight', orgId: null, grantedBy: admin.userId });
  });
});

describe('X-8 deactivation', () => {
  it('X-8 accounts are deactivated, not deleted: the status changes, the session version bumps, the user is notified', async () => {
    expect(Object.keys(registration).filter((k) => /delete|remove/i.test(k))).toEqual([]);
    const [before] = await t.db.select().from(users).where(eq(users.id, emp.userId));
    expect(await loadPrincipal(t.db, emp.userId, before.sessionVersion)).not.toBeNull();
    // A first head without a first-head signature may not; with one, may (for the own organisation's employee).
    await expect(deactivateUser(t.db, head, emp.userId, { reason: 'Left the company' })).rejects.toMatchObject({ code: 'forbidden' });
    const r = await deactivateUser(t.db, head, emp.userId, { reason: 'Left the company' }, { signatureId: await signAs(t.db, pki, 'first_head', 'deactivate') });
    expect(r).toEqual({ deactivated: true });
    const [after] = await t.db.select().from(users).where(eq(users.id, emp.userId));
    expect(after).toMatchObject({ status: 'deactivated', sessionVersion: before.sessionVersion + 1 });
    expect(after.deactivatedAt).not.toBeNull();
    expect(await loadPrincipal(t.db, emp.userId, before.sessionVersion)).toBeNull();
    const ns = await t.db.select().from(notifications).where(and(eq(notifications.userId, emp.userId), eq(notifications.kind, 'account.deactivated')));
    expect(ns).toHaveLength(1);
    expect(await deactivateUser(t.db, head, emp.userId, { reason: 'again' }, { signatureId: await signAs(t.db, pki, 'first_head', 'deactivate') })).toEqual({ deactivated: false });
    // Grants to a deactivated account are refused.
    await expect(
      grantRole(t.db, head, { userIin: emp.iin, role: 'employee', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'first_head', 'g') }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});
