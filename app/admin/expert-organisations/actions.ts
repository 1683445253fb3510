'use server';

import { revalidatePath } from 'next/cache';
import { signedActionOf, type SignedActionResult, type SignedPayload } from '@/lib/auth/signed-action';
import { blockOrgDef, reconfirmDef, type OrgChange } from '@/lib/registration/admin-actions';

/** E-13 / E-14 / E-42: the operator's signed decisions on expert organisations. */
const block = signedActionOf(blockOrgDef);
const reconfirm = signedActionOf(reconfirmDef);

function after<T>(r: SignedActionResult<T>): SignedActionResult<T> {
  if (r.ok) {
    revalidatePath('/admin/expert-organisations');
    revalidatePath('/expertise/organisations');
  }
  return r;
}

export async function blockOrganisationAction(payload: SignedPayload): Promise<SignedActionResult<OrgChange>> {
  return after(await block(payload));
}

export async function reconfirmAccreditationAction(payload: SignedPayload): Promise<SignedActionResult<OrgChange>> {
  return after(await reconfirm(payload));
}
