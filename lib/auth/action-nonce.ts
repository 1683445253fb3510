import crypto from 'node:crypto';
import { and, eq, gt, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { actionNonces } from '@/db/schema/actions';
import { now } from '@/lib/time/clock';

/**
 * the nonce a signed action's signature covers. 32 random bytes, 5 minutes, bound to one user and one
 * action name, consumed exactly once — so a captured signature cannot be replayed, used by someone else, or
 * reused for a different action.
 */

export const ACTION_NONCE_TTL_MS = 5 * 60 * 1000;

/** A signed action's name: the policy action or a more specific name (e.g. 'calendar.add'). */
export const ACTION_NAME = /^[a-z][a-z0-9_.-]{0,79}$/;

export type IssuedActionNonce = { nonceId: string; nonce: string /* base64 */; expiresAt: Date };

export type ActionNonceFailure = 'nonce_invalid' | 'nonce_replayed' | 'nonce_expired';

export class ActionNonceError extends Error {
  constructor(readonly code: ActionNonceFailure, message: string) {
    super(message);
    this.name = 'ActionNonceError';
  }
}

export async function issueActionNonce(db: DbOrTx, userId: string, actionName: string): Promise<IssuedActionNonce> {
  if (!ACTION_NAME.test(actionName)) throw new Error(`issueActionNonce: invalid action name ${JSON.stringify(actionName)}`);
  const createdAt = now();
  const expiresAt = new Date(createdAt.getTime() + ACTION_NONCE_TTL_MS);
  const nonce = crypto.randomBytes(32).toString('base64');
  const [row] = await db
    .insert(actionNonces)
    .values({ userId, action: actionName, nonce, createdAt, expiresAt })
    .returning({ id: actionNonces.id });
  return { nonceId: row.id, nonce, expiresAt };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Consumes the nonce once and returns its value (base64) — the value the signed content must contain.
 * One conditional UPDATE, so two concurrent requests cannot both succeed. Another user's or another action's
 * nonce is refused as 'nonce_invalid' and is NOT consumed (its owner may still use it).
 */
export async function consumeActionNonce(db: DbOrTx, nonceId: string, userId: string, actionName: string): Promise<string> {
  const unknown = () => new ActionNonceError('nonce_invalid', 'The confirmation request is not valid for this action. Please sign again.');
  if (!UUID.test(nonceId)) throw unknown();
  const at = now();
  const [row] = await db
    .update(actionNonces)
    .set({ usedAt: at })
    .where(
      and(
        eq(actionNonces.id, nonceId),
        eq(actionNonces.userId, userId),
        eq(actionNonces.action, actionName),
        isNull(actionNonces.usedAt),
        gt(actionNonces.expiresAt, at),
      ),
    )
    .returning({ nonce: actionNonces.nonce });
  if (row) return row.nonce;

  const [n] = await db.select().from(actionNonces).where(eq(actionNonces.id, nonceId));
  if (!n || n.userId !== userId || n.action !== actionName) throw unknown();
  if (n.usedAt) throw new ActionNonceError('nonce_replayed', 'This confirmation has already been used. Please sign again.');
  throw new ActionNonceError('nonce_expired', 'The confirmation request has expired (5 minutes). Please sign again.');
}

/** Housekeeping: drop nonces that expired or were used more than a day ago. */
export async function purgeActionNonces(db: DbOrTx): Promise<number> {
  const cutoff = new Date(now().getTime() - 24 * 60 * 60 * 1000);
  const rows = await db
    .delete(actionNonces)
    .where(or(lt(actionNonces.expiresAt, cutoff), and(isNotNull(actionNonces.usedAt), lt(actionNonces.usedAt, cutoff))))
    .returning({ id: actionNonces.id });
  return rows.length;
}
