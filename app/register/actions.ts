'use server';

import { signedAction } from '@/lib/auth/signed-action';
import { signResponsibleObligation } from '@/lib/registration';
import { registrationFormSchema } from '@/components/registration/kinds';
import { z } from 'zod';
import { certifyAttachment, certifyAttachmentSchema, signForm, signFormSchema, submitRegistrationForm } from './core';

/** certify an uploaded attachment of a registration request with the applicant's EDS. */
export const certifyAttachmentAction = signedAction(
  certifyAttachmentSchema,
  'registration.submit',
  async ({ tx, principal, input, signatureId }) => certifyAttachment(tx, principal, input, signatureId),
  { name: 'registration.attachment.certify' },
);

/** E-7: sign the version in force of an agreement, consent or undertaking. */
export const signFormAction = signedAction(
  signFormSchema,
  'registration.submit',
  async ({ tx, principal, input, signatureId }) => signForm(tx, principal, input, signatureId),
  { name: 'registration.form.sign' },
);

/** C-6 / E-8 / E-12 / P-6 / P-7: the request, signed over the whole form. */
export const submitRegistrationAction = signedAction(
  registrationFormSchema,
  'registration.submit',
  async ({ tx, principal, input, signatureId }) => submitRegistrationForm(tx, principal, input, signatureId),
  { name: 'registration.submit' },
);

/** P-7: a named responsible person signs the non-disclosure obligation. */
export const signObligationAction = signedAction(
  z.object({ requestId: z.uuid() }),
  'registration.submit',
  async ({ tx, principal, input, signatureId }) => {
    const row = await signResponsibleObligation(tx, principal, input.requestId, { signatureId });
    return { signedAt: row.signedAt?.toISOString() ?? null };
  },
  { name: 'registration.obligation.sign' },
);
