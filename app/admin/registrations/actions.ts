'use server';

import { z } from 'zod';
import { signedAction } from '@/lib/auth/signed-action';
import { confirmRegistration, refuseRegistration } from '@/lib/registration';

/** C-6 / E-8 / E-12 / P-6 / P-7: the operator confirms a request (signed); the applicant is notified. */
export const confirmRegistrationAction = signedAction(
  z.object({ id: z.uuid() }),
  'registrations.review',
  async ({ tx, principal, input, signatureId }) => {
    const r = await confirmRegistration(tx, principal, input.id, { signatureId });
    return { id: r.id, status: r.status };
  },
  { name: 'registration.confirm' },
);

/** C-7 / E-9: the operator refuses on a ground the kind allows (a reason is required except "already registered"). */
export const refuseRegistrationAction = signedAction(
  z.object({ id: z.uuid(), ground: z.string().min(1, 'ground_required').max(60), reason: z.string().trim().max(2000, 'too_long').optional() }),
  'registrations.review',
  async ({ tx, principal, input, signatureId }) => {
    const r = await refuseRegistration(tx, principal, input.id, { ground: input.ground, reason: input.reason || undefined }, { signatureId });
    return { id: r.id, status: r.status };
  },
  { name: 'registration.refuse' },
);
