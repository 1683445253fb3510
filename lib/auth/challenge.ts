import crypto from 'node:crypto';
import { and, eq, isNull, gt, lt, or, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { authChallenges } from '@/db/schema/identity';
import { now } from '@/lib/time/clock';

/**
 * the sign-in challenge. The server issues 32 random bytes that live 5 minutes and belong to one browser:
 * the browser holds a random binding id in an HttpOnly, SameSite=Strict cookie and the challenge row stores its
 * SHA-256. The AUTH key signs the nonce; the server consumes the challenge exactly once.
 */

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
export const BINDING_COOKIE = 'bt_eds_binding';

export type IssuedChallenge = { id: string; nonce: string /* base64 */; expiresAt: Date };

export type ChallengeFailure = 'challenge_unknown' | 'challenge_used' | 'challenge_expired' | 'challenge_wrong_browser';

export class ChallengeError extends Error {
  constructor(readonly code: ChallengeFailure, message: string) {
    super(message);
    this.name = 'ChallengeError';
  }
}

/** A fresh random binding id for the browser cookie. */
export function newBindingId(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashBinding(bindingId: string): string {
  return crypto.createHash('sha256').update(bindingId, 'utf8').digest('hex');
}

export async function issueChallenge(db: DbOrTx, bindingId: string): Promise<IssuedChallenge> {
  if (!bindingId) throw new Error('issueChallenge: a browser binding id is required');
  const createdAt = now();
  const expiresAt = new Date(createdAt.getTime() + CHALLENGE_TTL_MS);
  const nonce = crypto.randomBytes(32).toString('base64');
  const [row] = await db
    .insert(authChallenges)
    .values({ nonce, browserBinding: hashBinding(bindingId), createdAt, expiresAt })
    .returning({ id: authChallenges.id });
  return { id: row.id, nonce, expiresAt };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Consumes the challenge once and returns the nonce bytes that must have been signed. A second use, an expired
 * challenge or one issued to another browser is refused with its own code. Consumption is a single conditional
 * UPDATE, so two concurrent requests cannot both succeed.
 */
export async function consumeChallenge(db: DbOrTx, challengeId: string, bindingId: string | null | undefined): Promise<Uint8Array> {
  if (!UUID.test(challengeId)) throw new ChallengeError('challenge_unknown', 'The sign-in request is not known. Please try again.');
  const at = now();
  const binding = bindingId ? hashBinding(bindingId) : '';
  const [row] = await db
    .update(authChallenges)
    .set({ usedAt: at })
    .where(
      and(
        eq(authChallenges.id, challengeId),
        isNull(authChallenges.usedAt),
        gt(authChallenges.expiresAt, at),
        eq(authChallenges.browserBinding, binding),
      ),
    )
    .returning({ nonce: authChallenges.nonce });
  if (row) return new Uint8Array(Buffer.from(row.nonce, 'base64'));

  // Say why, for the message and the audit journal.
  const [c] = await db.select().from(authChallenges).where(eq(authChallenges.id, challengeId));
  if (!c) throw new ChallengeError('challenge_unknown', 'The sign-in request is not known. Please try again.');
  if (c.usedAt) throw new ChallengeError('challenge_used', 'This sign-in request has already been used. Please try again.');
  if (c.expiresAt.getTime() <= at.getTime())
    throw new ChallengeError('challenge_expired', 'The sign-in request has expired (5 minutes). Please try again.');
  throw new ChallengeError('challenge_wrong_browser', 'The sign-in request was issued to another browser. Please try again.');
}

/** Housekeeping: drop challenges that expired or were used more than a day ago. */
export async function purgeChallenges(db: DbOrTx): Promise<number> {
  const cutoff = new Date(now().getTime() - 24 * 60 * 60 * 1000);
  const rows = await db
    .delete(authChallenges)
    .where(or(lt(authChallenges.expiresAt, cutoff), and(isNotNull(authChallenges.usedAt), lt(authChallenges.usedAt, cutoff))))
    .returning({ id: authChallenges.id });
  return rows.length;
}
