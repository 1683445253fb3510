import type { Principal } from '@/lib/auth/principal';
import { requirePermission, type Action } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';

export type Access = { ok: true; principal: Principal } | { ok: false; reason: 'unauthenticated' | 'forbidden' };

/**
 * Server-side authorisation for pages: the principal when allowed, otherwise why not, so that the page
 * can show "sign in as an operator" or "no access" instead of failing with a 500.
 */
export async function checkAccess(action: Action): Promise<Access> {
  try {
    return { ok: true, principal: await requirePermission(action) };
  } catch (e) {
    if (e instanceof AppError) {
      if (e.code === 'unauthenticated') return { ok: false, reason: 'unauthenticated' };
      if (e.code === 'forbidden') return { ok: false, reason: 'forbidden' };
    }
    throw e;
  }
}
