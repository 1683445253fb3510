/**
 * A deadline is computed, never typed in, and explains itself (DESIGN "Time"): the start, the rule, the unit
 * and amount, every day skipped and why, and the extensions granted. Domains with deadlines register a
 * source so that a calendar change can list (and recompute) the open deadlines it moves.
 */
import type { DbOrTx } from '@/db/client';
import { astanaDayNumber, DAY_MS, fromLocalMs, type IsoDate } from './astana';
import { SupportCalendar } from './business-hours';
import type { WorkingCalendar } from './calendar';
import type { Explanation, SkippedDay } from './explain';

export type DeadlineUnit = 'working_days' | 'calendar_days' | 'business_minutes';

/** The rule the deadline implements: its ID (e.g. 'E-8') and the text key of its wording. */
export type DeadlineRule = { id: string; key: string };

export type DeadlineExtension = {
  by: number;
  unit: DeadlineUnit;
  /** Why the deadline was extended. */
  reason: string;
  /** What granted it (an order, a decision ID). */
  ref?: string | null;
};

export type DeadlineInput = {
  start: Date;
  amount: number;
  unit: DeadlineUnit;
  rule: DeadlineRule;
  extensions?: readonly DeadlineExtension[];
};

export type Deadline = {
  start: Date;
  /** The Astana date of the start. */
  startDate: IsoDate;
  rule: DeadlineRule;
  unit: DeadlineUnit;
  amount: number;
  /** The last instant that is still on time (for day units: 23:59:59.999 Astana of dueDate). */
  due: Date;
  /** The Astana date of `due`. */
  dueDate: IsoDate;
  /** Non-working days stepped over, base term and extensions together, in order. */
  skipped: SkippedDay[];
  extensions: DeadlineExtension[];
  explanation: Explanation;
};

/** Day units need a WorkingCalendar; 'business_minutes' needs a SupportCalendar (which carries one). */
export type DeadlineCalendar = WorkingCalendar | SupportCalendar;

const calendarOf = new WeakMap<Deadline, DeadlineCalendar>();

function workingOf(cal: DeadlineCalendar): WorkingCalendar {
  return cal instanceof SupportCalendar ? cal.calendar : cal;
}

function endOfDay(day: number): number {
  return fromLocalMs((day + 1) * DAY_MS) - 1;
}

type Step = { dueMs: number; skipped: SkippedDay[] };

/** One term (the base or an extension) counted from `fromMs`. */
function step(cal: DeadlineCalendar, fromMs: number, unit: DeadlineUnit, amount: number): Step {
  if (!Number.isInteger(amount) || amount < 0) throw new RangeError(`a deadline amount must be a whole number ≥ 0, got ${amount}`);
  const wc = workingOf(cal);
  const fromDay = astanaDayNumber(fromMs);
  switch (unit) {
    case 'working_days': {
      // counted from the day after the start (see WorkingCalendar.addWorkingDays)
      const day = wc.addWorkingDaysNumber(fromDay, amount);
      return { dueMs: endOfDay(day), skipped: wc.skippedBetween(amount === 0 ? fromDay : fromDay + 1, day) };
    }
    case 'calendar_days': {
      // a term whose last day is not worked ends on the next working day
      const target = fromDay + amount;
      const day = wc.onOrAfterNumber(target);
      return { dueMs: endOfDay(day), skipped: wc.skippedBetween(target, day) };
    }
    case 'business_minutes': {
      if (!(cal instanceof SupportCalendar)) throw new TypeError('a deadline in business minutes needs a SupportCalendar');
      const dueMs = cal.addBusinessMs(fromMs, amount * 60_000);
      return { dueMs, skipped: wc.skippedBetween(fromDay, astanaDayNumber(dueMs)) };
    }
  }
}

/** Computes a deadline: the base term from `start`, then each extension in order from the previous due. */
export function computeDeadline(calendar: DeadlineCalendar, input: DeadlineInput): Deadline {
  const wc = workingOf(calendar);
  const start = new Date(input.start.getTime());
  const base = step(calendar, start.getTime(), input.unit, input.amount);
  let dueMs = base.dueMs;
  const skipped = [...base.skipped];
  const extensions = (input.extensions ?? []).map((e) => ({ ...e }));
  for (const ext of extensions) {
    const s = step(calendar, dueMs, ext.unit, ext.by);
    dueMs = s.dueMs;
    for (const d of s.skipped) if (!skipped.some((x) => x.date === d.date)) skipped.push(d);
  }
  const due = new Date(dueMs);
  const dueDate = wc.iso(astanaDayNumber(dueMs));
  const deadline: Deadline = {
    start,
    startDate: wc.iso(astanaDayNumber(start.getTime())),
    rule: { ...input.rule },
    unit: input.unit,
    amount: input.amount,
    due,
    dueDate,
    skipped,
    extensions,
    explanation: {
      rule: input.rule.id,
      key: `deadline.${input.unit}`,
      params: { amount: input.amount, start, date: dueDate, due, rule: input.rule.id, extensions: extensions.length },
      ...(skipped.length ? { skipped } : {}),
    },
  };
  calendarOf.set(deadline, calendar);
  return deadline;
}

/**
 * The deadline with one more extension, counted from its current due. Uses `calendar` when given,
 * otherwise the calendar the deadline was computed with in this process.
 */
export function extendDeadline(deadline: Deadline, extension: DeadlineExtension, calendar?: DeadlineCalendar): Deadline {
  const cal = calendar ?? calendarOf.get(deadline);
  if (!cal) throw new Error('extendDeadline: pass the calendar for a deadline not computed in this process');
  return computeDeadline(cal, { ...deadline, extensions: [...deadline.extensions, extension] });
}

/** True when two deadlines fall due at different instants. */
export function deadlineMoved(a: Deadline, b: Deadline): boolean {
  return a.due.getTime() !== b.due.getTime();
}

// ---- Open deadlines of later domains -------------------------------------------------------------------

export type OpenDeadline = {
  id: string;
  label: string;
  current: Deadline;
  /** The same deadline computed over another working calendar. */
  recompute: (calendar: WorkingCalendar) => Deadline;
};

export type DeadlineSource = {
  name: string;
  listOpen: (db: DbOrTx) => Promise<OpenDeadline[]>;
};

export type DeadlineMove = { source: string; id: string; label: string; from: Deadline; to: Deadline };

// On globalThis so that every bundle of the app (routes, actions, instrumentation) shares one registry.
const g = globalThis as unknown as { __btDeadlineSources?: Map<string, DeadlineSource> };
const sources = (g.__btDeadlineSources ??= new Map());

/** Registers (or replaces, by name) a source of open deadlines. */
export function registerDeadlineSource(source: DeadlineSource): void {
  sources.set(source.name, source);
}

export function unregisterDeadlineSource(name: string): void {
  sources.delete(name);
}

export function deadlineSources(): DeadlineSource[] {
  return [...sources.values()];
}

async function moves(db: DbOrTx, from: (d: OpenDeadline) => Deadline, after: WorkingCalendar): Promise<DeadlineMove[]> {
  const out: DeadlineMove[] = [];
  for (const source of sources.values()) {
    for (const item of await source.listOpen(db)) {
      const before = from(item);
      const to = item.recompute(after);
      if (deadlineMoved(before, to)) out.push({ source: source.name, id: item.id, label: item.label, from: before, to });
    }
  }
  return out;
}

/** The open deadlines that fall due at another instant under `after` than under `before`. */
export function previewCalendarChange(db: DbOrTx, before: WorkingCalendar, after: WorkingCalendar): Promise<DeadlineMove[]> {
  return moves(db, (item) => item.recompute(before), after);
}

/** The open deadlines whose current due differs from their recomputation under `after`. */
export function deadlinesMovedBy(db: DbOrTx, after: WorkingCalendar): Promise<DeadlineMove[]> {
  return moves(db, (item) => item.current, after);
}
