import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './identity';
import { devices, regions, waterEntities, waterObjects } from './water';

/**
 * Water operations (issue 6 parts 2–4, 7–9): persisted alerts (W-21, W-27, W-31), reading corrections (W-33),
 * periodic figures (W-12), feedback (W-3) and per-user access scopes (W-16, X-11).
 */

export const waterAlertStatus = pgEnum('water_alert_status', ['open', 'acknowledged', 'cleared']);
export const waterAlertSeverity = pgEnum('water_alert_severity', ['info', 'warning', 'critical']);

/** One row per alert; at most one active (not cleared) alert per (type, object, device). */
export const waterAlerts = pgTable(
  'water_alerts',
  {
    id: uuid().primaryKey().defaultRandom(),
    type: text().notNull(),
    objectId: uuid()
      .notNull()
      .references(() => waterObjects.id),
    deviceId: uuid().references(() => devices.id),
    severity: waterAlertSeverity().notNull(),
    status: waterAlertStatus().notNull().default('open'),
    firstSeen: timestamp({ withTimezone: true }).notNull(),
    lastSeen: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(1),
    value: doublePrecision(),
    limit: doublePrecision(),
    messageKey: text().notNull(),
    params: jsonb().$type<Record<string, string | number>>().notNull().default({}),
    escalationLevel: integer().notNull().default(0),
    escalatedAt: timestamp({ withTimezone: true }),
    acknowledgedBy: uuid().references(() => users.id),
    acknowledgedAt: timestamp({ withTimezone: true }),
    clearedBy: uuid().references(() => users.id),
    clearedAt: timestamp({ withTimezone: true }),
    note: text(),
    /** W-31: the recommendations as shown when the alert opened (kk/ru/en), kept even if the catalogue changes. */
    recommendations: jsonb().$type<unknown>(),
  },
  (t) => [
    uniqueIndex('water_alerts_active_uq')
      .on(t.type, t.objectId, sql`coalesce(${t.deviceId}, '00000000-0000-0000-0000-000000000000'::uuid)`)
      .where(sql`${t.status} <> 'cleared'`),
    index('water_alerts_object_idx').on(t.objectId),
    index('water_alerts_status_idx').on(t.status, t.lastSeen),
  ],
);

/**
 * W-33: a correction of one reading. The readings row keeps its original value (and gets FLAG.CORRECTED);
 * the effective value of a reading is its latest correction, else the original.
 */
export const readingCorrections = pgTable(
  'reading_corrections',
  {
    id: uuid().primaryKey().defaultRandom(),
    deviceId: uuid()
      .notNull()
      .references(() => devices.id),
    metric: text().notNull(),
    ts: timestamp({ withTimezone: true }).notNull(),
    originalValue: doublePrecision().notNull(),
    correctedValue: doublePrecision().notNull(),
    reason: text().notNull(),
    authorUserId: uuid()
      .notNull()
      .references(() => users.id),
    signatureId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('reading_corrections_reading_idx').on(t.deviceId, t.metric, t.ts, t.createdAt)],
);

/** W-12: periodic figures of a water entity for a month, versioned (a resubmission is the next version). */
export const waterFigures = pgTable(
  'water_figures',
  {
    id: uuid().primaryKey().defaultRandom(),
    entityId: uuid()
      .notNull()
      .references(() => waterEntities.id),
    /** The first day of the month (YYYY-MM-01). */
    period: date({ mode: 'string' }).notNull(),
    version: integer().notNull(),
    productionM3: doublePrecision().notNull(),
    supplyM3: doublePrecision().notNull(),
    distributionM3: doublePrecision().notNull(),
    consumptionM3: doublePrecision().notNull(),
    signatureId: uuid().notNull(),
    submittedBy: uuid()
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('water_figures_version_uq').on(t.entityId, t.period, t.version)],
);

/** W-3: users' ratings and comments on the services. */
export const feedback = pgTable(
  'feedback',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    service: text().notNull(),
    rating: smallint().notNull(),
    comment: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('feedback_service_idx').on(t.service, t.createdAt), check('feedback_rating_range', sql`${t.rating} between 1 and 5`)],
);

export const waterScopeLevel = pgEnum('water_scope_level', ['national', 'region', 'entity']);

/** W-16 / X-11: what part of the water data a user may see. */
export const waterUserScopes = pgTable(
  'water_user_scopes',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    level: waterScopeLevel().notNull(),
    regionId: uuid().references(() => regions.id),
    entityId: uuid().references(() => waterEntities.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('water_user_scopes_user_idx').on(t.userId),
    check(
      'water_user_scopes_target',
      sql`(${t.level} = 'national' and ${t.regionId} is null and ${t.entityId} is null)
        or (${t.level} = 'region' and ${t.regionId} is not null and ${t.entityId} is null)
        or (${t.level} = 'entity' and ${t.entityId} is not null)`,
    ),
  ],
);
