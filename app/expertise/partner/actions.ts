'use server';

import { revalidatePath } from 'next/cache';
import { signedAction } from '@/lib/auth/signed-action';
import { cadastreConsentDef, signDocumentDef } from '@/lib/partner/actions-core';

/** E-21: the applicant signs a document its expert organisation's IS sent for signature. */
export const signPartnerDocumentAction = signedAction(
  signDocumentDef.schema,
  signDocumentDef.action,
  async (ctx) => {
    const r = await signDocumentDef.fn(ctx);
    revalidatePath(`/expertise/applications/${ctx.input.applicationId}`);
    return r;
  },
  { name: signDocumentDef.name },
);

/** E-56: the rights holder's consent to the transfer to the State Urban-Planning Cadastre. */
export const cadastreConsentAction = signedAction(
  cadastreConsentDef.schema,
  cadastreConsentDef.action,
  async (ctx) => {
    const r = await cadastreConsentDef.fn(ctx);
    revalidatePath(`/expertise/applications/${ctx.input.applicationId}`);
    return r;
  },
  { name: cadastreConsentDef.name },
);
