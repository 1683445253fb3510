/**
 * The working calendar and support hours in the database: the one place that reads and writes
 * calendar_days and support_calendars. Every write runs in one transaction with its audit row and
 * returns the open deadlines it moves.
 *
 * Reads are cached per database handle in this process and dropped on every write here. Another process
 * (a second app instance) sees an edit at the latest CACHE_TTL_MS later.
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { ZodType } from 'zod';
import type { DbOrTx } from '@/db/client';
import { calendarDays, supportCalendars } from '@/db/schema';
import { appendAudit, type AuditActor } from '@/lib/audit';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';
import { now } from './clock';
import { SupportCalendar, type SupportInterval } from './business-hours';
import { WorkingCalendar, type CalendarExceptionKind } from './calendar';
import {
  addCalendarDaySchema,
  removeCalendarDaySchema,
  updateCalendarDaySchema,
  updateSupportCalendarSchema,
  type CalendarDayInput,
  type RemoveCalendarDayInput,
  type UpdateSupportCalendarInput,
} from './calendar-schemas';
import { deadlinesMovedBy, type DeadlineMove } from './deadline';

export const CACHE_TTL_MS = 30_000;

export type CalendarDayRow = typeof calendarDays.$inferSelect;
export type SupportCalendarRow = typeof supportCalendars.$inferSelect;
export type CalendarWriteResult = { day: CalendarDayRow | null; moved: DeadlineMove[] };
/** the signature (and request) a signed action gives the store, carried by its audit row. */
export type CalendarWriteOptions = { signatureId?: string | null; requestId?: string | null };

type CacheEntry = {
  at: number;
  working: Promise<WorkingCalendar>;
  support: Map<string, Promise<SupportCalendar | null>>;
};
let cache = new WeakMap<object, CacheEntry>();

/** Drops every cached calendar of this process. */
export function invalidateCalendarCache(): void {
  cache = new WeakMap();
}

function entryFor(db: DbOrTx): CacheEntry {
  const t = performance.now();
  let e = cache.get(db);
  if (!e || t - e.at > CACHE_TTL_MS) {
    const working = readWorkingCalendar(db);
    e = { at: t, working, support: new Map() };
    const mine = e;
    const map = cache;
    map.set(db, e);
    working.catch(() => {
      if (map.get(db) === mine) map.delete(db);
    });
  }
  return e;
}

/** The working calendar read straight from the database (no cache), e.g. inside a transaction. */
export async function readWorkingCalendar(db: DbOrTx): Promise<WorkingCalendar> {
  const rows = await db
    .select({ date: calendarDays.date, kind: calendarDays.kind, name: calendarDays.name, preliminary: calendarDays.preliminary })
    .from(calendarDays);
  return new WorkingCalendar(rows);
}

/** The working calendar (cached in this process; dropped on every calendar write). */
export function loadWorkingCalendar(db: DbOrTx): Promise<WorkingCalendar> {
  return entryFor(db).working;
}

/** The support hours of a system over the working calendar (cached like loadWorkingCalendar). */
export async function loadSupportCalendar(db: DbOrTx, system: string): Promise<SupportCalendar> {
  const e = entryFor(db);
  let p = e.support.get(system);
  if (!p) {
    p = (async () => {
      const [row] = await db.select().from(supportCalendars).where(eq(supportCalendars.system, system));
      return row ? new SupportCalendar(await e.working, row.intervals, row.system) : null;
    })();
    e.support.set(system, p);
    p.catch(() => e.support.delete(system));
  }
  const cal = await p;
  if (!cal) throw new AppError('not_found', `No support hours are set for the system '${system}'.`, undefined, undefined, { system });
  return cal;
}

export async function listCalendarDays(db: DbOrTx, opts: { year?: number } = {}): Promise<CalendarDayRow[]> {
  const q = db.select().from(calendarDays);
  const rows = opts.year
    ? await q.where(and(gte(calendarDays.date, `${opts.year}-01-01`), lte(calendarDays.date, `${opts.year}-12-31`))).orderBy(asc(calendarDays.date))
    : await q.orderBy(asc(calendarDays.date));
  return rows;
}

export async function listSupportCalendars(db: DbOrTx): Promise<SupportCalendarRow[]> {
  return db.select().from(supportCalendars).orderBy(asc(supportCalendars.system));
}

// ---- writes ------------------------------------------------------------------------------------------

function parse<T>(schema: ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError('validation_failed', 'Some fields are not valid.', fieldErrorsFromZod(r.error));
  return r.data;
}

/** The audited picture of a day. */
function snapshot(row: CalendarDayRow | undefined | null) {
  return row ? { date: row.date, kind: row.kind, name: row.name, preliminary: row.preliminary, reason: row.reason } : null;
}

async function afterWrite<T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => work(tx));
  } finally {
    invalidateCalendarCache();
  }
}

async function movedIn(tx: DbOrTx): Promise<DeadlineMove[]> {
  return deadlinesMovedBy(tx, await readWorkingCalendar(tx));
}

/** Adds an exception day. 'calendar_day_exists' when the date is already in the table. */
export async function addCalendarDay(
  db: DbOrTx,
  actor: AuditActor | null,
  input: CalendarDayInput,
  opts: CalendarWriteOptions = {},
): Promise<CalendarWriteResult> {
  const v = parse(addCalendarDaySchema, input);
  return afterWrite(db, async (tx) => {
    const [row] = await tx
      .insert(calendarDays)
      .values({
        date: v.date,
        kind: v.kind as CalendarExceptionKind,
        name: v.name,
        preliminary: v.preliminary,
        reason: v.reason,
        updatedAt: now(),
        updatedBy: actor?.userId ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      throw new AppError('calendar_day_exists', `The calendar already has an entry for ${v.date}.`, { date: 'already in the calendar' }, undefined, { date: v.date });
    }
    await appendAudit(tx, { actor, action: 'calendar.day.add', entityType: 'calendar_day', entityId: v.date, basis: v.reason, signatureId: opts.signatureId, requestId: opts.requestId, before: null, after: snapshot(row) });
    return { day: row, moved: await movedIn(tx) };
  });
}

async function lockDay(tx: DbOrTx, date: string): Promise<CalendarDayRow> {
  const [row] = await tx.select().from(calendarDays).where(eq(calendarDays.date, date)).for('update');
  if (!row) throw new AppError('calendar_day_not_found', `The calendar has no entry for ${date}.`, undefined, undefined, { date });
  return row;
}

/** Changes the kind, name or preliminary flag of the day at `date`. 'calendar_day_not_found' when absent. */
export async function updateCalendarDay(
  db: DbOrTx,
  actor: AuditActor | null,
  input: CalendarDayInput,
  opts: CalendarWriteOptions = {},
): Promise<CalendarWriteResult> {
  const v = parse(updateCalendarDaySchema, input);
  return afterWrite(db, async (tx) => {
    const before = await lockDay(tx, v.date);
    const [row] = await tx
      .update(calendarDays)
      .set({ kind: v.kind, name: v.name, preliminary: v.preliminary, reason: v.reason, updatedAt: now(), updatedBy: actor?.userId ?? null })
      .where(eq(calendarDays.date, v.date))
      .returning();
    await appendAudit(tx, { actor, action: 'calendar.day.update', entityType: 'calendar_day', entityId: v.date, basis: v.reason, signatureId: opts.signatureId, requestId: opts.requestId, before: snapshot(before), after: snapshot(row) });
    return { day: row, moved: await movedIn(tx) };
  });
}

/** Removes the day at `date` (it falls back to the weekday rule). 'calendar_day_not_found' when absent. */
export async function removeCalendarDay(
  db: DbOrTx,
  actor: AuditActor | null,
  input: RemoveCalendarDayInput,
  opts: CalendarWriteOptions = {},
): Promise<CalendarWriteResult> {
  const v = parse(removeCalendarDaySchema, input);
  return afterWrite(db, async (tx) => {
    const before = await lockDay(tx, v.date);
    await tx.delete(calendarDays).where(eq(calendarDays.date, v.date));
    await appendAudit(tx, { actor, action: 'calendar.day.remove', entityType: 'calendar_day', entityId: v.date, basis: v.reason, signatureId: opts.signatureId, requestId: opts.requestId, before: snapshot(before), after: null });
    return { day: null, moved: await movedIn(tx) };
  });
}

/** Sets a system's support hours (creating the system's row when new; a new row needs a name). */
export async function updateSupportCalendar(db: DbOrTx, actor: AuditActor | null, input: UpdateSupportCalendarInput): Promise<SupportCalendarRow> {
  const v = parse(updateSupportCalendarSchema, input);
  return afterWrite(db, async (tx) => {
    const [before] = await tx.select().from(supportCalendars).where(eq(supportCalendars.system, v.system)).for('update');
    const intervals: SupportInterval[] = v.intervals.map((i) => ({ start: i.start, end: i.end }));
    let row: SupportCalendarRow;
    if (before) {
      [row] = await tx
        .update(supportCalendars)
        .set({ name: v.name ?? before.name, intervals, updatedAt: now(), updatedBy: actor?.userId ?? null })
        .where(eq(supportCalendars.system, v.system))
        .returning();
    } else {
      if (!v.name) throw new AppError('validation_failed', 'A new support calendar needs a name.', { name: 'name is required' });
      [row] = await tx
        .insert(supportCalendars)
        .values({ system: v.system, name: v.name, intervals, updatedAt: now(), updatedBy: actor?.userId ?? null })
        .returning();
    }
    const pick = (r: SupportCalendarRow | undefined) => (r ? { system: r.system, name: r.name, intervals: r.intervals } : null);
    await appendAudit(tx, { actor, action: 'calendar.support.update', entityType: 'support_calendar', entityId: v.system, basis: v.reason, before: pick(before), after: pick(row) });
    return row;
  });
}
