/**
 * Threshold rules per object or device (W-23, W-27, W-35). Each check is pure and returns alert candidates
 * (possibly none); alerts.ts decides whether a candidate opens a new alert or updates the active one.
 */
import { astanaDateOf, astanaParts, daysBetween, type IsoDate } from '@/lib/time/astana';
import type { AlertCandidate, Criticality, Severity } from './types';

type Ref = { objectId?: string | null; deviceId?: string | null };

function candidate(c: Omit<AlertCandidate, 'objectId' | 'deviceId'>, ref: Ref): AlertCandidate {
  return { ...c, objectId: ref.objectId ?? null, deviceId: ref.deviceId ?? null };
}

// ---- Pressure --------------------------------------------------------------------------------------------

export type PressureRule = Ref & {
  /** Observed pressure, bar. */
  value: number;
  minBar: number;
  maxBar: number;
  /** The reading's instant: above the maximum at night it is `night_pressure_high` (a PRV set point issue). */
  at?: number | Date;
  /** Night hours [start, end) Astana (default 00:00–05:00). */
  nightHours?: [number, number];
  /** Below min·(1 − this) is critical (default 0.25: a quarter below the minimum suggests a burst). */
  criticalLowShare?: number;
};

/** Pressure outside [minBar, maxBar]; the bounds themselves are within. */
export function checkPressure(r: PressureRule): AlertCandidate[] {
  if (!(r.minBar <= r.maxBar)) throw new RangeError('pressure bounds: minBar must not exceed maxBar');
  const params = { value: r.value, min: r.minBar, max: r.maxBar, unit: 'bar' };
  if (r.value < r.minBar) {
    const severity: Severity = r.value < r.minBar * (1 - (r.criticalLowShare ?? 0.25)) ? 'critical' : 'warning';
    return [candidate({ type: 'pressure_low', severity, messageKey: 'water.alerts.pressure_low', params, value: r.value, limit: r.minBar }, r)];
  }
  if (r.value > r.maxBar) {
    const [from, to] = r.nightHours ?? [0, 5];
    const night = r.at !== undefined && isWithinHours(r.at, from, to);
    const type = night ? 'night_pressure_high' : 'pressure_high';
    return [candidate({ type, severity: 'warning', messageKey: `water.alerts.${type}`, params, value: r.value, limit: r.maxBar }, r)];
  }
  return [];
}

function isWithinHours(at: number | Date, from: number, to: number): boolean {
  const h = astanaParts(at).hour;
  return from <= to ? h >= from && h < to : h >= from || h < to;
}

// ---- Supply voltage (W-23) -------------------------------------------------------------------------------

export type VoltageRule = Ref & {
  value: number;
  ratedV: number;
  /** Allowed deviation, % of rated (default 10). Exactly the tolerance is within. */
  tolerancePct?: number;
  /** Beyond this deviation % it is critical (default 20). */
  criticalPct?: number;
};

/** W-23: supply voltage beyond ±10 % of rated. Compared as |v − rated|·100 > tol·rated to avoid float drift. */
export function checkVoltage(r: VoltageRule): AlertCandidate[] {
  if (!(r.ratedV > 0)) throw new RangeError('rated voltage must be positive');
  const tol = r.tolerancePct ?? 10;
  const crit = r.criticalPct ?? 20;
  const dev100 = Math.abs(r.value - r.ratedV) * 100;
  if (dev100 <= tol * r.ratedV) return [];
  const deviationPct = Math.round(((r.value - r.ratedV) / r.ratedV) * 1000) / 10;
  return [
    candidate(
      {
        type: 'voltage_deviation',
        severity: dev100 > crit * r.ratedV ? 'critical' : 'warning',
        messageKey: 'water.alerts.voltage_deviation',
        params: { value: r.value, rated: r.ratedV, deviationPct, tolerancePct: tol },
        value: r.value,
        limit: r.value > r.ratedV ? r.ratedV * (1 + tol / 100) : r.ratedV * (1 - tol / 100),
      },
      r,
    ),
  ];
}

// ---- Consumption above the norm (W-23) -------------------------------------------------------------------

export type ConsumptionNorm =
  | { kind: 'per_capita'; litresPerPersonPerDay: number; persons: number }
  | { kind: 'per_connection'; m3PerConnectionPerDay: number; connections: number };

export type ConsumptionRule = Ref & {
  /** Consumption over the period, m³. */
  value: number;
  norm: ConsumptionNorm;
  periodDays: number;
  /** Above limit·this is critical (default 1.5). */
  criticalFactor?: number;
};

/** The normative volume for a period, m³. */
export function consumptionLimit(norm: ConsumptionNorm, periodDays: number): number {
  return norm.kind === 'per_capita'
    ? (norm.litresPerPersonPerDay * norm.persons * periodDays) / 1000
    : norm.m3PerConnectionPerDay * norm.connections * periodDays;
}

/** W-23: consumption above norm × persons/connections × period; exactly the norm is within. */
export function checkConsumption(r: ConsumptionRule): AlertCandidate[] {
  if (!(r.periodDays > 0)) throw new RangeError('periodDays must be positive');
  const limit = consumptionLimit(r.norm, r.periodDays);
  if (!(r.value > limit)) return [];
  const excessPct = limit > 0 ? Math.round(((r.value - limit) / limit) * 1000) / 10 : 100;
  return [
    candidate(
      {
        type: 'consumption_above_norm',
        severity: r.value > limit * (r.criticalFactor ?? 1.5) ? 'critical' : 'warning',
        messageKey: 'water.alerts.consumption_above_norm',
        params: { value: r.value, limit, excessPct, periodDays: r.periodDays },
        value: r.value,
        limit,
      },
      r,
    ),
  ];
}

// ---- Device silence (W-27) -------------------------------------------------------------------------------

/** W-17: the expected reporting interval by criticality, seconds — the same table as lib/water/registry.ts. */
export const EXPECTED_INTERVAL_SEC: Record<Criticality, number> = { critical: 60, high: 300, normal: 900, low: 3600 };

const SILENCE_SEVERITY: Record<Criticality, Severity> = { critical: 'critical', high: 'warning', normal: 'warning', low: 'info' };

export type SilenceRule = Ref & {
  lastReadingAt: number | Date | null;
  at: number | Date;
  criticality: Criticality;
  /** Overrides the interval the criticality gives (an object's own reporting interval). */
  expectedIntervalSec?: number | null;
  /** Silent once the last reading is older than interval × this (default 2: one missed report is tolerated). */
  missedIntervals?: number;
};

/** W-27: a device or object is silent when its last reading is older than its expected interval allows. */
export function checkSilence(r: SilenceRule): AlertCandidate[] {
  const interval = r.expectedIntervalSec && r.expectedIntervalSec > 0 ? r.expectedIntervalSec : EXPECTED_INTERVAL_SEC[r.criticality];
  const limitSec = interval * (r.missedIntervals ?? 2);
  const at = typeof r.at === 'number' ? r.at : r.at.getTime();
  const last = r.lastReadingAt === null ? null : typeof r.lastReadingAt === 'number' ? r.lastReadingAt : r.lastReadingAt.getTime();
  const ageSec = last === null ? null : (at - last) / 1000;
  if (ageSec !== null && ageSec <= limitSec) return [];
  return [
    candidate(
      {
        type: 'device_silent',
        severity: SILENCE_SEVERITY[r.criticality],
        messageKey: last === null ? 'water.alerts.device_never_reported' : 'water.alerts.device_silent',
        params: { criticality: r.criticality, intervalSec: interval, ageSec: ageSec === null ? -1 : Math.round(ageSec) },
        value: ageSec,
        limit: limitSec,
      },
      r,
    ),
  ];
}

// ---- Metrology verification (W-35) -----------------------------------------------------------------------

export type VerificationRule = Ref & {
  /** The next verification date (Astana date), null when unknown. */
  nextDueOn: IsoDate | null;
  /** Today as an Astana date, or an instant (converted to its Astana date). */
  today: IsoDate | number | Date;
  /** Due soon within this many days (default 30). */
  withinDays?: number;
};

/**
 * W-35: overdue once the due date has passed (readings after it are not metrologically valid), due within
 * `withinDays` of it (the due date itself counts as due, not overdue). An unknown date raises nothing here.
 */
export function checkVerification(r: VerificationRule): AlertCandidate[] {
  if (!r.nextDueOn) return [];
  const today = typeof r.today === 'string' ? r.today : astanaDateOf(r.today);
  const within = r.withinDays ?? 30;
  const daysLeft = daysBetween(today, r.nextDueOn);
  if (daysLeft < 0) {
    return [
      candidate(
        { type: 'verification_overdue', severity: 'warning', messageKey: 'water.alerts.verification_overdue', params: { dueOn: r.nextDueOn, daysOverdue: -daysLeft }, value: daysLeft, limit: 0 },
        r,
      ),
    ];
  }
  if (daysLeft <= within) {
    return [
      candidate(
        { type: 'verification_due', severity: 'info', messageKey: 'water.alerts.verification_due', params: { dueOn: r.nextDueOn, daysLeft }, value: daysLeft, limit: within },
        r,
      ),
    ];
  }
  return [];
}
