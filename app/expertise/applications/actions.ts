'use server';

import { getLocale } from 'next-intl/server';
import { z } from 'zod';
import type { TimeLocale } from '@/lib/time/astana';
import { renderExplanation, type Explanation } from '@/lib/time/explain';
import { getDb } from '@/db/client';
import { runAction, type ActionResult } from '@/lib/actions';
import { requirePermission } from '@/lib/auth/policy';
import { signedAction } from '@/lib/auth/signed-action';
import { createDraft, draftFieldsSchema, updateDraft } from '@/lib/expertise';
import { answerWithVersion, certifyDocument, certifyDocumentSchema, submitManifestSchema, submitWithManifest } from './core';

const saveDraftSchema = z.object({ applicationId: z.uuid().optional(), fields: draftFieldsSchema });

/**
 * Saves a wizard step as the draft (creates it on the first step). A draft is not a legally significant act,
 * so it is not signed; certifying documents and the submission are (below).
 */
export async function saveDraftAction(input: z.input<typeof saveDraftSchema>): Promise<ActionResult<{ applicationId: string }>> {
  return runAction(saveDraftSchema, input, async ({ applicationId, fields }) => {
    const p = await requirePermission('expertise.apply');
    const app = applicationId ? await updateDraft(getDb(), p, applicationId, fields) : await createDraft(getDb(), p, fields);
    return { applicationId: app.id };
  });
}

/** E-17: certify an uploaded document with the applicant's EDS. */
export const certifyDocumentAction = signedAction(
  certifyDocumentSchema,
  'expertise.apply',
  async ({ tx, principal, input, signatureId }) => certifyDocument(tx, principal, input, signatureId),
  { name: 'expertise.document.certify' },
);

/** E-16/E-18: submit the draft, signed over the manifest of its documents' SHA-256 digests. */
export const submitApplicationAction = signedAction(
  submitManifestSchema,
  'expertise.apply',
  async ({ tx, principal, input, signatureId }) => {
    const r = await submitWithManifest(tx, principal, input, signatureId);
    return {
      applicationId: r.application.id,
      number: r.application.number,
      registrationDate: r.application.registrationDate,
      explanation: r.application.registrationExplanation ? renderExplanation(r.application.registrationExplanation as Explanation, (await getLocale()) as TimeLocale) : null,
      receiptId: r.receipt.id,
      receiptNumber: r.receipt.number,
      duplicate: r.duplicate,
    };
  },
  { name: 'expertise.application.submit' },
);

/** E-48/E-51: a new version of a document in answer to remarks, signed. */
export const answerWithVersionAction = signedAction(
  certifyDocumentSchema,
  'expertise.apply',
  async ({ tx, principal, input, signatureId }) => answerWithVersion(tx, principal, input, signatureId),
  { name: 'expertise.document.version' },
);
