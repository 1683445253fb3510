import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '@/db/schema/identity';
import { deactivateUser } from '@/lib/registration/roles';
import { useTestDb } from '@/lib/testing/db';
import { principalFromToken, type Principal } from './principal';
import { endSessions } from './users';

const t = useTestDb();

// The Auth.js jwt callback (lib/auth/auth.ts) passes every request's token through principalFromToken and drops
// the session when it returns null.
describe('session token against the database', () => {
  it('X-8 an open session is honoured while the account is active and refused at once after deactivation', async () => {
    const [u] = await t.db.insert(users).values({ iin: '900101300011', fullName: 'ТЕСТОВ ТЕСТ' }).returning();
    const [a] = await t.db.insert(users).values({ iin: '900101300022', fullName: 'АДМИН' }).returning();
    const admin: Principal = { userId: a.id, iin: a.iin, bin: null, orgId: null, fullName: a.fullName, roles: ['admin'] };
    const token = { uid: u.id, sv: u.sessionVersion, name: 'ТЕСТОВ ТЕСТ' };

    expect(await principalFromToken(t.db, token)).toMatchObject({ userId: u.id, iin: u.iin, roles: [] });
    await deactivateUser(t.db, admin, u.id, { reason: 'powers ended' });
    expect(await principalFromToken(t.db, token)).toBeNull();
    // Deactivation does not delete the account.
    const [row] = await t.db.select().from(users).where(eq(users.id, u.id));
    expect(row.status).toBe('deactivated');
    expect(row.deactivatedAt).not.toBeNull();
  });

  it('X-8 ending a user’s sessions refuses tokens issued before, and a new token works', async () => {
    const [u] = await t.db.insert(users).values({ iin: '900101300033', fullName: 'ЕКІНШІ' }).returning();
    const old = { uid: u.id, sv: u.sessionVersion };
    await endSessions(t.db, u.id);
    expect(await principalFromToken(t.db, old)).toBeNull();
    expect(await principalFromToken(t.db, { uid: u.id, sv: u.sessionVersion + 1 })).toMatchObject({ userId: u.id });
  });

  it('X-3 a token without a user id or version, or with an unknown user, is no session', async () => {
    expect(await principalFromToken(t.db, { name: 'forged' })).toBeNull();
    expect(await principalFromToken(t.db, { uid: '00000000-0000-4000-8000-000000000000', sv: 1 })).toBeNull();
    expect(await principalFromToken(t.db, { uid: 'not-a-uuid', sv: 1 })).toBeNull();
    expect(await principalFromToken(t.db, null)).toBeNull();
  });

  it('X-8 only an administrator may deactivate an account', async () => {
    const [u] = await t.db.insert(users).values({ iin: '900101300044', fullName: 'ҮШІНШІ' }).returning();
    const operator: Principal = { userId: u.id, iin: u.iin, bin: null, orgId: null, fullName: 'OP', roles: ['operator', 'oversight'] };
    await expect(deactivateUser(t.db, operator, u.id, { reason: 'try' })).rejects.toMatchObject({ code: 'forbidden' });
    const [row] = await t.db.select().from(users).where(eq(users.id, u.id));
    expect(row.status).toBe('active');
  });
});
