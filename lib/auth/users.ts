import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { userRoles, users } from '@/db/schema/identity';
import { appendAudit } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';
import { assertCan, ROLES, ROLES_GRANTABLE_BY_FIRST_HEAD, toAuditActor, type Role } from './policy';
import type { Principal } from './principal';

/** Portal-wide roles that only an administrator grants. */
const PORTAL_ROLES: readonly Role[] = ['operator', 'admin', 'oversight'];

function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

/**
 * deactivates an account (never deletes it). The session version is bumped in the same statement, so every
 * open session of the user is refused on its next request.
 */
export async function deactivateUser(db: DbOrTx, actor: Principal, userId: string, basis: string, signatureId?: string | null): Promise<void> {
  assertCan(actor, 'users.manage');
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ status: users.status, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, userId));
    if (!before) throw new AppError('not_found', 'No such user.');
    if (before.status === 'deactivated') return;
    await tx
      .update(users)
      .set({ status: 'deactivated', deactivatedAt: now(), sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    await appendAudit(tx, {
      actor: toAuditActor(actor),
      action: 'user.deactivate',
      entityType: 'user',
      entityId: userId,
      basis,
      before: { status: before.status },
      after: { status: 'deactivated' },
      signatureId: signatureId ?? null,
    });
  });
}

/** Ends every open session of a user without deactivating the account (e.g. after a key compromise). */
export async function endSessions(db: DbOrTx, userId: string): Promise<void> {
  await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId));
}

export type RoleGrant = { userId: string; role: string; orgId: string | null; signatureId?: string | null; basis?: string };

/** May this actor grant / withdraw this role? Portal roles: admin; organisation roles: the org's first head. */
function assertMayManage(actor: Principal, role: string, orgId: string | null): asserts role is Role {
  if (!isRole(role)) throw new AppError('validation_failed', 'Unknown role.', { role: 'Unknown role.' });
  if (PORTAL_ROLES.includes(role)) {
    assertCan(actor, 'users.manage');
    return;
  }
  if (!orgId) throw new AppError('validation_failed', 'An organisation role needs the organisation.', { orgId: 'Required.' });
  if (isAdmin(actor)) return;
  assertCan(actor, 'org.roles.manage', { orgId });
  if (!ROLES_GRANTABLE_BY_FIRST_HEAD.includes(role)) throw new AppError('forbidden', 'A first head cannot grant this role.');
}

function isAdmin(p: Principal): boolean {
  return p.roles.includes('admin');
}

/** grants a role (idempotent: an already active grant is kept). Returns the grant's id. */
export async function grantRole(db: DbOrTx, actor: Principal, g: RoleGrant): Promise<string> {
  assertMayManage(actor, g.role, g.orgId);
  return db.transaction(async (tx) => {
    const [target] = await tx.select({ orgId: users.orgId, status: users.status }).from(users).where(eq(users.id, g.userId));
    if (!target) throw new AppError('not_found', 'No such user.');
    if (target.status !== 'active') throw new AppError('conflict', 'The account is deactivated.');
    if (g.orgId && target.orgId !== g.orgId && !isAdmin(actor)) {
      throw new AppError('forbidden', 'The user is not an employee of this organisation.');
    }
    const [row] = await tx
      .insert(userRoles)
      .values({ userId: g.userId, role: g.role, orgId: g.orgId, grantedBy: actor.userId, grantedAt: now(), signatureId: g.signatureId ?? null })
      .onConflictDoNothing()
      .returning({ id: userRoles.id });
    if (!row) {
      const [existing] = await tx
        .select({ id: userRoles.id })
        .from(userRoles)
        .where(
          and(
            eq(userRoles.userId, g.userId),
            eq(userRoles.role, g.role),
            g.orgId ? eq(userRoles.orgId, g.orgId) : isNull(userRoles.orgId),
            isNull(userRoles.revokedAt),
          ),
        );
      return existing.id;
    }
    await appendAudit(tx, {
      actor: toAuditActor(actor),
      action: 'user.role_grant',
      entityType: 'user',
      entityId: g.userId,
      basis: g.basis ?? 'X-12 role granted',
      before: null,
      after: { role: g.role, orgId: g.orgId },
      signatureId: g.signatureId ?? null,
    });
    return row.id;
  });
}

/** withdraws an active role (the row is kept with revoked_at). */
export async function revokeRole(db: DbOrTx, actor: Principal, g: RoleGrant): Promise<boolean> {
  assertMayManage(actor, g.role, g.orgId);
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(userRoles)
      .set({ revokedAt: now(), revokedBy: actor.userId })
      .where(
        and(
          eq(userRoles.userId, g.userId),
          eq(userRoles.role, g.role),
          g.orgId ? eq(userRoles.orgId, g.orgId) : isNull(userRoles.orgId),
          isNull(userRoles.revokedAt),
        ),
      )
      .returning({ id: userRoles.id });
    if (rows.length === 0) return false;
    await appendAudit(tx, {
      actor: toAuditActor(actor),
      action: 'user.role_revoke',
      entityType: 'user',
      entityId: g.userId,
      basis: g.basis ?? 'X-12 role withdrawn',
      before: { role: g.role, orgId: g.orgId },
      after: null,
      signatureId: g.signatureId ?? null,
    });
    return true;
  });
}
