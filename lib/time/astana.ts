/**
 * Astana time (X-1) as plain arithmetic. Kazakhstan has been on a fixed UTC+5 since 2024-03-01 (before that
 * Astana/Almaty was UTC+6), so converting needs no time-zone database in the hot path: the runtime's data are
 * checked once against this arithmetic when the module loads on the server (lib/time/zone.ts).
 *
 * Calendar dates are ISO strings 'YYYY-MM-DD' (an Astana date); internally they are "day numbers", days since
 * 1970-01-01, which the working calendar uses for speed.
 */
import { ASTANA_OFFSET_MINUTES, ASTANA_TZ, checkTimeZoneData, runtimeOffsetMinutes } from './zone';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
const OFFSET_MS = ASTANA_OFFSET_MINUTES * 60_000;
/** Before the 2024-03-01 change Astana was UTC+6; the change happened at 2024-03-01 00:00 +06. */
const LEGACY_OFFSET_MS = 6 * 3_600_000;
const CUTOVER_MS = Date.UTC(2024, 1, 29, 18, 0, 0);

/** An Astana calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type AstanaParts = { date: IsoDate; hour: number; minute: number; second: number; weekday: Weekday };

/** The Astana UTC offset, in ms, at an instant. */
export function astanaOffsetMs(instantMs: number): number {
  return instantMs < CUTOVER_MS ? LEGACY_OFFSET_MS : OFFSET_MS;
}

/** Astana wall-clock milliseconds since 1970-01-01 00:00 (local), for an instant. */
export function toLocalMs(instantMs: number): number {
  return instantMs + (instantMs < CUTOVER_MS ? LEGACY_OFFSET_MS : OFFSET_MS);
}

/** The instant of an Astana wall-clock time (local ms). The repeated hour of 29 Feb 2024 resolves to UTC+5. */
export function fromLocalMs(localMs: number): number {
  const t = localMs - OFFSET_MS;
  return t < CUTOVER_MS ? localMs - LEGACY_OFFSET_MS : t;
}

/** Day number (days since 1970-01-01) of the Astana date of an instant. */
export function astanaDayNumber(instantMs: number): number {
  return Math.floor(toLocalMs(instantMs) / DAY_MS);
}

/** Milliseconds since Astana midnight of an instant. */
export function astanaMsOfDay(instantMs: number): number {
  const local = toLocalMs(instantMs);
  return local - Math.floor(local / DAY_MS) * DAY_MS;
}

/** The instant of Astana midnight starting a day number. */
export function dayStartMs(day: number): number {
  return fromLocalMs(day * DAY_MS);
}

/** ISO weekday of a day number. 1970-01-01 was a Thursday. */
export function weekdayOfDay(day: number): Weekday {
  return ((((day + 3) % 7) + 7) % 7) + 1 as Weekday;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of an ISO date; throws on a malformed or impossible date. */
export function dayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${date}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return ms / DAY_MS;
}

/** True for a well-formed, existing ISO date. */
export function isIsoDate(value: string): boolean {
  try {
    dayNumber(value);
    return true;
  } catch {
    return false;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** ISO date of a day number. */
export function isoOfDay(day: number): IsoDate {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function toMs(instant: Date | number): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('not an instant (Invalid Date)');
  return ms;
}

/** The Astana date and wall-clock time of an instant. */
export function astanaParts(instant: Date | number): AstanaParts {
  const ms = toMs(instant);
  const local = toLocalMs(ms);
  const day = Math.floor(local / DAY_MS);
  const sec = Math.floor((local - day * DAY_MS) / 1000);
  return {
    date: isoOfDay(day),
    hour: Math.floor(sec / 3600),
    minute: Math.floor((sec % 3600) / 60),
    second: sec % 60,
    weekday: weekdayOfDay(day),
  };
}

/** The Astana date of an instant. */
export function astanaDateOf(instant: Date | number): IsoDate {
  return isoOfDay(astanaDayNumber(toMs(instant)));
}

/** The instant of Astana midnight at the start of a date. */
export function astanaMidnight(date: IsoDate): Date {
  return new Date(dayStartMs(dayNumber(date)));
}

const HHMM = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Milliseconds since midnight of 'HH:mm' or 'HH:mm:ss' (24:00 allowed as the end of a day). */
export function timeOfDayMs(time: string): number {
  const m = HHMM.exec(time);
  if (!m) throw new RangeError(`not a time of day (HH:mm[:ss]): ${time}`);
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = m[3] ? Number(m[3]) : 0;
  if (mi > 59 || s > 59 || h > 24 || (h === 24 && (mi > 0 || s > 0))) throw new RangeError(`not a time of day: ${time}`);
  return ((h * 60 + mi) * 60 + s) * 1000;
}

/** The instant of an Astana date and wall-clock time, e.g. astanaInstant('2026-11-25', '14:05'). */
export function astanaInstant(date: IsoDate, time: string): Date {
  return new Date(fromLocalMs(dayNumber(date) * DAY_MS + timeOfDayMs(time)));
}

// ---- ISO date helpers ----------------------------------------------------------------------------------

export function addDays(date: IsoDate, n: number): IsoDate {
  return isoOfDay(dayNumber(date) + n);
}

export function weekday(date: IsoDate): Weekday {
  return weekdayOfDay(dayNumber(date));
}

/** -1, 0 or 1. Well-formed ISO dates compare as strings. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Calendar days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

// ---- Formatting ----------------------------------------------------------------------------------------

export type TimeLocale = 'kk' | 'ru' | 'en';

const ZONE_LABEL: Record<TimeLocale, string> = {
  kk: 'Астана уақыты, UTC+5',
  ru: 'время Астаны, UTC+5',
  en: 'Astana, UTC+5',
};
const LEGACY_ZONE_LABEL: Record<TimeLocale, string> = {
  kk: 'Астана уақыты, UTC+6',
  ru: 'время Астаны, UTC+6',
  en: 'Astana, UTC+6',
};

export type FormatAstanaOptions = {
  /** 'datetime' (default), 'date' or 'time'. */
  show?: 'datetime' | 'date' | 'time';
  seconds?: boolean;
  /** Mark the zone, e.g. "(Astana, UTC+5)". Default true: every shown time says which time it is (X-1). */
  zone?: boolean;
};

/** The zone label of a locale, e.g. "время Астаны, UTC+5". */
export function astanaZoneLabel(locale: TimeLocale, at?: Date | number): string {
  const legacy = at !== undefined && toMs(at) < CUTOVER_MS;
  return (legacy ? LEGACY_ZONE_LABEL : ZONE_LABEL)[locale] ?? ZONE_LABEL.en;
}

/**
 * An instant shown in Astana time with the zone marked, e.g. "25.11.2026 14:05 (Astana, UTC+5)",
 * "25.11.2026 14:05 (время Астаны, UTC+5)". The numeric DD.MM.YYYY form is the one used in Kazakhstan in
 * all three languages. Does not depend on the runtime's time zone.
 */
export function formatAstana(instant: Date | number, locale: TimeLocale, opts: FormatAstanaOptions = {}): string {
  const ms = toMs(instant);
  const p = astanaParts(ms);
  const show = opts.show ?? 'datetime';
  const [y, mo, d] = p.date.split('-');
  const datePart = `${d}.${mo}.${y}`;
  const timePart = `${pad2(p.hour)}:${pad2(p.minute)}${opts.seconds ? `:${pad2(p.second)}` : ''}`;
  const body = show === 'date' ? datePart : show === 'time' ? timePart : `${datePart} ${timePart}`;
  return opts.zone === false ? body : `${body} (${astanaZoneLabel(locale, ms)})`;
}

/** An Astana date as DD.MM.YYYY (a date alone carries no zone mark). */
export function formatIsoDate(date: IsoDate): string {
  const [y, mo, d] = date.split('-');
  return `${d}.${mo}.${y}`;
}

// ---- Runtime check -------------------------------------------------------------------------------------

/**
 * Throws when the runtime's time-zone data disagree with the arithmetic above (X-1): a server on stale
 * tzdata would show and store other times than this module computes.
 */
export function assertAstanaTimeZone(): void {
  const problem = checkTimeZoneData();
  if (problem) throw new Error(problem);
  const probe = new Date('2025-06-01T00:00:00Z');
  if (runtimeOffsetMinutes(ASTANA_TZ, probe) * 60_000 !== astanaOffsetMs(probe.getTime())) {
    throw new Error(`lib/time/astana: the fixed offset disagrees with ${ASTANA_TZ} in the runtime's time-zone data.`);
  }
}

// Checked once per server process; browsers only format with the arithmetic, so their tzdata do not matter.
if (typeof window === 'undefined') assertAstanaTimeZone();
