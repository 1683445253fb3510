'use server';

import { revalidatePath } from 'next/cache';
import { signedAction, type SignedActionResult, type SignedPayload } from '@/lib/auth/signed-action';
import { chargeDef, tariffDef } from '@/lib/registration/admin-actions';

/** E-15: tariffs and charges, each signed by the operator and audited. */
const tariff = signedAction(tariffDef.schema, tariffDef.action, tariffDef.fn, { name: tariffDef.name });
const charge = signedAction(chargeDef.schema, chargeDef.action, chargeDef.fn, { name: chargeDef.name });

export async function createTariffAction(payload: SignedPayload): Promise<SignedActionResult<{ id: string }>> {
  const r = await tariff(payload);
  if (r.ok) revalidatePath('/admin/tariffs');
  return r;
}

export async function createChargeAction(payload: SignedPayload): Promise<SignedActionResult<{ id: string; amount: string }>> {
  const r = await charge(payload);
  if (r.ok) revalidatePath('/admin/tariffs');
  return r;
}
