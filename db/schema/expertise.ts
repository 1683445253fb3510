import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { signatures } from './eds';
import { organisations, users } from './identity';

/** E-18/E-19: an expert organisation's portal settings (its number template, accreditation, blocking). */
export const expertOrgSettings = pgTable('expert_org_settings', {
  orgId: uuid()
    .primaryKey()
    .references(() => organisations.id),
  /** The {ORG} value of the number template, e.g. 'GEX'. */
  orgCode: text().notNull(),
  /** E-18: the registration-number template the operator sets for this organisation, e.g. '{ORG}-{YYYY}-{SEQ:5}'. */
  numberTemplate: text().notNull(),
  accredited: boolean().notNull().default(false),
  blocked: boolean().notNull().default(false),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** E-44: durations per object category. `demo` marks seeded values that are not the statutory ones. */
export const deadlineConfigs = pgTable('deadline_configs', {
  category: text().primaryKey(),
  label: text().notNull(),
  completenessDays: integer().notNull(),
  remarksDays: integer().notNull(),
  remedyDays: integer().notNull(),
  conclusionDays: integer().notNull(),
  unit: text({ enum: ['working', 'calendar'] }).notNull(),
  demo: boolean().notNull().default(true),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const WORK_KINDS = ['new_construction', 'reconstruction', 'expansion', 'modernisation', 'capital_repair'] as const;
/**
 * The application's life: draft → registered (completeness check, E-45) → incomplete | in_review → remarks_issued
 * (E-48; the applicant's answer returns it to in_review) → conclusion_signed (held, E-50) → conclusion_released
 * → archived (E-23). A CHECK constraint keeps the column to these values.
 */
export const APPLICATION_STATUSES = [
  'draft',
  'registered',
  'incomplete',
  'in_review',
  'remarks_issued',
  'conclusion_signed',
  'conclusion_released',
  'archived',
] as const;

export const applications = pgTable(
  'applications',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The registration number (null while a draft). */
    number: text().unique(),
    applicantUserId: uuid()
      .notNull()
      .references(() => users.id),
    applicantOrgId: uuid().references(() => organisations.id),
    expertOrgId: uuid().references(() => organisations.id),
    objectName: text(),
    region: text(),
    address: text(),
    category: text(),
    workKind: text({ enum: WORK_KINDS }),
    financingSource: text(),
    status: text({ enum: APPLICATION_STATUSES }).notNull().default('draft'),
    /** A client-chosen key: the same submission sent twice is recognised. */
    idempotencyKey: text().unique(),
    submitSignatureId: uuid().references(() => signatures.id),
    receiptId: uuid(),
    receivedAt: timestamp({ withTimezone: true }),
    /** E-18: the registration date (Astana). */
    registrationDate: date({ mode: 'string' }),
    registeredAt: timestamp({ withTimezone: true }),
    registrationExplanation: jsonb(),
    completenessResult: text({ enum: ['positive', 'negative'] }),
    completenessRemarks: text(),
    completenessAt: timestamp({ withTimezone: true }),
    /** E-45: set when the completeness deadline passed; the database then refuses any change of the result. */
    completenessLocked: boolean().notNull().default(false),
    completenessAuto: boolean().notNull().default(false),
    conclusionDocumentId: uuid(),
    conclusionSignatureId: uuid().references(() => signatures.id),
    conclusionSignedAt: timestamp({ withTimezone: true }),
    paymentConfirmedAt: timestamp({ withTimezone: true }),
    paymentBasis: text(),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Keyset pagination (created_at desc, id desc) for the applicant's lists.
    index('applications_applicant_user_idx').on(t.applicantUserId, t.createdAt.desc(), t.id.desc()),
    index('applications_applicant_org_idx').on(t.applicantOrgId, t.createdAt.desc(), t.id.desc()),
    // The expert organisation's queue: registered applications only.
    index('applications_expert_queue_idx')
      .on(t.expertOrgId, t.registeredAt.desc(), t.id.desc())
      .where(sql`${t.status} <> 'draft'`),
    // E-23 retention job.
    index('applications_retention_idx').on(t.registrationDate).where(sql`${t.status} <> 'archived' and ${t.status} <> 'draft'`),
    check(
      'applications_status_check',
      sql.raw(`status in (${APPLICATION_STATUSES.map((s) => `'${s}'`).join(', ')})`),
    ),
  ],
);

/** Documents of an application; X-5: certified rows are never changed or deleted (trigger), only new versions. */
export const applicationDocuments = pgTable(
  'application_documents',
  {
    id: uuid().primaryKey().defaultRandom(),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id),
    /** The typed slot, e.g. 'feasibility_study', 'section_ar', 'cost_estimate', 'remarks', 'conclusion'. */
    slot: text().notNull(),
    version: integer().notNull(),
    sha256: text().notNull(),
    fileName: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    /** Where the bytes are kept (the upload store's key), when stored by the portal. */
    storageKey: text(),
    certifiedSignatureId: uuid().references(() => signatures.id),
    /** E-18/E-46: the registration date and instant (set once: at submission for draft documents). */
    registeredOn: date({ mode: 'string' }),
    registeredAt: timestamp({ withTimezone: true }),
    supersedesId: uuid(),
    annulledAt: timestamp({ withTimezone: true }),
    annulmentSignatureId: uuid().references(() => signatures.id),
    isCostEstimate: boolean().notNull().default(false),
    issuedBy: text({ enum: ['applicant', 'expert'] }).notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('application_documents_version_uq').on(t.applicationId, t.slot, t.version)],
);

/** The timeline of an application; `id` orders the events (several may share an instant). */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id),
    at: timestamp({ withTimezone: true }).notNull(),
    actorUserId: uuid(),
    /** 'applicant' | 'expert' | 'system'. */
    actor: text().notNull(),
    kind: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>(),
    /**
     * E-20: the partner feed's position, in commit order: null when written, numbered after commit by
     * lib/partner/feed-order.ts (one numbering at a time), so that an event committed late still comes after every
     * position already served. The `id` is in insert order, which is not commit order.
     */
    feedSeq: bigint({ mode: 'number' }),
  },
  (t) => [
    index('application_events_app_idx').on(t.applicationId, t.id),
    uniqueIndex('application_events_feed_seq_idx').on(t.feedSeq),
    index('application_events_unsequenced_idx').on(t.id).where(sql`${t.feedSeq} is null`),
  ],
);

/** E-48: one remarks document per application (the unique application_id is the database's guard). */
export const remarks = pgTable('remarks', {
  id: uuid().primaryKey().defaultRandom(),
  applicationId: uuid()
    .notNull()
    .unique()
    .references(() => applications.id),
  text: text().notNull(),
  signatureId: uuid()
    .notNull()
    .references(() => signatures.id),
  documentId: uuid(),
  issuedBy: uuid().references(() => users.id),
  issuedAt: timestamp({ withTimezone: true }).notNull(),
  registeredOn: date({ mode: 'string' }).notNull(),
});

export const DEADLINE_KINDS = ['completeness', 'remarks', 'remedy', 'conclusion'] as const;

/** E-44: the deadlines of an application, stored with their explanation and extensions. */
export const applicationDeadlines = pgTable(
  'application_deadlines',
  {
    applicationId: uuid()
      .notNull()
      .references(() => applications.id),
    kind: text({ enum: DEADLINE_KINDS }).notNull(),
    startAt: timestamp({ withTimezone: true }).notNull(),
    amount: integer().notNull(),
    unit: text({ enum: ['working_days', 'calendar_days'] }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    dueDate: date({ mode: 'string' }).notNull(),
    explanation: jsonb().notNull(),
    extensions: jsonb().notNull().default([]),
    status: text({ enum: ['open', 'met', 'missed'] }).notNull().default('open'),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.applicationId, t.kind] }),
    index('application_deadlines_open_idx').on(t.kind, t.dueAt).where(sql`${t.status} = 'open'`),
  ],
);
