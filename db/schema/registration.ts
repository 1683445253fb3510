import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { signatures } from './eds';
import { organisations, users } from './identity';
import { BLOCK_GROUNDS, FORM_KINDS } from './registration-values';

/**
 * Registration of participants (C-6, C-7, E-8, E-9, E-12..E-15, E-41, E-42, P-6, P-7) and the versioned forms they
 * sign (E-7). Identity tables belong to lib/auth; what registration adds about an organisation lives here.
 */

export { BLOCK_GROUNDS, FORM_KINDS, type BlockGround, type FormKind } from './registration-values';

export type LocalizedText = { kk: string; ru: string; en?: string };

/** E-7: a published form version. Never updated: a change is a new version (the database refuses UPDATE/DELETE). */
export const formDocuments = pgTable(
  'form_documents',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text({ enum: FORM_KINDS }).notNull(),
    version: integer().notNull(),
    title: jsonb().$type<LocalizedText>().notNull(),
    /** Markdown, per language. */
    body: jsonb().$type<LocalizedText>().notNull(),
    inForceFrom: timestamp({ withTimezone: true }).notNull(),
    publishedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('form_documents_kind_version_uq').on(t.kind, t.version), index('form_documents_kind_in_force_idx').on(t.kind, t.inForceFrom)],
);

/** E-7: a user's signed acceptance of one form version (the record keeps which version was signed). */
export const formAcceptances = pgTable(
  'form_acceptances',
  {
    id: uuid().primaryKey().defaultRandom(),
    formDocumentId: uuid()
      .notNull()
      .references(() => formDocuments.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    orgId: uuid().references(() => organisations.id),
    signatureId: uuid()
      .notNull()
      .unique()
      .references(() => signatures.id),
    acceptedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('form_acceptances_user_idx').on(t.userId)],
);

export const REGISTRATION_KINDS = [
  'construction_user', // C-6
  'expertise_applicant', // E-8
  'expert_organisation', // E-12
  'expert_is_user', // E-41
  'procurement_applicant', // P-6
  'procurement_authorised', // P-7
] as const;
export type RegistrationKind = (typeof REGISTRATION_KINDS)[number];

export const REGISTRATION_STATUSES = ['submitted', 'confirmed', 'refused'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const ATTACHMENT_TYPES = [
  'state_registration',
  'tax',
  'bank_details',
  'identity_document',
  'accreditation_certificate',
  'questionnaire',
  'power_of_attorney',
  'other',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
export type RegistrationAttachment = { type: AttachmentType; sha256: string; name: string; signatureId: string };

export const registrationRequests = pgTable(
  'registration_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text({ enum: REGISTRATION_KINDS }).notNull(),
    applicantUserId: uuid()
      .notNull()
      .references(() => users.id),
    applicantOrgId: uuid().references(() => organisations.id),
    personType: text({ enum: ['individual', 'legal_entity'] }).notNull(),
    /** Who is being registered: 'bin:<BIN>' or 'iin:<IIN>' (duplicates are recognised on kind + subject). */
    subjectKey: text().notNull(),
    formData: jsonb().$type<Record<string, unknown>>().notNull(),
    attachments: jsonb().$type<RegistrationAttachment[]>().notNull(),
    /** The signed agreement (C-6, E-8, E-12, E-41); other signed forms point here through form_acceptances. */
    agreementAcceptanceId: uuid().references(() => formAcceptances.id),
    /** The applicant's signature of the request itself. */
    signatureId: uuid()
      .notNull()
      .references(() => signatures.id),
    status: text({ enum: REGISTRATION_STATUSES }).notNull().default('submitted'),
    submittedAt: timestamp({ withTimezone: true }).notNull(),
    /** The operator's deadline (null where no rule sets one: P-6, P-7) and its explanation. */
    deadlineStartAt: timestamp({ withTimezone: true }),
    dueAt: timestamp({ withTimezone: true }),
    dueDate: date({ mode: 'string' }),
    dueExplanation: jsonb(),
    decidedAt: timestamp({ withTimezone: true }),
    decidedBy: uuid().references(() => users.id),
    refusalGround: text(),
    refusalReason: text(),
  },
  (t) => [
    index('registration_requests_queue_idx').on(t.status, t.dueAt),
    index('registration_requests_applicant_idx').on(t.applicantUserId),
    // One pending request per kind and subject: a repeated submission finds it.
    uniqueIndex('registration_requests_pending_uq').on(t.kind, t.subjectKey).where(sql`${t.status} = 'submitted'`),
  ],
);

/** Which signed form acceptances a request carries (P-6 consent + undertaking, the agreement, the questionnaire). */
export const registrationForms = pgTable(
  'registration_forms',
  {
    registrationId: uuid()
      .notNull()
      .references(() => registrationRequests.id),
    acceptanceId: uuid()
      .notNull()
      .unique()
      .references(() => formAcceptances.id),
  },
  (t) => [index('registration_forms_registration_idx').on(t.registrationId)],
);

/** P-7: the responsible persons an authorised body names; each signs the non-disclosure obligation. */
export const registrationResponsiblePersons = pgTable(
  'registration_responsible_persons',
  {
    id: uuid().primaryKey().defaultRandom(),
    registrationId: uuid()
      .notNull()
      .references(() => registrationRequests.id),
    iin: text().notNull(),
    fullName: text().notNull(),
    position: text().notNull(),
    /** The nda_obligation acceptance, once signed. */
    acceptanceId: uuid().references(() => formAcceptances.id),
    signedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique('registration_responsible_persons_uq').on(t.registrationId, t.iin)],
);

/** E-12: an accreditation certificate submitted with a registration (one row per registration or reconfirmation). */
export const expertAccreditations = pgTable(
  'expert_accreditations',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id),
    registrationId: uuid().references(() => registrationRequests.id),
    certificateNumber: text().notNull(),
    issuedOn: date({ mode: 'string' }).notNull(),
    validUntil: date({ mode: 'string' }).notNull(),
    status: text({ enum: ['active', 'suspended', 'revoked'] }).notNull().default('active'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('expert_accreditations_org_idx').on(t.orgId)],
);

/** E-12..E-14, E-41, E-42: an expert organisation's standing on the portal and as an expert IS user. */
export const expertOrgRegistry = pgTable('expert_org_registry', {
  orgId: uuid()
    .primaryKey()
    .references(() => organisations.id),
  accredited: boolean().notNull().default(false),
  registeredAt: timestamp({ withTimezone: true }),
  currentAccreditationId: uuid().references(() => expertAccreditations.id),
  blocked: boolean().notNull().default(false),
  blockedAt: timestamp({ withTimezone: true }),
  blockGround: text({ enum: BLOCK_GROUNDS }),
  blockBasis: text(),
  /** E-41: registered as a user of an expert IS; E-42: when that access ended. */
  isUserSince: timestamp({ withTimezone: true }),
  isAccessEndedAt: timestamp({ withTimezone: true }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** E-15: rates the operator sets in agreement with the Vedomstvo. */
export const tariffs = pgTable('tariffs', {
  id: uuid().primaryKey().defaultRandom(),
  service: text().notNull(),
  rate: numeric({ precision: 14, scale: 2 }).notNull(),
  unit: text().notNull(),
  validFrom: date({ mode: 'string' }).notNull(),
  validTo: date({ mode: 'string' }),
  /** The agreement with the Vedomstvo the rate rests on (letter number, date). */
  agreedWithVedomstvo: text().notNull(),
  createdBy: uuid().references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** E-15: what an organisation owes for one tariff in one period ('YYYY-MM'). */
export const charges = pgTable(
  'charges',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id),
    tariffId: uuid()
      .notNull()
      .references(() => tariffs.id),
    period: text().notNull(),
    quantity: numeric({ precision: 14, scale: 3 }).notNull(),
    amount: numeric({ precision: 14, scale: 2 }).notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('charges_org_tariff_period_uq').on(t.orgId, t.tariffId, t.period)],
);
