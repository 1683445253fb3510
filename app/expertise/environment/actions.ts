'use server';

import { revalidatePath } from 'next/cache';
import { signedAction } from '@/lib/auth/signed-action';
import { envAnswerDef, envSendDef } from '@/lib/partner/actions-core';

/** E-49: the expert sends a document to an environmental-protection authority (EDS-signed). */
export const envSendAction = signedAction(
  envSendDef.schema,
  envSendDef.action,
  async (ctx) => {
    const r = await envSendDef.fn(ctx);
    revalidatePath(`/expertise/workspace/${ctx.input.applicationId}`);
    return r;
  },
  { name: envSendDef.name },
);

/** E-49: the authority answers (EDS-signed). */
export const envAnswerAction = signedAction(
  envAnswerDef.schema,
  envAnswerDef.action,
  async (ctx) => {
    const r = await envAnswerDef.fn(ctx);
    revalidatePath('/expertise/environment');
    return r;
  },
  { name: envAnswerDef.name },
);
