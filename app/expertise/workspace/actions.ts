'use server';

import { signedAction } from '@/lib/auth/signed-action';
import {
  completenessActionSchema,
  completenessCore,
  conclusionActionSchema,
  conclusionCore,
  issueDocumentActionSchema,
  issueDocumentCore,
  paymentActionSchema,
  paymentCore,
  remarksActionSchema,
  remarksCore,
  reviseActionSchema,
  reviseCore,
} from './core';

/** The expert workspace's changes; every one is a signed action. */
export const recordCompletenessAction = signedAction(completenessActionSchema, 'expertise.review', async ({ tx, principal, input }) => completenessCore(tx, principal, input), {
  name: 'expertise.completeness.record',
});
export const issueRemarksAction = signedAction(remarksActionSchema, 'expertise.review', async ({ tx, principal, input, signatureId }) => remarksCore(tx, principal, input, signatureId), {
  name: 'expertise.remarks.issue',
});
export const issueDocumentAction = signedAction(
  issueDocumentActionSchema,
  'expertise.review',
  async ({ tx, principal, input, signatureId }) => issueDocumentCore(tx, principal, input, signatureId),
  { name: 'expertise.document.issue' },
);
export const reviseDocumentAction = signedAction(reviseActionSchema, 'expertise.review', async ({ tx, principal, input, signatureId }) => reviseCore(tx, principal, input, signatureId), {
  name: 'expertise.document.revise',
});
export const signConclusionAction = signedAction(
  conclusionActionSchema,
  'expertise.review',
  async ({ tx, principal, input, signatureId }) => conclusionCore(tx, principal, input, signatureId),
  { name: 'expertise.conclusion.sign' },
);
export const confirmPaymentAction = signedAction(paymentActionSchema, 'expertise.review', async ({ tx, principal, input }) => paymentCore(tx, principal, input), {
  name: 'expertise.payment.confirm',
});
