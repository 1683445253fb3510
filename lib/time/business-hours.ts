/**
 * Support hours (X-2, I-4): a per-system set of daily intervals in Astana time, open on the working days of a
 * WorkingCalendar (working weekend days count, holidays and transferred days off are closed). Working-time
 * arithmetic in minutes skips nights, breaks, weekends and holidays.
 */
import { astanaDayNumber, astanaMsOfDay, DAY_MS, fromLocalMs, timeOfDayMs } from './astana';
import type { WorkingCalendar } from './calendar';
import type { Explanation } from './explain';

export type SupportInterval = { start: string; end: string };

/** 003 §59: the expertise portal answers 09:00–18:30 with lunch 12:30–14:00. */
export const EXPERTISE_SUPPORT_HOURS: readonly SupportInterval[] = Object.freeze([
  { start: '09:00', end: '12:30' },
  { start: '14:00', end: '18:30' },
]);
/** 004 §19: the procurement platform answers 09:00–18:30. */
export const PROCUREMENT_SUPPORT_HOURS: readonly SupportInterval[] = Object.freeze([{ start: '09:00', end: '18:30' }]);

/** Checks intervals: 'HH:mm', start < end, sorted and not overlapping. Returns a message or null. */
export function supportIntervalsProblem(intervals: readonly SupportInterval[]): string | null {
  if (intervals.length === 0) return 'at least one interval is needed';
  let prevEnd = -1;
  for (const [i, iv] of intervals.entries()) {
    let s: number;
    let e: number;
    try {
      s = timeOfDayMs(iv.start);
      e = timeOfDayMs(iv.end);
    } catch (err) {
      return `interval ${i + 1}: ${(err as Error).message}`;
    }
    if (s >= e) return `interval ${i + 1}: the start must be before the end`;
    if (s < prevEnd) return `interval ${i + 1}: intervals must be in order and must not overlap`;
    prevEnd = e;
  }
  return null;
}

export type IncidentDueCase = 'open' | 'break' | 'after_hours';
export type IncidentDue = { due: Date; case: IncidentDueCase; explanation: Explanation };

export class SupportCalendar {
  readonly intervals: readonly SupportInterval[];
  /** [start, end) in ms since Astana midnight. */
  private readonly ranges: readonly (readonly [number, number])[];
  private readonly dailyMs: number;

  constructor(
    readonly calendar: WorkingCalendar,
    intervals: readonly SupportInterval[],
    readonly system?: string,
  ) {
    const problem = supportIntervalsProblem(intervals);
    if (problem) throw new RangeError(`support calendar${system ? ` '${system}'` : ''}: ${problem}`);
    this.intervals = Object.freeze(intervals.map((iv) => Object.freeze({ start: iv.start, end: iv.end })));
    this.ranges = intervals.map((iv) => [timeOfDayMs(iv.start), timeOfDayMs(iv.end)] as const);
    this.dailyMs = this.ranges.reduce((sum, [s, e]) => sum + (e - s), 0);
  }

  /** The same hours over another working calendar (for recomputing after a calendar change). */
  withCalendar(calendar: WorkingCalendar): SupportCalendar {
    return new SupportCalendar(calendar, this.intervals, this.system);
  }

  /** Open at this instant: a working day and inside an interval [start, end). */
  isOpen(instant: Date): boolean {
    const ms = instant.getTime();
    if (!this.calendar.isWorkingDayNumber(astanaDayNumber(ms))) return false;
    const t = astanaMsOfDay(ms);
    return this.ranges.some(([s, e]) => t >= s && t < e);
  }

  /** The instant itself when open, otherwise the next instant support opens. */
  nextOpening(instant: Date): Date {
    const ms = instant.getTime();
    if (this.isOpen(instant)) return new Date(ms);
    let day = astanaDayNumber(ms);
    if (this.calendar.isWorkingDayNumber(day)) {
      for (const [s] of this.ranges) {
        const at = fromLocalMs(day * DAY_MS + s);
        if (at > ms) return new Date(at);
      }
    }
    day = this.calendar.onOrAfterNumber(day + 1);
    return new Date(fromLocalMs(day * DAY_MS + this.ranges[0][0]));
  }

  /**
   * The instant when `minutes` of support time have passed since `start`. 0 minutes → `start` itself.
   * The result can be an interval's end (e.g. 12:30) when the minutes run out exactly there.
   */
  addBusinessMinutes(start: Date, minutes: number): Date {
    if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new RangeError(`addBusinessMinutes: minutes must be ≥ 0, got ${minutes}`);
    return new Date(this.addBusinessMs(start.getTime(), Math.round(minutes * 60_000)));
  }

  addBusinessMs(startMs: number, amountMs: number): number {
    if (amountMs === 0) return startMs;
    let remaining = amountMs;
    let day = astanaDayNumber(startMs);
    if (!this.calendar.isWorkingDayNumber(day)) day = this.calendar.onOrAfterNumber(day);
    for (;;) {
      for (const [s, e] of this.ranges) {
        const end = fromLocalMs(day * DAY_MS + e);
        if (startMs >= end) continue;
        const from = Math.max(startMs, fromLocalMs(day * DAY_MS + s));
        const avail = end - from;
        if (remaining <= avail) return from + remaining;
        remaining -= avail;
      }
      day = this.calendar.onOrAfterNumber(day + 1);
    }
  }

  /** Support time in [a, b) in milliseconds; negative when b < a. */
  businessMsBetween(a: Date | number, b: Date | number): number {
    const am = typeof a === 'number' ? a : a.getTime();
    const bm = typeof b === 'number' ? b : b.getTime();
    if (bm < am) return -this.businessMsBetween(bm, am);
    const da = astanaDayNumber(am);
    const db = astanaDayNumber(bm);
    if (da === db) return this.overlap(da, am, bm);
    // whole working days strictly between the two ends: working days in (da, db − 1]
    const middle = this.calendar.workingDaysBetweenNumber(da, db - 1) * this.dailyMs;
    return this.overlap(da, am, Infinity) + middle + this.overlap(db, -Infinity, bm);
  }

  /** Support minutes in [a, b) (fractional when the ends are not on whole minutes); negative when b < a. */
  businessMinutesBetween(a: Date, b: Date): number {
    return this.businessMsBetween(a, b) / 60_000;
  }

  private overlap(day: number, lo: number, hi: number): number {
    if (!this.calendar.isWorkingDayNumber(day)) return 0;
    let sum = 0;
    for (const [s, e] of this.ranges) {
      const from = Math.max(lo, fromLocalMs(day * DAY_MS + s));
      const to = Math.min(hi, fromLocalMs(day * DAY_MS + e));
      if (to > from) sum += to - from;
    }
    return sum;
  }

  /**
   * I-4 (003 §59–60): a report is registered within 30 minutes of working time. Received during support
   * hours → 30 working minutes later; during the lunch break → within 30 minutes after the break; outside
   * working hours (night, weekend, holiday) → 30 minutes after the next opening.
   */
  incidentRegistrationDue(receivedAt: Date, minutes = 30): IncidentDue {
    const ms = receivedAt.getTime();
    const due = this.addBusinessMinutes(receivedAt, minutes);
    let kind: IncidentDueCase = 'after_hours';
    if (this.isOpen(receivedAt)) kind = 'open';
    else {
      const day = astanaDayNumber(ms);
      const t = astanaMsOfDay(ms);
      const firstStart = this.ranges[0][0];
      const lastEnd = this.ranges[this.ranges.length - 1][1];
      if (this.calendar.isWorkingDayNumber(day) && t >= firstStart && t < lastEnd) kind = 'break';
    }
    const skipped = this.calendar.skippedBetween(astanaDayNumber(ms), astanaDayNumber(due.getTime()));
    return {
      due,
      case: kind,
      explanation: {
        rule: 'I-4',
        key: `i4.${kind}`,
        params: { receivedAt, due, opensAt: this.nextOpening(receivedAt), minutes },
        ...(skipped.length ? { skipped } : {}),
      },
    };
  }
}
