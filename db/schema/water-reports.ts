import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { regions, waterEntities } from './water';
import { waterAlerts } from './water-ops';

/**
 * W-30 / W-32: the water system's automatic reports, archived unchanged. A row is written once with the
 * figures the files were rendered from and the SHA-256 of each file in the FileStore; a trigger
 * (migration water_reports_append_only) refuses UPDATE and DELETE.
 */
export const waterReportKind = pgEnum('water_report_kind', ['daily', 'monthly', 'urgent']);
export const waterReportLevel = pgEnum('water_report_level', ['local', 'regional', 'national']);

export const waterReports = pgTable(
  'water_reports',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: waterReportKind().notNull(),
    level: waterReportLevel().notNull(),
    /** The region of a regional report (null otherwise). */
    regionId: uuid().references(() => regions.id),
    /** The water entity of a local report (null otherwise). */
    entityId: uuid().references(() => waterEntities.id),
    /** Astana calendar dates, inclusive. */
    periodStart: date({ mode: 'string' }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    /** The critical alert of an urgent report. */
    triggerAlertId: uuid().references(() => waterAlerts.id),
    generatedAt: timestamp({ withTimezone: true }).notNull(),
    /** The figures the files were rendered from. */
    data: jsonb().$type<unknown>().notNull(),
    pdfSha256: text().notNull(),
    pdfSize: integer().notNull(),
    xlsxSha256: text().notNull(),
    xlsxSize: integer().notNull(),
    csvSha256: text().notNull(),
    csvSize: integer().notNull(),
  },
  (t) => [
    // A report is generated once per kind, level, scope and period (and per alert for urgent ones).
    uniqueIndex('water_reports_once_uq').on(
      t.kind,
      t.level,
      sql`coalesce(${t.regionId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`coalesce(${t.entityId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.periodStart,
      t.periodEnd,
      sql`coalesce(${t.triggerAlertId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
    ),
    index('water_reports_list_idx').on(t.periodStart, t.kind),
    index('water_reports_alert_idx').on(t.triggerAlertId),
    check(
      'water_reports_scope',
      sql`(${t.level} = 'national' and ${t.regionId} is null and ${t.entityId} is null)
        or (${t.level} = 'regional' and ${t.regionId} is not null and ${t.entityId} is null)
        or (${t.level} = 'local' and ${t.entityId} is not null)`,
    ),
    check('water_reports_urgent_alert', sql`(${t.kind} = 'urgent') = (${t.triggerAlertId} is not null)`),
    check('water_reports_period', sql`${t.periodStart} <= ${t.periodEnd}`),
  ],
);
