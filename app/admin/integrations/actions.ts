'use server';

import { revalidatePath } from 'next/cache';
import { signedAction } from '@/lib/auth/signed-action';
import { createKeyDef, revokeKeyDef } from '@/lib/partner/actions-core';

/** I-INT-1: issue an API key (shown once) — EDS-signed, audited. */
export const createApiKeyAction = signedAction(
  createKeyDef.schema,
  createKeyDef.action,
  async (ctx) => {
    const r = await createKeyDef.fn(ctx);
    revalidatePath('/admin/integrations');
    return r;
  },
  { name: createKeyDef.name },
);

/** I-INT-3: revoke an API key at once — EDS-signed, audited. */
export const revokeApiKeyAction = signedAction(
  revokeKeyDef.schema,
  revokeKeyDef.action,
  async (ctx) => {
    const r = await revokeKeyDef.fn(ctx);
    revalidatePath('/admin/integrations');
    return r;
  },
  { name: revokeKeyDef.name },
);
