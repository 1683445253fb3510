/**
 * The working calendar and the registration date (E-18), as pure functions over the table of
 * exceptions. Monday–Friday are working days unless the table says otherwise: a 'holiday' or
 * 'transferred_day_off' is not worked, a 'working_weekend' (a Saturday or Sunday moved by decree) is.
 *
 * Dates are Astana dates 'YYYY-MM-DD'. For speed the constructor precomputes, over a window of years that
 * covers every exception, a working-day bitmap, prefix sums and "next working day" jumps, so that
 * registrationDate is a few array reads (1,000,000 calls well under a second). Outside the window only the
 * weekday rule applies (there are no exceptions there), computed by stepping.
 */
import {
  DAY_MS,
  dayNumber,
  isoOfDay,
  toLocalMs,
  weekdayOfDay,
  type IsoDate,
} from './astana';
import type { Explanation, NonWorkingReason, SkippedDay } from './explain';

export type CalendarExceptionKind = 'holiday' | 'transferred_day_off' | 'working_weekend';
export const CALENDAR_EXCEPTION_KINDS = ['holiday', 'transferred_day_off', 'working_weekend'] as const;

export type CalendarException = {
  date: IsoDate;
  kind: CalendarExceptionKind;
  name: string;
  preliminary?: boolean;
};

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'transferred_day_off' | 'working_weekend';

export type DayInfo = {
  date: IsoDate;
  working: boolean;
  reason: DayReason;
  name?: string;
  /** The exception is official data not yet confirmed by the operator. */
  preliminary?: boolean;
};

/**
 * E-18 cases: '1' working day before 14:00 → that day; '2' working day from 14:00 → next working day;
 * '3' non-working day → next working day; 'review' / 'review_non_working' documents certified during the
 * review on a working / non-working day.
 */
export type RegistrationCase = '1' | '2' | '3' | 'review' | 'review_non_working';

export type RegistrationResult = {
  /** The registration date (Astana). */
  date: IsoDate;
  /** For documents sent during the review: the actual instant of their EDS certification. */
  instant?: Date;
  case: RegistrationCase;
  explanation: Explanation;
};

/** E-18: the cut-off on a working day, 14:00 Astana time. */
const CUTOFF_MS = 14 * 3_600_000;
const WINDOW_FIRST = dayNumber('2020-01-01');
const WINDOW_LAST = dayNumber('2040-12-31');

type CachedStep = { date: IsoDate; skipped: readonly SkippedDay[] };

export class WorkingCalendar {
  /** The exceptions, sorted by date. */
  readonly exceptions: readonly CalendarException[];
  private readonly byDay = new Map<number, CalendarException>();
  private readonly first: number;
  private readonly last: number;
  /** 1 = working, per day of the window. */
  private readonly working: Uint8Array;
  /** cum[i] = working days in [first, first + i). */
  private readonly cum: Int32Array;
  /** The first working day on or after first + i. */
  private readonly onOrAfter: Int32Array;
  private readonly isoCache: (IsoDate | undefined)[];
  private readonly stepCache = new Map<number, CachedStep>();

  constructor(exceptions: readonly CalendarException[]) {
    const sorted = [...exceptions].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    let first = WINDOW_FIRST;
    let last = WINDOW_LAST;
    for (const e of sorted) {
      const d = dayNumber(e.date);
      if (this.byDay.has(d)) throw new RangeError(`the working calendar has two entries for ${e.date}`);
      this.byDay.set(d, Object.freeze({ ...e }));
      if (d - 366 < first) first = d - 366;
      if (d + 366 > last) last = d + 366;
    }
    this.exceptions = Object.freeze(sorted.map((e) => this.byDay.get(dayNumber(e.date))!));
    this.first = first;
    this.last = last;
    const size = last - first + 1;
    this.working = new Uint8Array(size);
    this.cum = new Int32Array(size + 1);
    for (let i = 0; i < size; i++) {
      const w = this.computeWorking(first + i) ? 1 : 0;
      this.working[i] = w;
      this.cum[i + 1] = this.cum[i] + w;
    }
    this.onOrAfter = new Int32Array(size);
    let next = last + 1;
    while (weekdayOfDay(next) > 5) next++; // no exceptions beyond the window
    for (let i = size - 1; i >= 0; i--) {
      if (this.working[i]) next = first + i;
      this.onOrAfter[i] = next;
    }
    this.isoCache = new Array<IsoDate | undefined>(size);
  }

  static empty(): WorkingCalendar {
    return new WorkingCalendar([]);
  }

  private computeWorking(day: number): boolean {
    const e = this.byDay.get(day);
    if (e) return e.kind === 'working_weekend';
    return weekdayOfDay(day) <= 5;
  }

  // ---- day-number API (used by business hours and deadlines) ----

  isWorkingDayNumber(day: number): boolean {
    const i = day - this.first;
    if (i >= 0 && day <= this.last) return this.working[i] === 1;
    return weekdayOfDay(day) <= 5;
  }

  /** The first working day on or after a day number. */
  onOrAfterNumber(day: number): number {
    const i = day - this.first;
    if (i >= 0 && day <= this.last) return this.onOrAfter[i];
    let d = day;
    while (!this.isWorkingDayNumber(d)) d++;
    return d;
  }

  iso(day: number): IsoDate {
    const i = day - this.first;
    if (i >= 0 && day <= this.last) return (this.isoCache[i] ??= isoOfDay(day));
    return isoOfDay(day);
  }

  /** Why a day number is or is not worked. */
  reasonOfDay(day: number): { working: boolean; reason: DayReason; name?: string; preliminary?: boolean } {
    const e = this.byDay.get(day);
    if (e) return { working: e.kind === 'working_weekend', reason: e.kind, name: e.name, ...(e.preliminary ? { preliminary: true } : {}) };
    return weekdayOfDay(day) <= 5 ? { working: true, reason: 'weekday' } : { working: false, reason: 'weekend' };
  }

  /** The non-working days in [fromDay, toDay), each with its reason. */
  skippedBetween(fromDay: number, toDay: number): SkippedDay[] {
    const out: SkippedDay[] = [];
    for (let d = fromDay; d < toDay; d++) {
      if (this.isWorkingDayNumber(d)) continue;
      const r = this.reasonOfDay(d);
      out.push(r.name ? { date: this.iso(d), reason: r.reason as NonWorkingReason, name: r.name } : { date: this.iso(d), reason: r.reason as NonWorkingReason });
    }
    return out;
  }

  // ---- date API ----

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDayNumber(dayNumber(date));
  }

  dayInfo(date: IsoDate): DayInfo {
    return { date, ...this.reasonOfDay(dayNumber(date)) };
  }

  /** The exception row of a date, if any. */
  exceptionOn(date: IsoDate): CalendarException | undefined {
    return this.byDay.get(dayNumber(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.iso(this.onOrAfterNumber(dayNumber(date) + 1));
  }

  /** `date` itself if it is a working day, otherwise the next working day. */
  workingDayOnOrAfter(date: IsoDate): IsoDate {
    return this.iso(this.onOrAfterNumber(dayNumber(date)));
  }

  /**
   * Adds working days, counting from the day after `date` (a term starts the day after the event):
   * - n = 0: `date` itself when it is a working day, otherwise the next working day;
   * - n ≥ 1: the n-th working day strictly after `date` (whether or not `date` itself is worked).
   * So addWorkingDays('2024-05-03' (Fri), 1) = '2024-05-04' (a working Saturday).
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    return this.iso(this.addWorkingDaysNumber(dayNumber(date), n));
  }

  addWorkingDaysNumber(day: number, n: number): number {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`addWorkingDays: n must be a whole number ≥ 0, got ${n}`);
    if (n === 0) return this.onOrAfterNumber(day);
    let d = this.onOrAfterNumber(day + 1);
    for (let k = 1; k < n; k++) d = this.onOrAfterNumber(d + 1);
    return d;
  }

  /**
   * The number of working days in (a, b]: after `a`, up to and including `b`; negative when b < a.
   * The inverse of addWorkingDays: workingDaysBetween(d, addWorkingDays(d, n)) === n for every n ≥ 1, and
   * for n = 0 when d is a working day.
   */
  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    return this.workingDaysBetweenNumber(dayNumber(a), dayNumber(b));
  }

  workingDaysBetweenNumber(a: number, b: number): number {
    if (b < a) return -this.workingDaysBetweenNumber(b, a);
    if (a >= this.first && b <= this.last) return this.cum[b + 1 - this.first] - this.cum[a + 1 - this.first];
    let count = 0;
    for (let d = a + 1; d <= b; d++) if (this.isWorkingDayNumber(d)) count++;
    return count;
  }

  /** The exceptions of one year. */
  exceptionsInYear(year: number): CalendarException[] {
    const prefix = `${year}-`;
    return this.exceptions.filter((e) => e.date.startsWith(prefix));
  }

  // ---- E-18 ----

  /** The next working day after `day`, with the non-working days from `day` up to it (cached per day). */
  private stepFrom(day: number): CachedStep {
    let s = this.stepCache.get(day);
    if (!s) {
      const to = this.onOrAfterNumber(day + 1);
      s = Object.freeze({ date: this.iso(to), skipped: Object.freeze(this.skippedBetween(day, to)) });
      this.stepCache.set(day, s);
    }
    return s;
  }

  /**
   * E-18 (003 §18): the registration date of an application received at `receivedAt`, by Astana time:
   * (1) a working day 00:00–13:59:59.999 → that day; (2) a working day from 14:00:00 → the next working day;
   * (3) a non-working day → the next working day.
   */
  registrationDate(receivedAt: Date): RegistrationResult {
    const ms = receivedAt.getTime();
    if (ms !== ms) throw new RangeError('registrationDate: Invalid Date');
    const local = toLocalMs(ms);
    const day = Math.floor(local / DAY_MS);
    if (this.isWorkingDayNumber(day)) {
      if (local - day * DAY_MS < CUTOFF_MS) {
        const date = this.iso(day);
        return { date, case: '1', explanation: { rule: 'E-18', key: 'e18.case1', params: { receivedAt, date } } };
      }
      const s = this.stepFrom(day);
      return { date: s.date, case: '2', explanation: { rule: 'E-18', key: 'e18.case2', params: { receivedAt, date: s.date }, skipped: s.skipped } };
    }
    const s = this.stepFrom(day);
    const first = s.skipped[0];
    return {
      date: s.date,
      case: '3',
      explanation: {
        rule: 'E-18',
        key: 'e18.case3',
        params: { receivedAt, date: s.date, dayReason: first?.reason, dayName: first?.name },
        skipped: s.skipped,
      },
    };
  }

  /**
   * E-18, last paragraph: documents the applicant sends during the review are registered at the actual
   * time of their EDS certification (`instant` = certifiedAt, `date` its Astana date); certified on a
   * non-working day, they take the date of the next working day (`instant` still records the actual time).
   */
  registrationDateDuringReview(certifiedAt: Date): RegistrationResult {
    const ms = certifiedAt.getTime();
    if (ms !== ms) throw new RangeError('registrationDateDuringReview: Invalid Date');
    const day = Math.floor(toLocalMs(ms) / DAY_MS);
    const instant = new Date(ms);
    if (this.isWorkingDayNumber(day)) {
      const date = this.iso(day);
      return { date, instant, case: 'review', explanation: { rule: 'E-18', key: 'e18.review', params: { certifiedAt: instant, date } } };
    }
    const s = this.stepFrom(day);
    const first = s.skipped[0];
    return {
      date: s.date,
      instant,
      case: 'review_non_working',
      explanation: {
        rule: 'E-18',
        key: 'e18.review_non_working',
        params: { certifiedAt: instant, date: s.date, dayReason: first?.reason, dayName: first?.name },
        skipped: s.skipped,
      },
    };
  }
}
