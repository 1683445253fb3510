import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { users } from '@/db/schema/identity';
import { appendAudit } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { toAuditActor } from './policy';
import type { Principal } from './principal';
import { PROFILE_UPDATE_ACTION, profileEmailSchema } from './profile-schema';

export { PROFILE_UPDATE_ACTION, profileEmailSchema, type ProfileEmailInput } from './profile-schema';

/**
 * the user sets their own contact e-mail (where notification copies go). Only the principal's own row is
 * written; the audit row records before/after and the signature that confirmed it.
 */
export async function updateContactEmail(
  tx: DbOrTx,
  principal: Principal,
  input: z.output<typeof profileEmailSchema>,
  ctx: { signatureId: string; requestId?: string | null },
): Promise<{ email: string | null }> {
  const email = input.email === '' ? null : input.email.trim().toLowerCase();
  const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, principal.userId)).for('update');
  if (!before) throw new AppError('not_found', 'The account was not found.');
  await tx.update(users).set({ email }).where(eq(users.id, principal.userId));
  await appendAudit(tx, {
    actor: toAuditActor(principal),
    action: PROFILE_UPDATE_ACTION,
    entityType: 'user',
    entityId: principal.userId,
    before: { email: before.email },
    after: { email },
    signatureId: ctx.signatureId,
    requestId: ctx.requestId ?? null,
  });
  return { email };
}
