/**
 * The registration schema's value lists (registration.ts uses them as its columns' enums), apart from the
 * tables so that browser code — the operator's forms and their zod schemas — can import them without drizzle.
 */

/** E-7: the kinds of versioned forms a user or organisation accepts. */
export const FORM_KINDS = [
  'user_agreement_construction',
  'user_agreement_expertise',
  'expert_org_agreement',
  'questionnaire',
  'instructions',
  'procurement_consent',
  'procurement_undertaking',
  'nda_obligation',
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** E-13 / E-42: the grounds on which an expert organisation is blocked. */
export const BLOCK_GROUNDS = ['not_reconfirmed', 'suspended', 'revoked', 'agreement_breached', 'agreement_terminated'] as const;
export type BlockGround = (typeof BLOCK_GROUNDS)[number];
