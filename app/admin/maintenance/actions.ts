'use server';

import { signedActionOf } from '@/lib/auth/signed-action';
import { addWindowDef, cancelWindowDef, publishPlanDef } from '@/lib/incidents/actions';

/** X-4 / I-17 / I-18: the maintenance plan and its windows, signed by the operator. */
export const publishPlanAction = signedActionOf(publishPlanDef);
export const addWindowAction = signedActionOf(addWindowDef);
export const cancelWindowAction = signedActionOf(cancelWindowDef);
