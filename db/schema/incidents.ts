import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { signatures } from './eds';
import { applications } from './expertise';
import { users } from './identity';

/**
 * Incidents (technical failures), their SLA timers and the deadline extensions they caused (I-1..I-14, 003
 * §57–72); the yearly maintenance plan and its windows (I-16..I-18, 003 §73–75). Logic: lib/incidents.
 */

/** I-2 (003 §58): where the information about a failure came from. */
export const INCIDENT_SOURCES = ['user_report', 'monitoring_staff', 'monitoring_tool', 'system_log'] as const;
/** I-3 / I-19: how a user's report arrived (the portal form, e-mail, or a recorded phone call). */
export const INCIDENT_CHANNELS = ['portal', 'email', 'phone'] as const;
/** I-1 (003 §57): the subclasses; the first three are caused by the operator. */
export const OPERATOR_CAUSES = ['staff_unlawful_action', 'insufficient_security', 'operator_physical_damage'] as const;
export const NON_OPERATOR_CAUSES = [
  'third_party_damage',
  'mass_attack',
  'user_network_or_power',
  'user_software_limits',
  'user_malware',
  'user_ignored_instructions',
  'user_key_misuse',
] as const;
export const INCIDENT_CAUSES = [...OPERATOR_CAUSES, ...NON_OPERATOR_CAUSES] as const;
/** The components of the information system a failure can affect (I-12 "in that component"). */
export const INCIDENT_COMPONENTS = ['portal', 'expertise', 'eds', 'documents', 'registration', 'partner_api', 'water', 'procurement'] as const;
/**
 * received → registered (I-4/I-5) → info_requested (I-7) → registered … → refuted (I-8) | confirmed (I-9) → fixed →
 * closed. info_requested without an answer for 2 h → closed (I-7).
 */
export const INCIDENT_STATUSES = ['received', 'registered', 'info_requested', 'refuted', 'confirmed', 'fixed', 'closed'] as const;
export const INCIDENT_CRITICALITIES = ['low', 'medium', 'high'] as const;

const list = (xs: readonly string[]) => xs.map((s) => `'${s}'`).join(', ');

export const incidents = pgTable(
  'incidents',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** I-5: the unique incident ID (INC-2026-000123), given at registration; null while only received. */
    number: text().unique(),
    source: text({ enum: INCIDENT_SOURCES }).notNull(),
    channel: text({ enum: INCIDENT_CHANNELS }),
    /** I-13: an emergency or force-majeure event rather than a technical failure. */
    forceMajeure: boolean().notNull().default(false),
    /** I-1: caused by the operator or not (null until analysed) and the subclass. */
    operatorCaused: boolean(),
    cause: text({ enum: INCIDENT_CAUSES }),
    component: text({ enum: INCIDENT_COMPONENTS }).notNull(),
    // I-3: the reporter
    reporterUserId: uuid().references(() => users.id),
    reporterOrgName: text(),
    reporterFullName: text(),
    /** BIN or IIN (12 digits). */
    reporterIdNumber: text(),
    reporterEmail: text(),
    reporterPhone: text(),
    /** I-3: when the failure was detected (an instant; entered in Astana time). */
    detectedAt: timestamp({ withTimezone: true }).notNull(),
    description: text().notNull(),
    /** I-11: the application in which the failure occurred (medium criticality). */
    applicationId: uuid().references(() => applications.id),
    status: text({ enum: INCIDENT_STATUSES }).notNull().default('received'),
    criticality: text({ enum: INCIDENT_CRITICALITIES }),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    registeredAt: timestamp({ withTimezone: true }),
    infoRequestedAt: timestamp({ withTimezone: true }),
    infoRequest: text(),
    infoAnsweredAt: timestamp({ withTimezone: true }),
    refutedAt: timestamp({ withTimezone: true }),
    /** I-8: the evidence that there was no failure (sent to the reporter). */
    refutationEvidence: text(),
    confirmedAt: timestamp({ withTimezone: true }),
    /** The start of the failure window (I-11..I-13; defaults to detectedAt). */
    failureStartedAt: timestamp({ withTimezone: true }),
    plannedFixAt: timestamp({ withTimezone: true }),
    fixedAt: timestamp({ withTimezone: true }),
    fixNote: text(),
    closedAt: timestamp({ withTimezone: true }),
    closeReason: text({ enum: ['no_info', 'refuted', 'fixed'] }),
    /** I-14: transferred to law enforcement. */
    lawEnforcementAt: timestamp({ withTimezone: true }),
    lawEnforcementBody: text(),
    lawEnforcementRef: text(),
    /** A client-chosen key: the same report sent twice is recognised. */
    idempotencyKey: text().unique(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('incidents_status_idx').on(t.status, t.receivedAt.desc()),
    index('incidents_reporter_idx').on(t.reporterUserId, t.receivedAt.desc()),
    check('incidents_status_check', sql.raw(`status in (${list(INCIDENT_STATUSES)})`)),
    check('incidents_criticality_check', sql.raw(`criticality is null or criticality in (${list(INCIDENT_CRITICALITIES)})`)),
    check('incidents_confirmed_has_criticality', sql.raw(`status not in ('confirmed', 'fixed') or criticality is not null or force_majeure`)),
  ],
);

/** Files the reporter (or the operator, as evidence) attached; the bytes are in the document store. */
export const incidentAttachments = pgTable(
  'incident_attachments',
  {
    id: uuid().primaryKey().defaultRandom(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id),
    role: text({ enum: ['report', 'evidence', 'answer'] }).notNull(),
    fileName: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    uploadedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('incident_attachments_incident_idx').on(t.incidentId)],
);

/** The incident's timeline; `id` orders events that share an instant. */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id),
    at: timestamp({ withTimezone: true }).notNull(),
    actorUserId: uuid(),
    kind: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>(),
    signatureId: uuid().references(() => signatures.id),
  },
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.id)],
);

/** The SLA timers of I-4..I-12, one per kind: the due instant with its explanation, met or marked overdue. */
export const INCIDENT_TIMER_KINDS = [
  'registration', // I-4
  'id_email', // I-5
  'analysis', // I-6
  'info_reply', // I-7 (the user's answer; expiry closes the report)
  'refute_notice', // I-8
  'confirm_notice', // I-10 / I-11 / I-12 (the reporter)
  'participants_notice', // I-11
  'banner', // I-12
] as const;

export const incidentTimers = pgTable(
  'incident_timers',
  {
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id),
    kind: text({ enum: INCIDENT_TIMER_KINDS }).notNull(),
    rule: text().notNull(),
    startAt: timestamp({ withTimezone: true }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    explanation: jsonb().notNull(),
    metAt: timestamp({ withTimezone: true }),
    /** Set once by the watcher when the due passed unmet (the operator is told once). */
    overdueAt: timestamp({ withTimezone: true }),
    /** Cancelled when the flow no longer needs it (e.g. the analysis after a refutation). */
    cancelledAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('incident_timers_uq').on(t.incidentId, t.kind),
    index('incident_timers_open_idx').on(t.dueAt).where(sql`${t.metAt} is null and ${t.cancelledAt} is null`),
  ],
);

/**
 * I-11 / I-12 / I-13: the extensions an incident granted, per application (a later apply adds only the
 * difference, so an extension is never granted twice).
 */
export const incidentExtensions = pgTable(
  'incident_extensions',
  {
    id: uuid().primaryKey().defaultRandom(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id),
    applicationId: uuid()
      .notNull()
      .references(() => applications.id),
    rule: text().notNull(),
    days: integer().notNull(),
    unit: text({ enum: ['calendar_days', 'working_days'] }).notNull(),
    kinds: jsonb().$type<string[]>().notNull(),
    appliedAt: timestamp({ withTimezone: true }).notNull(),
    appliedBy: uuid().references(() => users.id),
    signatureId: uuid().references(() => signatures.id),
  },
  (t) => [index('incident_extensions_incident_idx').on(t.incidentId, t.applicationId)],
);

/** I-17: the yearly maintenance plan (approved and published in the first ten days of January). */
export const maintenancePlans = pgTable('maintenance_plans', {
  year: integer().primaryKey(),
  note: text(),
  approvedAt: timestamp({ withTimezone: true }),
  approvedBy: uuid().references(() => users.id),
  publishedAt: timestamp({ withTimezone: true }),
  signatureId: uuid().references(() => signatures.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** I-16 / I-18: a maintenance window (planned in the yearly plan, or unplanned), and its notice. */
export const maintenanceWindows = pgTable(
  'maintenance_windows',
  {
    id: uuid().primaryKey().defaultRandom(),
    year: integer()
      .notNull()
      .references(() => maintenancePlans.year),
    component: text({ enum: INCIDENT_COMPONENTS }).notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    description: text().notNull(),
    /** Why the window leaves the default hours (21:00–06:00 Astana, weekends, holidays); null when inside. */
    outsideDefaultReason: text(),
    unplanned: boolean().notNull().default(false),
    /** I-18: when users and integrated-system owners were notified. */
    notifiedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id),
    signatureId: uuid().references(() => signatures.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('maintenance_windows_starts_idx').on(t.startsAt),
    check('maintenance_windows_order', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);
