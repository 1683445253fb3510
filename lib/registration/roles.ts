/**
 * role grants by an organisation's first head (proven by the SIGN certificate of the stored
 * signature: NCA first-head role and the organisation's BIN), portal roles by an administrator, deactivation.
 * These functions decide who may; the writes themselves (grant rows, session version, audit, the X-8 notice) are
 * the one implementation in lib/auth/users.ts.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { organisations, users } from '@/db/schema';
import { can, ROLES_GRANTABLE_BY_FIRST_HEAD } from '@/lib/auth/policy';
import { insertRoleGrant, revokeRoleGrant, writeDeactivation, type Grant } from '@/lib/auth/users';
import { AppError } from '@/lib/errors';
import { notify, renderTemplate, userLocale } from '@/lib/notify';
import { now } from '@/lib/time/clock';
import { actorSignature, auditActor, parseInput, requireRole, type Actor, type StoredSignature } from './common';

/** Organisation roles a first head may grant (the policy's list). Never portal roles (operator, admin, oversight — X-13). */
export const ORG_ROLES = ROLES_GRANTABLE_BY_FIRST_HEAD;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Portal roles an administrator grants (X-13 oversight is the read-only role of the state control body). */
export const OPERATOR_ROLES = ['operator', 'oversight', 'admin'] as const;

const iin = z.string().regex(/^\d{12}$/, 'iin_12_digits');
export const orgRoleSchema = z.object({ userIin: iin, role: z.string().min(1), orgId: z.uuid() });

type Org = { id: string; bin: string; name: string };

/** the signature must be the actor's SIGN signature with a first-head certificate of this organisation. */
async function assertFirstHead(tx: DbOrTx, actor: Actor, orgId: string, signatureId: string): Promise<{ org: Org; sig: StoredSignature }> {
  const [org] = await tx.select({ id: organisations.id, bin: organisations.bin, name: organisations.name }).from(organisations).where(eq(organisations.id, orgId));
  if (!org) throw new AppError('not_found', 'No such organisation.');
  const sig = await actorSignature(tx, actor, signatureId);
  if (!sig.cert.ncaRoles.includes('first_head')) {
    throw new AppError('forbidden', 'Roles are granted with the EDS of the organisation’s first head (X-12).', { signatureId: 'not_first_head' });
  }
  if (sig.cert.bin !== org.bin) throw new AppError('forbidden', 'The first head’s certificate is of another organisation (BIN).', { signatureId: 'other_bin' });
  return { org, sig };
}

function assertOrgRole(role: string): asserts role is OrgRole {
  if (!(ORG_ROLES as readonly string[]).includes(role)) {
    throw new AppError('forbidden', 'A first head grants only the organisation’s roles (X-13: never operator, admin or oversight).', { role: 'not_grantable' });
  }
}

async function employee(tx: DbOrTx, userIin: string, orgId: string) {
  const [u] = await tx.select().from(users).where(eq(users.iin, userIin));
  if (!u) throw new AppError('not_found', 'No user with this IIN has signed in yet.', { userIin: 'not_found' });
  if (u.orgId !== orgId) throw new AppError('forbidden', 'The user is not an employee of this organisation.', { userIin: 'other_org' });
  return u;
}

async function tell(tx: DbOrTx, userId: string, kind: 'role.granted' | 'role.revoked', role: string, org: Org, at: Date, key: string) {
  const msg = renderTemplate(kind, await userLocale(tx, userId), { role, organisation: org.name, at });
  await notify(tx, { userId, kind, ...msg, link: '/cabinet', entityType: 'user', entityId: userId, idempotencyKey: key });
}

export type { Grant };

/** the first head grants an organisation role to an employee; the grant keeps the signature. Idempotent. */
export async function grantRole(db: DbOrTx, firstHead: Actor, input: z.input<typeof orgRoleSchema>, opts: { signatureId: string }): Promise<Grant> {
  const data = parseInput(orgRoleSchema, input);
  assertOrgRole(data.role);
  return db.transaction(async (tx) => {
    const { org } = await assertFirstHead(tx, firstHead, data.orgId, opts.signatureId);
    const u = await employee(tx, data.userIin, data.orgId);
    const at = now();
    const { grant, created } = await insertRoleGrant(
      tx,
      { userId: u.id, role: data.role, orgId: data.orgId, grantedBy: firstHead.userId, signatureId: opts.signatureId, at },
      { actor: auditActor(firstHead), action: 'role.grant', basis: 'X-12 role granted by the first head', signatureId: opts.signatureId },
    );
    if (created) await tell(tx, u.id, 'role.granted', data.role, org, at, `role.granted:${grant.id}`);
    return grant;
  });
}

/** the first head withdraws a role (the grant row is kept with revoked_at; open sessions end). False when not held. */
export async function withdrawRole(db: DbOrTx, firstHead: Actor, input: z.input<typeof orgRoleSchema>, opts: { signatureId: string }): Promise<boolean> {
  const data = parseInput(orgRoleSchema, input);
  assertOrgRole(data.role);
  return db.transaction(async (tx) => {
    const { org } = await assertFirstHead(tx, firstHead, data.orgId, opts.signatureId);
    const u = await employee(tx, data.userIin, data.orgId);
    const at = now();
    const id = await revokeRoleGrant(
      tx,
      { userId: u.id, role: data.role, orgId: data.orgId, revokedBy: firstHead.userId, at },
      { actor: auditActor(firstHead), action: 'role.withdraw', basis: 'X-12 role withdrawn by the first head', signatureId: opts.signatureId },
    );
    if (!id) return false;
    await tell(tx, u.id, 'role.revoked', data.role, org, at, `role.revoked:${id}`);
    return true;
  });
}

export const operatorRoleSchema = z.object({ userId: z.uuid(), role: z.enum(OPERATOR_ROLES) });

/** Portal roles (operator, oversight — X-13, admin) are granted by an administrator only. */
export async function grantOperatorRole(db: DbOrTx, admin: Actor, input: z.input<typeof operatorRoleSchema>, opts: { signatureId?: string } = {}): Promise<Grant> {
  requireRole(admin, ['admin']);
  const data = parseInput(operatorRoleSchema, input);
  return db.transaction(async (tx) => {
    if (opts.signatureId) await actorSignature(tx, admin, opts.signatureId);
    const { grant } = await insertRoleGrant(
      tx,
      { userId: data.userId, role: data.role, orgId: null, grantedBy: admin.userId, signatureId: opts.signatureId ?? null },
      { actor: auditActor(admin), action: 'role.grant_operator', basis: 'portal role granted by the administrator', signatureId: opts.signatureId ?? null },
    );
    return grant;
  });
}

export const deactivateSchema = z.object({ reason: z.string().trim().min(1).max(2000) });

/** The policy's check for an actor that need not be a full principal. */
function mayManageUsers(a: Actor): boolean {
  return can({ userId: a.userId, iin: a.iin, bin: a.bin, orgId: a.orgId ?? null, fullName: a.fullName ?? '', roles: [...a.roles] }, 'users.manage');
}

/**
 * deactivates an account — never deletes it. Allowed to whom the policy gives 'users.manage' (the
 * administrator), or to the first head of the user's organisation (with a first-head signature). Ends every
 * session (session version) and notifies the user, by e-mail too. Idempotent: a deactivated account stays as it is.
 */
export async function deactivateUser(
  db: DbOrTx,
  actor: Actor,
  userId: string,
  input: z.input<typeof deactivateSchema>,
  opts: { signatureId?: string } = {},
): Promise<{ deactivated: boolean }> {
  const data = parseInput(deactivateSchema, input);
  return db.transaction(async (tx) => {
    const [u] = await tx.select({ orgId: users.orgId }).from(users).where(eq(users.id, userId));
    if (!u) throw new AppError('not_found', 'No such user.');
    if (!mayManageUsers(actor)) {
      if (!opts.signatureId || !u.orgId) throw new AppError('forbidden', 'You do not have the right to do this.');
      await assertFirstHead(tx, actor, u.orgId, opts.signatureId);
    } else if (opts.signatureId) {
      await actorSignature(tx, actor, opts.signatureId);
    }
    return writeDeactivation(tx, userId, data.reason, { actor: auditActor(actor), signatureId: opts.signatureId ?? null });
  });
}
