'use server';

import { revalidatePath } from 'next/cache';
import { signedActionOf, type SignedActionResult, type SignedPayload } from '@/lib/auth/signed-action';
import { chargeDef, tariffDef } from '@/lib/registration/admin-actions';

/** E-15: tariffs and charges, each signed by the operator and audited. */
const tariff = signedActionOf(tariffDef);
const charge = signedActionOf(chargeDef);

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
