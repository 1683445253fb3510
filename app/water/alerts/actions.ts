'use server';

import { signedActionOf } from '@/lib/auth/signed-action';
import { acknowledgeAlertDef, clearAlertDef } from '@/lib/water/monitoring/signed';

type Def = typeof acknowledgeAlertDef;

/** The domain change, then the water pages re-render with the new state. */
function withRefresh(def: Def) {
  return async (ctx: Parameters<Def['fn']>[0]) => {
    const out = await def.fn(ctx);
    const { revalidatePath } = await import('next/cache');
    revalidatePath('/water', 'layout');
    return out;
  };
}

/** W-27 / X-4 / X-9: acknowledge an alert in the user's scope, signed with the SIGN key and audited. */
export const acknowledgeAlertAction = signedActionOf({ ...acknowledgeAlertDef, fn: withRefresh(acknowledgeAlertDef) });

/** W-27 / X-4 / X-9: clear an alert by hand (the condition was dealt with), signed and audited. */
export const clearAlertAction = signedActionOf({ ...clearAlertDef, fn: withRefresh(clearAlertDef) });
