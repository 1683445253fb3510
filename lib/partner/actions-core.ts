/**
 * The signed actions of the partner area: their schemas, policy actions, names and cores. The 'use server'
 * modules wrap them with signedAction(); tests run them through runSignedAction() with real signatures.
 */
import type { SignedActionDef } from '@/lib/auth/signed-action';
import { signPartnerDocument } from './applicant';
import { consentActionSchema, giveCadastreConsent } from './cadastre';
import { answerFromAuthority, answerSchema, sendToAuthority, sendToAuthoritySchema } from './environment';
import { signRequestActionSchema } from './expertise';
import { createApiKey, createApiKeySchema, revokeApiKey, revokeApiKeySchema } from './keys';

export const createKeyDef: SignedActionDef<typeof createApiKeySchema, { key: string; prefix: string; id: string }> = {
  schema: createApiKeySchema,
  action: 'integrations.manage',
  name: 'partner.api_key.create',
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const { key, row } = await createApiKey(tx, principal, input, { signatureId, requestId });
    // The key is in this answer only: it is never stored nor shown again.
    return { key, prefix: row.prefix, id: row.id };
  },
};

export const revokeKeyDef: SignedActionDef<typeof revokeApiKeySchema, { revokedAt: Date }> = {
  schema: revokeApiKeySchema,
  action: 'integrations.manage',
  name: 'partner.api_key.revoke',
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const row = await revokeApiKey(tx, principal, input, { signatureId, requestId });
    return { revokedAt: row.revokedAt! };
  },
};

export const envSendDef: SignedActionDef<typeof sendToAuthoritySchema, { messageId: string }> = {
  schema: sendToAuthoritySchema,
  action: 'expertise.review',
  name: 'partner.environment.send',
  fn: async ({ tx, principal, input, signatureId }) => ({ messageId: (await sendToAuthority(tx, principal, input, signatureId)).id }),
};

export const envAnswerDef: SignedActionDef<typeof answerSchema, { messageId: string }> = {
  schema: answerSchema,
  action: 'environment.exchange',
  name: 'partner.environment.answer',
  fn: async ({ tx, principal, input, signatureId }) => ({ messageId: (await answerFromAuthority(tx, principal, input, signatureId)).id }),
};

export const cadastreConsentDef: SignedActionDef<typeof consentActionSchema, { consentedAt: Date; duplicate: boolean }> = {
  schema: consentActionSchema,
  action: 'expertise.apply',
  name: 'partner.cadastre.consent',
  fn: async ({ tx, principal, input, signatureId }) => giveCadastreConsent(tx, principal, input.applicationId, signatureId),
};

export const signDocumentDef: SignedActionDef<typeof signRequestActionSchema, { signedAt: Date }> = {
  schema: signRequestActionSchema,
  action: 'expertise.apply',
  name: 'partner.document.sign',
  fn: async ({ tx, principal, input, signatureId }) => signPartnerDocument(tx, principal, input, signatureId),
};
