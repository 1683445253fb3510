'use server';

import { getDb } from '@/db/client';
import { enforceRateLimit } from '@/lib/http/rate-limit';
import { ACTION_NAME, issueActionNonce } from './action-nonce';
import { PROFILE_UPDATE_ACTION, profileEmailSchema, updateContactEmail } from './profile';
import { signedAction, type SignedActionResult } from './signed-action';

export type ActionNonce = { nonceId: string; nonce: string };

/**
 * a fresh nonce for one signed action of the signed-in user (what <SignButton> asks for before signing).
 * Lightly rate-limited: 60 a minute per user is far above what a person clicks.
 */
export async function requestActionNonce(actionName: string): Promise<SignedActionResult<ActionNonce>> {
  const { getPrincipal } = await import('./principal');
  const p = await getPrincipal();
  if (!p) return { ok: false, error: { code: 'unauthenticated', message: 'Please sign in with your EDS.' } };
  if (typeof actionName !== 'string' || !ACTION_NAME.test(actionName)) {
    return { ok: false, error: { code: 'bad_request', message: 'Unknown action.' } };
  }
  try {
    await enforceRateLimit(`action-nonce:${p.userId}`, { limit: 60, windowSeconds: 60 });
  } catch {
    return { ok: false, error: { code: 'rate_limited', message: 'Too many requests. Try again later.' } };
  }
  const n = await issueActionNonce(getDb(), p.userId, actionName);
  return { ok: true, data: { nonceId: n.nonceId, nonce: n.nonce } };
}

/** the cabinet's contact e-mail change, confirmed with the user's SIGN key. */
export const updateProfileEmailAction = signedAction(
  profileEmailSchema,
  'cabinet.access',
  async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await updateContactEmail(tx, principal, input, { signatureId, requestId });
    const { revalidatePath } = await import('next/cache');
    revalidatePath('/cabinet');
    return r;
  },
  { name: PROFILE_UPDATE_ACTION },
);
