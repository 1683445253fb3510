'use server';

import { revalidatePath } from 'next/cache';
import { signedActionOf, type SignedActionResult, type SignedPayload } from '@/lib/auth/signed-action';
import { publishFormDef } from '@/lib/registration/admin-actions';

/** E-7: a new form version, signed by the operator; versions are never edited. */
const publish = signedActionOf(publishFormDef);

export async function publishFormAction(payload: SignedPayload): Promise<SignedActionResult<{ id: string; kind: string; version: number }>> {
  const r = await publish(payload);
  if (r.ok) revalidatePath('/admin/forms');
  return r;
}
