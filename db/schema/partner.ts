import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { signatures } from './eds';
import { applicationDocuments, applications } from './expertise';
import { organisations, users } from './identity';

/**
 * Partner integrations (issue 5 parts 3, 10, 11; E-20, E-21, E-49, E-56, I-INT-1..4): the API keys the operator
 * issues to an expert organisation's own expert IS or to the State Urban-Planning Cadastre, the log of every
 * exchange, idempotent pushes, documents the applicant must sign, the environmental-authority exchange and the
 * rights holder's consent to the cadastre transfer.
 */

export const PARTNER_KINDS = ['expert_is', 'cadastre'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** I-INT-1: an API key (only its SHA-256 is kept; the key itself is shown once). Revocable, last use recorded. */
export const partnerApiKeys = pgTable(
  'partner_api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id),
    kind: text({ enum: PARTNER_KINDS }).notNull(),
    name: text().notNull(),
    /** The key's public prefix (shown in lists and logs to tell keys apart). */
    prefix: text().notNull().unique(),
    /** sha256 (hex) of the whole key. */
    keyHash: text().notNull().unique(),
    /** I-INT-1: the integration's validity term (null: until revoked). */
    expiresAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id),
    createdSignatureId: uuid().references(() => signatures.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: uuid().references(() => users.id),
    revokeSignatureId: uuid().references(() => signatures.id),
    revokeReason: text(),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('partner_api_keys_org_idx').on(t.orgId, t.createdAt)],
);

/** I-INT: every exchange through the partner API (successful or refused), one row per request. */
export const partnerExchanges = pgTable(
  'partner_exchanges',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull(),
    keyId: uuid().references(() => partnerApiKeys.id),
    orgId: uuid().references(() => organisations.id),
    method: text().notNull(),
    path: text().notNull(),
    /** What the endpoint does, e.g. 'expertise.feed', 'expertise.progress', 'cadastre.package'. */
    operation: text().notNull(),
    status: integer().notNull(),
    errorCode: text(),
    requestId: text().notNull(),
    clientId: text(),
    applicationId: uuid(),
    /** sha256 (hex) of the request body, when there was one. */
    bodySha256: text(),
    durationMs: integer().notNull(),
  },
  (t) => [index('partner_exchanges_key_idx').on(t.keyId, t.at), index('partner_exchanges_org_idx').on(t.orgId, t.at)],
);

export const PUSH_KINDS = ['progress', 'document', 'result'] as const;

/** E-21: a push from an expert IS, idempotent by the client-supplied id (unique per organisation). */
export const partnerPushes = pgTable(
  'partner_pushes',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id),
    keyId: uuid()
      .notNull()
      .references(() => partnerApiKeys.id),
    clientId: text().notNull(),
    kind: text({ enum: PUSH_KINDS }).notNull(),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id),
    /** sha256 (hex) of the canonical JSON of the body: a repeat with other content is a conflict. */
    requestSha256: text().notNull(),
    signatureId: uuid()
      .notNull()
      .references(() => signatures.id),
    /** The answer given the first time (returned again for a repeat). */
    response: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('partner_pushes_client_uq').on(t.orgId, t.clientId)],
);

/** E-21: a document the expert IS sent for the applicant's signature; signed by the applicant in its cabinet. */
export const partnerSignRequests = pgTable(
  'partner_sign_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id),
    documentId: uuid()
      .notNull()
      .unique()
      .references(() => applicationDocuments.id),
    pushId: uuid().references(() => partnerPushes.id),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    signedAt: timestamp({ withTimezone: true }),
    signedBy: uuid().references(() => users.id),
    signatureId: uuid().references(() => signatures.id),
  },
  (t) => [index('partner_sign_requests_app_idx').on(t.applicationId).where(sql`${t.signedAt} is null`)],
);

/** E-56: the conclusion's outcome as the expert IS reported it (a cadastre transfer needs 'positive'). */
export const conclusionOutcomes = pgTable('conclusion_outcomes', {
  applicationId: uuid()
    .primaryKey()
    .references(() => applications.id),
  outcome: text({ enum: ['positive', 'negative'] }).notNull(),
  documentId: uuid().references(() => applicationDocuments.id),
  signatureId: uuid().references(() => signatures.id),
  recordedAt: timestamp({ withTimezone: true }).notNull(),
});

/** E-56 / I-INT-2: the rights holder's signed consent to the cadastre transfer (one per application). */
export const cadastreConsents = pgTable('cadastre_consents', {
  applicationId: uuid()
    .primaryKey()
    .references(() => applications.id),
  consentedBy: uuid()
    .notNull()
    .references(() => users.id),
  signatureId: uuid()
    .notNull()
    .references(() => signatures.id),
  consentedAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * E-49: documents exchanged between an expert organisation and an environmental-protection authority about one
 * application. X-11: the authority sees only applications with a message addressed to it.
 */
export const environmentalMessages = pgTable(
  'environmental_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id),
    expertOrgId: uuid()
      .notNull()
      .references(() => organisations.id),
    authorityOrgId: uuid()
      .notNull()
      .references(() => organisations.id),
    direction: text({ enum: ['to_authority', 'to_expert'] }).notNull(),
    /** The message this one answers (an authority's answer names the expert's request). */
    replyToId: uuid(),
    subject: text().notNull(),
    body: text(),
    fileName: text(),
    sha256: text(),
    size: bigint({ mode: 'number' }),
    storageKey: text(),
    signatureId: uuid()
      .notNull()
      .references(() => signatures.id),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('environmental_messages_app_idx').on(t.applicationId, t.createdAt),
    index('environmental_messages_authority_idx').on(t.authorityOrgId, t.createdAt),
  ],
);
