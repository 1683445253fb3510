import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { regions, waterObjects } from './water';

/**
 * Weather and imported history for the demand forecast (issue 6 part 5, W-19, W-25, W-28): hourly weather per
 * region (observed and forecast), hourly demand history imported from CSV, and the journal of imports.
 */

export const waterImportKind = pgEnum('water_import_kind', ['history', 'weather']);
export const waterWeatherKind = pgEnum('water_weather_kind', ['observed', 'forecast']);
export const waterHistoryMetric = pgEnum('water_history_metric', ['flow', 'consumption']);

/** One CSV import (accepted or refused), with its counts and the reasons of the refused lines. */
export const waterImports = pgTable(
  'water_imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: waterImportKind().notNull(),
    fileName: text(),
    sha256: text().notNull(),
    bytes: integer().notNull(),
    lines: integer().notNull(),
    /** 'applied': every line valid and written; 'refused': at least one invalid line, nothing written. */
    status: text().notNull(),
    inserted: integer().notNull().default(0),
    updated: integer().notNull().default(0),
    unchanged: integer().notNull().default(0),
    duplicates: integer().notNull().default(0),
    /** The first refused lines: { line, field, code, message }. */
    errors: jsonb().$type<unknown[]>().notNull().default([]),
    errorCount: integer().notNull().default(0),
    importedBy: uuid()
      .notNull()
      .references(() => users.id),
    importedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('water_imports_by_user').on(t.importedBy, t.importedAt), check('water_imports_status', sql`${t.status} in ('applied', 'refused')`)],
);

/**
 * Hourly weather of a region: `observed` (history) and `forecast` (the hours ahead). `ts` is the start of the hour
 * (UTC); temperature in °C, precipitation in mm fallen during the hour.
 */
export const waterWeather = pgTable(
  'water_weather',
  {
    regionId: uuid()
      .notNull()
      .references(() => regions.id),
    kind: waterWeatherKind().notNull(),
    ts: timestamp({ withTimezone: true }).notNull(),
    temperatureC: doublePrecision().notNull(),
    precipitationMm: doublePrecision().notNull(),
    /** 'demo' (the simulator's weather), 'import' (CSV) or another connected source. */
    source: text().notNull(),
    importId: uuid().references(() => waterImports.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.kind, t.ts] }),
    check('water_weather_whole_hour', sql`extract(epoch from ${t.ts})::bigint % 3600 = 0`),
    check('water_weather_ranges', sql`${t.temperatureC} between -80 and 70 and ${t.precipitationMm} between 0 and 500`),
  ],
);

/**
 * Hourly demand history of an object imported from CSV (e.g. from the utility's former SCADA): the volume in the
 * hour in m³ (= the mean flow in m³/h). The forecast reads it where the meters' hourly rollups have no data.
 */
export const waterHistoryHourly = pgTable(
  'water_history_hourly',
  {
    objectId: uuid()
      .notNull()
      .references(() => waterObjects.id),
    metric: waterHistoryMetric().notNull(),
    ts: timestamp({ withTimezone: true }).notNull(),
    volumeM3: doublePrecision('volume_m3').notNull(),
    importId: uuid()
      .notNull()
      .references(() => waterImports.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.objectId, t.metric, t.ts] }),
    check('water_history_whole_hour', sql`extract(epoch from ${t.ts})::bigint % 3600 = 0`),
    check('water_history_non_negative', sql`${t.volumeM3} >= 0`),
  ],
);
