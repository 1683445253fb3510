import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { userRoles, users } from '@/db/schema/identity';
import { appendAudit, type AuditActor } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { notify, renderTemplate, userLocale } from '@/lib/notify';
import { now } from '@/lib/time/clock';

/**
 * The low-level writes on accounts and role grants: the one place that inserts / revokes user_roles
 * rows and deactivates users. They do NOT authorise: the public functions in lib/registration/roles.ts (first-head
 * certificate check, administrator check through the policy) decide who may, then call these inside their
 * transaction. Each write carries its audit row with the signature it rests on.
 */

export type Grant = typeof userRoles.$inferSelect;

type Audit = { actor: AuditActor; action: string; basis: string; signatureId?: string | null };

/** The active grant of (user, role, organisation) — organisation null for portal roles. */
function activeGrant(userId: string, role: string, orgId: string | null) {
  return and(eq(userRoles.userId, userId), eq(userRoles.role, role), orgId ? eq(userRoles.orgId, orgId) : isNull(userRoles.orgId), isNull(userRoles.revokedAt));
}

/** Ends every open session of a user without deactivating the account (e.g. after a key compromise). */
export async function endSessions(db: DbOrTx, userId: string): Promise<void> {
  await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId));
}

/**
 * Writes a role grant (idempotent: an active grant of the same role in the same organisation is returned as it is,
 * `created: false`, with no new audit row). Refuses a deactivated account ('conflict').
 */
export async function insertRoleGrant(
  db: DbOrTx,
  g: { userId: string; role: string; orgId: string | null; grantedBy: string | null; signatureId?: string | null; at?: Date },
  audit: Audit,
): Promise<{ grant: Grant; created: boolean }> {
  return db.transaction(async (tx) => {
    const [u] = await tx.select({ status: users.status }).from(users).where(eq(users.id, g.userId));
    if (!u) throw new AppError('not_found', 'No such user.');
    if (u.status !== 'active') throw new AppError('conflict', 'The account is deactivated.');
    const [row] = await tx
      .insert(userRoles)
      .values({ userId: g.userId, role: g.role, orgId: g.orgId, grantedBy: g.grantedBy, grantedAt: g.at ?? now(), signatureId: g.signatureId ?? null })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(userRoles).where(activeGrant(g.userId, g.role, g.orgId));
      return { grant: existing, created: false };
    }
    await appendAudit(tx, {
      actor: audit.actor,
      action: audit.action,
      entityType: 'user',
      entityId: g.userId,
      basis: audit.basis,
      before: null,
      after: { role: g.role, orgId: g.orgId },
      signatureId: audit.signatureId ?? g.signatureId ?? null,
    });
    return { grant: row, created: true };
  });
}

/**
 * Withdraws an active grant (the row is kept with revoked_at) and bumps the user's session version, so that the
 * change reaches open sessions at once. Returns the withdrawn grant's id, or null when the role was not held.
 */
export async function revokeRoleGrant(
  db: DbOrTx,
  g: { userId: string; role: string; orgId: string | null; revokedBy: string | null; at?: Date },
  audit: Audit,
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(userRoles)
      .set({ revokedAt: g.at ?? now(), revokedBy: g.revokedBy })
      .where(activeGrant(g.userId, g.role, g.orgId))
      .returning({ id: userRoles.id });
    if (!rows.length) return null;
    await endSessions(tx, g.userId);
    await appendAudit(tx, {
      actor: audit.actor,
      action: audit.action,
      entityType: 'user',
      entityId: g.userId,
      basis: audit.basis,
      before: { role: g.role, orgId: g.orgId },
      after: null,
      signatureId: audit.signatureId ?? null,
    });
    return rows[0].id;
  });
}

/**
 * deactivates an account — never deletes it. In one transaction: the status, the session version (every open
 * session is refused on its next request), the audit row and the notification to the user (in the cabinet and by
 * e-mail). Idempotent: a deactivated account stays as it is (`deactivated: false`, nothing written).
 */
export async function writeDeactivation(
  db: DbOrTx,
  userId: string,
  reason: string,
  audit: { actor: AuditActor; signatureId?: string | null },
): Promise<{ deactivated: boolean }> {
  return db.transaction(async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!u) throw new AppError('not_found', 'No such user.');
    if (u.status === 'deactivated') return { deactivated: false };
    const at = now();
    await tx
      .update(users)
      .set({ status: 'deactivated', deactivatedAt: at, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    await appendAudit(tx, {
      actor: audit.actor,
      action: 'user.deactivate',
      entityType: 'user',
      entityId: userId,
      basis: `X-8 ${reason}`,
      before: { status: u.status, sessionVersion: u.sessionVersion },
      after: { status: 'deactivated', sessionVersion: u.sessionVersion + 1 },
      signatureId: audit.signatureId ?? null,
    });
    const msg = renderTemplate('account.deactivated', await userLocale(tx, userId), { at, reason });
    await notify(tx, {
      userId,
      kind: 'account.deactivated',
      ...msg,
      email: true,
      entityType: 'user',
      entityId: userId,
      idempotencyKey: `account.deactivated:${userId}:${at.toISOString()}`,
    });
    return { deactivated: true };
  });
}
