'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { verifyAuditChain, type AuditBreak } from '@/lib/audit';
import { requirePermission } from '@/lib/auth/policy';
import { runAction, type ActionResult } from '@/lib/actions';

export type ChainCheck = { ok: boolean; checked: number; broken: AuditBreak[] };

/** verify the audit journal's hash chain (admin "verify the chain" button). */
export async function verifyAuditChainAction(): Promise<ActionResult<ChainCheck>> {
  return runAction(z.object({}), {}, async () => {
    await requirePermission('audit.read');
    const r = await verifyAuditChain(getDb());
    return { ok: r.ok, checked: r.checked, broken: r.broken };
  });
}
