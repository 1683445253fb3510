import { boolean, date, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** exceptions to the Monday–Friday week. A date not in this table follows the weekday rule. */
export const calendarDayKind = pgEnum('calendar_day_kind', ['holiday', 'transferred_day_off', 'working_weekend']);

export const calendarDays = pgTable('calendar_days', {
  /** The Astana-time calendar date. */
  date: date({ mode: 'string' }).primaryKey(),
  kind: calendarDayKind().notNull(),
  name: text().notNull(),
  /** Official data not yet confirmed (e.g. Kurban Ait of a coming year). */
  preliminary: boolean().notNull().default(false),
  /** Why the operator added or changed this day (decree, order). */
  reason: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid(),
});

/**
 * X-2, I-4: support hours per system, as weekly intervals in Astana time on working days, e.g.
 * [{ "start": "09:00", "end": "12:30" }, { "start": "14:00", "end": "18:30" }].
 */
export const supportCalendars = pgTable('support_calendars', {
  system: text().primaryKey(),
  name: text().notNull(),
  intervals: jsonb().$type<{ start: string; end: string }[]>().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid(),
});
