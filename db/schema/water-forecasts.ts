import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Precomputed demand forecasts (W-25, W-28): the latest fit per DMA (object) and per utility (entity), written by
 * the periodic job `water.forecasts` (lib/water/jobs.ts) and read by the dashboards and /api/v1/water/forecast,
 * so that no page waits for Prophet. One row per target, replaced by each fit.
 */
export const waterForecasts = pgTable(
  'water_forecasts',
  {
    targetKind: text().notNull(),
    /** A water_objects id (DMA) or a water_entities id (utility); not a foreign key: either table. */
    targetId: uuid().notNull(),
    /** 'ok' or 'insufficient_history'. */
    status: text().notNull(),
    fittedAt: timestamp({ withTimezone: true }).notNull(),
    /** The end (exclusive) of the hourly history the model learnt from. */
    historyEnd: timestamp({ withTimezone: true }).notNull(),
    model: text(),
    /** Whether weather entered the model as regressors. */
    weather: boolean().notNull().default(false),
    mae: doublePrecision(),
    mape: doublePrecision(),
    /** Held-back hours the accuracy was measured on. */
    heldBack: integer(),
    /** Hours of history available (also when insufficient). */
    historyHours: integer().notNull().default(0),
    /** The 168 forecast hours: { ts, value, lower, upper }. */
    forecast: jsonb().$type<{ ts: string; value: number; lower: number; upper: number }[]>().notNull().default([]),
    /** The held-back hours: { ts, actual, forecast }. */
    backtest: jsonb().$type<{ ts: string; actual: number; forecast: number }[]>().notNull().default([]),
    /** The weather of the forecast hours as used: { ts, temperature, precipitation, source }. */
    weatherUsed: jsonb().$type<{ ts: string; temperature: number; precipitation: number; source: string }[]>().notNull().default([]),
    /** Hours of the forecast's weather per source. */
    weatherSources: jsonb().$type<{ forecast: number; observed: number; climatology: number }>().notNull().default({ forecast: 0, observed: 0, climatology: 0 }),
  },
  (t) => [
    primaryKey({ columns: [t.targetKind, t.targetId] }),
    check('water_forecasts_kind', sql`${t.targetKind} in ('entity', 'object')`),
    check('water_forecasts_status', sql`${t.status} in ('ok', 'insufficient_history')`),
  ],
);
