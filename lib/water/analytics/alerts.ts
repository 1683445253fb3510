/**
 * W-21/W-27: the alert lifecycle as a pure state machine. One active alert per (type, object or device): a
 * repeat updates it (count, last value, last seen) instead of opening a second. States
 * open → acknowledged → cleared (an open alert may also clear by itself when the condition ends); cleared is
 * final — the next occurrence opens a new alert. Unacknowledged alerts escalate after severity-dependent
 * delays computed from instants. Persistence is the caller's: these functions return new objects.
 */
import { AppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';
import { severityRank, type AlertCandidate, type AlertType, type Severity } from './types';

export type AlertState = 'open' | 'acknowledged' | 'cleared';

export type Alert = {
  /** `${type}:${objectId ?? deviceId}` — at most one alert with a key is active at a time. */
  key: string;
  type: AlertType;
  objectId: string | null;
  deviceId: string | null;
  severity: Severity;
  state: AlertState;
  messageKey: string;
  params: Record<string, string | number>;
  firstValue: number | null;
  lastValue: number | null;
  limit: number | null;
  count: number;
  openedAt: Date;
  lastSeenAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  clearedAt: Date | null;
  clearedBy: string | null;
  /** 0 = not escalated; n = the n-th escalation step of the policy has fired. */
  escalationLevel: number;
  escalatedAt: Date | null;
};

export function alertKey(c: Pick<AlertCandidate, 'type' | 'objectId' | 'deviceId'>): string {
  const ref = c.objectId ?? c.deviceId;
  if (!ref) throw new AppError('bad_request', 'An alert needs an object or a device.');
  return `${c.type}:${ref}`;
}

export function isActive(a: Alert): boolean {
  return a.state !== 'cleared';
}

function refuse(a: Alert, to: string): AppError {
  return new AppError(
    'alert_invalid_transition',
    `An alert that is ${a.state} cannot be ${to}.`,
    undefined,
    409,
    { from: a.state, to },
  );
}

export type Observation = { alert: Alert; action: 'opened' | 'updated' };

/**
 * A candidate observed at `at`: updates `active` when it is the active alert of the same key, otherwise
 * opens a new alert. Severity only rises while the alert is active (a milder repeat does not downgrade it).
 */
export function observe(active: Alert | null, c: AlertCandidate, at: Date = now()): Observation {
  const key = alertKey(c);
  if (active && active.key !== key) throw new AppError('bad_request', `Alert ${active.key} cannot take an observation of ${key}.`);
  if (active && isActive(active)) {
    return {
      action: 'updated',
      alert: {
        ...active,
        severity: severityRank(c.severity) > severityRank(active.severity) ? c.severity : active.severity,
        params: c.params,
        lastValue: c.value,
        limit: c.limit,
        count: active.count + 1,
        lastSeenAt: at,
      },
    };
  }
  return {
    action: 'opened',
    alert: {
      key,
      type: c.type,
      objectId: c.objectId ?? null,
      deviceId: c.deviceId ?? null,
      severity: c.severity,
      state: 'open',
      messageKey: c.messageKey,
      params: c.params,
      firstValue: c.value,
      lastValue: c.value,
      limit: c.limit,
      count: 1,
      openedAt: at,
      lastSeenAt: at,
      acknowledgedAt: null,
      acknowledgedBy: null,
      clearedAt: null,
      clearedBy: null,
      escalationLevel: 0,
      escalatedAt: null,
    },
  };
}

/**
 * Applies a batch of candidates to the set of alerts (active and past): each key keeps at most one active
 * alert. Returns the new set (active alerts replaced in place, new ones appended) and what happened.
 */
export function observeAll(alerts: readonly Alert[], candidates: readonly AlertCandidate[], at: Date = now()): { alerts: Alert[]; events: Observation[] } {
  const out = [...alerts];
  const activeIndex = new Map<string, number>();
  out.forEach((a, i) => {
    if (isActive(a)) activeIndex.set(a.key, i);
  });
  const events: Observation[] = [];
  for (const c of candidates) {
    const key = alertKey(c);
    const i = activeIndex.get(key);
    const ev = observe(i === undefined ? null : out[i], c, at);
    if (i === undefined) {
      activeIndex.set(key, out.length);
      out.push(ev.alert);
    } else out[i] = ev.alert;
    events.push(ev);
  }
  return { alerts: out, events };
}

/** open → acknowledged. Refused for an acknowledged or cleared alert. */
export function acknowledge(a: Alert, by: string, at: Date = now()): Alert {
  if (a.state !== 'open') throw refuse(a, 'acknowledged');
  if (at.getTime() < a.openedAt.getTime()) throw new AppError('bad_request', 'An alert cannot be acknowledged before it was opened.');
  return { ...a, state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by };
}

/** open or acknowledged → cleared (`by` null when the condition ended by itself). Refused when already cleared. */
export function clear(a: Alert, by: string | null, at: Date = now()): Alert {
  if (a.state === 'cleared') throw refuse(a, 'cleared');
  return { ...a, state: 'cleared', clearedAt: at, clearedBy: by };
}

/** Minutes after opening at which each escalation step fires, per severity (empty: never escalates). */
export type EscalationPolicy = Record<Severity, readonly number[]>;

export const DEFAULT_ESCALATION: EscalationPolicy = {
  critical: [15, 60],
  warning: [60, 240],
  info: [],
};

/** The escalation level an alert should have at `at` (0 when acknowledged or cleared before any step). */
export function dueEscalationLevel(a: Alert, at: Date, policy: EscalationPolicy = DEFAULT_ESCALATION): number {
  if (a.state !== 'open') return a.escalationLevel;
  const elapsedMin = (at.getTime() - a.openedAt.getTime()) / 60_000;
  const steps = policy[a.severity];
  let level = 0;
  while (level < steps.length && elapsedMin >= steps[level]) level++;
  return Math.max(level, a.escalationLevel);
}

/** When the next escalation step fires, or null (acknowledged, cleared, or no steps left). */
export function nextEscalationAt(a: Alert, policy: EscalationPolicy = DEFAULT_ESCALATION): Date | null {
  if (a.state !== 'open') return null;
  const step = policy[a.severity][a.escalationLevel];
  return step === undefined ? null : new Date(a.openedAt.getTime() + step * 60_000);
}

/**
 * Raises the escalation level of an open alert nobody acknowledged in time. Returns the alert unchanged
 * (escalated: false) when nothing is due.
 */
export function escalate(a: Alert, at: Date = now(), policy: EscalationPolicy = DEFAULT_ESCALATION): { alert: Alert; escalated: boolean } {
  const level = dueEscalationLevel(a, at, policy);
  if (level <= a.escalationLevel) return { alert: a, escalated: false };
  return { alert: { ...a, escalationLevel: level, escalatedAt: at }, escalated: true };
}
