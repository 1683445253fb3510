/**
 * W-23 normalisation (pure): one canonical unit per metric, every instant in UTC, and validation of a raw
 * reading with a reason per field. No I/O, no clock: callers pass `now`.
 */

export const METRICS = {
  flow: { unit: 'm3/h' },
  pressure: { unit: 'bar' },
  level: { unit: 'm' },
  voltage: { unit: 'V' },
  power: { unit: 'kW' },
  volume: { unit: 'm3' },
  turbidity: { unit: 'NTU' },
  chlorine: { unit: 'mg/l' },
  ph: { unit: 'pH' },
} as const;

export type Metric = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as Metric[];

export function isMetric(m: unknown): m is Metric {
  return typeof m === 'string' && Object.prototype.hasOwnProperty.call(METRICS, m);
}

/**
 * Accepted spellings per metric → factor to the canonical unit. Matching is exact (not case-folded) because
 * case carries meaning: MW is a megawatt, mW a milliwatt.
 */
const UNITS: Record<Metric, Record<string, number>> = {
  flow: {
    'm3/h': 1, 'm³/h': 1, 'm3/hr': 1, 'm^3/h': 1,
    'l/s': 3.6, 'L/s': 3.6,
    'm3/s': 3600, 'm³/s': 3600,
    'l/min': 0.06, 'L/min': 0.06,
    'l/h': 0.001, 'L/h': 0.001,
  },
  pressure: {
    bar: 1,
    kPa: 0.01, kpa: 0.01,
    MPa: 10, mpa: 10,
    Pa: 1e-5,
    psi: 0.0689475729316836, PSI: 0.0689475729316836,
    mH2O: 0.0980665, mh2o: 0.0980665, 'm H2O': 0.0980665, mwc: 0.0980665,
  },
  level: { m: 1, cm: 0.01, mm: 0.001 },
  voltage: { V: 1, v: 1, kV: 1000, kv: 1000 },
  power: { kW: 1, kw: 1, W: 0.001, w: 0.001, MW: 1000 },
  volume: { m3: 1, 'm³': 1, 'm^3': 1, l: 0.001, L: 0.001 },
  turbidity: { NTU: 1, ntu: 1 },
  chlorine: { 'mg/l': 1, 'mg/L': 1, ppm: 1 },
  ph: { pH: 1, ph: 1, '': 1 },
};

/** The factor that converts `unit` to the canonical unit of `metric`, or null when it is not convertible. */
export function unitFactor(metric: Metric, unit: string): number | null {
  const table = UNITS[metric];
  return Object.prototype.hasOwnProperty.call(table, unit) ? table[unit] : null;
}

/** Converts a value to the metric's canonical unit; null when the unit does not fit the metric. */
export function toCanonical(metric: Metric, value: number, unit: string): number | null {
  const f = unitFactor(metric, unit);
  return f === null ? null : f === 1 ? value : value * f;
}

// ISO 8601 with an explicit zone: 2025-03-01T10:00:00+05:00, …Z, …+0500; fractions of any length.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?)?$/;

export type TimeResult = { ok: true; ms: number } | { ok: false; reason: 'ts_missing' | 'ts_unparseable' | 'ts_zone_missing' };

/**
 * Parses a reading's time to epoch milliseconds (UTC): an ISO 8601 string that names its zone, or a number of
 * epoch milliseconds. A local time without a zone is refused (we cannot know where the device stood).
 * Sub-millisecond digits are truncated.
 */
export function parseTime(ts: unknown): TimeResult {
  if (ts === undefined || ts === null || ts === '') return { ok: false, reason: 'ts_missing' };
  if (typeof ts === 'number') {
    if (!Number.isFinite(ts) || !Number.isInteger(ts) || Math.abs(ts) > 8.64e15) return { ok: false, reason: 'ts_unparseable' };
    return { ok: true, ms: ts };
  }
  if (typeof ts !== 'string' || ts.length > 64) return { ok: false, reason: 'ts_unparseable' };
  const fast = parseIsoFast(ts);
  if (fast === FAST_BAD) return { ok: false, reason: 'ts_unparseable' };
  if (fast !== FAST_OTHER) return { ok: true, ms: fast };
  return parseIsoRegex(ts);
}

/** Days in a month (1–12); years before 100 go through Date as before (Date.UTC maps them to 19xx). */
function daysIn(year: number, month: number): number {
  if (year < 100) return new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The general ISO 8601 parser (every spelling the API accepts). */
export function parseIsoRegex(ts: string): TimeResult {
  const m = ISO.exec(ts);
  if (!m) return { ok: false, reason: ISO_NO_ZONE.test(ts) ? 'ts_zone_missing' : 'ts_unparseable' };
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = m;
  const year = +y, month = +mo, day = +d, hour = +h, minute = +mi, second = +s;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'ts_unparseable' };
  if (day > daysIn(year, month)) return { ok: false, reason: 'ts_unparseable' };
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2), om = digits.length > 2 ? +digits.slice(2, 4) : 0;
    if (oh > 18 || om > 59) return { ok: false, reason: 'ts_unparseable' };
    offsetMin = sign * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, frac ? +frac.slice(0, 3).padEnd(3, '0') : 0) - offsetMin * 60_000;
  return { ok: true, ms };
}

/** parseIsoFast: the string is not the common shape (use the general parser). */
const FAST_OTHER = -Infinity;
/** parseIsoFast: the common shape, but an impossible date, time or zone. */
const FAST_BAD = Infinity;

/** Two ASCII digits at i as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The shape devices send almost always — `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` — read without a regex or
 * allocation; the same checks and result as parseIsoRegex (a property test holds them equal). Anything else:
 * FAST_OTHER.
 */
function parseIsoFast(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return FAST_OTHER;
  }
  const y1 = two(s, 0), y2 = two(s, 2), month = two(s, 5), day = two(s, 8), hour = two(s, 11), minute = two(s, 14), second = two(s, 17);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return FAST_OTHER;
  let i = 19;
  let frac = 0;
  if (s.charCodeAt(i) === 46) {
    // '.' then one or more digits; the first three count (milliseconds), the rest are truncated
    let k = 0;
    for (i++; i < n; i++, k++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (k < 3) frac = frac * 10 + c;
    }
    if (k === 0) return FAST_OTHER;
    if (k === 1) frac *= 100;
    else if (k === 2) frac *= 10;
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i + 1 === n) {
    // Z
  } else if ((z === 43 || z === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = two(s, i + 1), om = two(s, i + 4);
    if (oh < 0 || om < 0) return FAST_OTHER;
    if (oh > 18 || om > 59) return FAST_BAD;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return FAST_OTHER;
  const year = y1 * 100 + y2;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return FAST_BAD;
  if (day > daysIn(year, month)) return FAST_BAD;
  return Date.UTC(year, month - 1, day, hour, minute, second, frac) - offsetMin * 60_000;
}

/** What a device posts (unknown shape until validated). */
export type RawReading = { device?: unknown; metric?: unknown; ts?: unknown; value?: unknown; unit?: unknown };

export type ReadingField = 'reading' | 'device' | 'metric' | 'ts' | 'value' | 'unit';
export type RejectReason =
  | 'not_an_object'
  | 'device_invalid'
  | 'device_missing'
  | 'device_not_allowed'
  | 'device_inactive'
  | 'metric_missing'
  | 'metric_unknown'
  | 'metric_not_measured'
  | 'unit_missing'
  | 'unit_not_convertible'
  | 'ts_missing'
  | 'ts_unparseable'
  | 'ts_zone_missing'
  | 'ts_in_future'
  | 'ts_too_old'
  | 'value_missing'
  | 'value_not_finite';

export type Issue = { field: ReadingField; reason: RejectReason };

/** A reading in canonical form, not yet tied to a device. */
export type NormalReading = {
  device: string | undefined;
  metric: Metric;
  /** epoch milliseconds, UTC */
  ts: number;
  value: number;
  unit: string;
  converted: boolean;
};

export type ValidationOptions = {
  now: Date;
  /** Readings further ahead than this are refused (device clocks drift a little). Default 5 minutes. */
  maxFutureMs?: number;
  /** Readings older than this many days are refused. Default 400 (a year of backfill plus margin). */
  maxAgeDays?: number;
};

export const DEFAULT_MAX_FUTURE_MS = 5 * 60_000;
export const DEFAULT_MAX_AGE_DAYS = 400;

/**
 * Validates and normalises one posted reading. Returns every problem found (one per field), or the reading
 * in canonical units with its instant in epoch ms.
 */
export function normalizeReading(raw: unknown, opts: ValidationOptions): { ok: true; reading: NormalReading } | { ok: false; issues: Issue[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, issues: [{ field: 'reading', reason: 'not_an_object' }] };
  }
  const r = raw as RawReading;
  // Allocated only for a bad reading: this runs for every reading of a 10,000-reading batch.
  let issues: Issue[] | null = null;

  let device: string | undefined;
  const rd = r.device;
  if (rd !== undefined && rd !== null) {
    if (typeof rd !== 'string' || rd.length === 0 || rd.length > 100) (issues ??= []).push({ field: 'device', reason: 'device_invalid' });
    else device = rd;
  }

  let metric: Metric | null = null;
  const rm = r.metric;
  if (rm === undefined || rm === null || rm === '') (issues ??= []).push({ field: 'metric', reason: 'metric_missing' });
  else if (!isMetric(rm)) (issues ??= []).push({ field: 'metric', reason: 'metric_unknown' });
  else metric = rm;

  let factor: number | null = null;
  if (metric) {
    const ru = r.unit;
    if ((ru === undefined || ru === null) && metric !== 'ph') (issues ??= []).push({ field: 'unit', reason: 'unit_missing' });
    else if (ru !== undefined && ru !== null && typeof ru !== 'string') (issues ??= []).push({ field: 'unit', reason: 'unit_not_convertible' });
    else {
      factor = unitFactor(metric, (ru as string | undefined | null) ?? '');
      if (factor === null) (issues ??= []).push({ field: 'unit', reason: 'unit_not_convertible' });
    }
  }

  let ms = 0;
  const rt = r.ts;
  // The common string shape without the TimeResult allocation; everything else through parseTime.
  const fast = typeof rt === 'string' && rt.length <= 64 ? parseIsoFast(rt) : FAST_OTHER;
  const t: TimeResult | null = fast === FAST_OTHER ? parseTime(rt) : fast === FAST_BAD ? { ok: false, reason: 'ts_unparseable' } : null;
  if (t && !t.ok) (issues ??= []).push({ field: 'ts', reason: t.reason });
  else {
    const at = t ? t.ms : fast;
    const nowMs = opts.now.getTime();
    if (at > nowMs + (opts.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS)) (issues ??= []).push({ field: 'ts', reason: 'ts_in_future' });
    else if (at < nowMs - (opts.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS) * 86_400_000) (issues ??= []).push({ field: 'ts', reason: 'ts_too_old' });
    else ms = at;
  }

  let value = 0;
  const rv = r.value;
  if (rv === undefined || rv === null) (issues ??= []).push({ field: 'value', reason: 'value_missing' });
  else if (typeof rv !== 'number' || !Number.isFinite(rv)) (issues ??= []).push({ field: 'value', reason: 'value_not_finite' });
  else value = rv;

  if (issues !== null || metric === null || factor === null) return { ok: false, issues: issues ?? [] };
  const converted = factor !== 1;
  const canonical = converted ? value * factor : value;
  if (!Number.isFinite(canonical)) return { ok: false, issues: [{ field: 'value', reason: 'value_not_finite' }] };
  return { ok: true, reading: { device, metric, ts: ms, value: canonical, unit: METRICS[metric].unit, converted } };
}

/** Human text for each reason (the API returns both the code and this). */
export const REASON_TEXT: Record<RejectReason, string> = {
  not_an_object: 'A reading must be a JSON object {device, metric, ts, value, unit}.',
  device_invalid: 'device must be a device id or serial number (string).',
  device_missing: 'device is required when posting with a gateway key.',
  device_not_allowed: 'This token or key may not write readings for that device.',
  device_inactive: 'The device is suspended or retired.',
  metric_missing: 'metric is required.',
  metric_unknown: `metric must be one of: ${METRIC_NAMES.join(', ')}.`,
  metric_not_measured: 'This kind of device does not measure that metric.',
  unit_missing: 'unit is required.',
  unit_not_convertible: 'unit cannot be converted to the canonical unit of the metric.',
  ts_missing: 'ts is required (ISO 8601 with a zone, or epoch milliseconds).',
  ts_unparseable: 'ts is not a valid ISO 8601 instant or epoch milliseconds.',
  ts_zone_missing: 'ts must name its zone (Z or ±hh:mm).',
  ts_in_future: 'ts is more than 5 minutes in the future.',
  ts_too_old: 'ts is older than the accepted window.',
  value_missing: 'value is required.',
  value_not_finite: 'value must be a finite number.',
};
