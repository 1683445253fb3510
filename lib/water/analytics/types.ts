/** Shared vocabulary of the water analytics (W-21, W-23, W-27, W-31, W-35). Pure types, no I/O. */

/** Every alert type the analytics raise; each has recommendations in recommendations.ts (W-31). */
export const ALERT_TYPES = [
  'pressure_low',
  'pressure_high',
  'night_pressure_high',
  'voltage_deviation',
  'consumption_above_norm',
  'night_flow_high',
  'seasonal_above',
  'seasonal_below',
  'device_silent',
  'verification_due',
  'verification_overdue',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Object criticality (as in db/schema/water.ts `water_criticality`). */
export type Criticality = 'critical' | 'high' | 'normal' | 'low';

/** What a rule found: the alert lifecycle (alerts.ts) turns it into a new alert or an update of the active one. */
export type AlertCandidate = {
  type: AlertType;
  severity: Severity;
  objectId?: string | null;
  deviceId?: string | null;
  /** i18n key, e.g. 'water.alerts.pressure_low', with its parameters. */
  messageKey: string;
  params: Record<string, string | number>;
  /** The observed value (null when there is none, e.g. a device that never reported). */
  value: number | null;
  /** The limit it was compared with. */
  limit: number | null;
};

/** A measurement at an instant (ms since epoch or Date). */
export type Point = { ts: number | Date; value: number };

export function tsMs(ts: number | Date): number {
  const ms = typeof ts === 'number' ? ts : ts.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('not an instant');
  return ms;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
