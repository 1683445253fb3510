import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { now, setClock } from '@/lib/time/clock';
import { acknowledge, alertKey, clear, escalate, nextEscalationAt, observe, observeAll, type Alert } from './alerts';
import { checkPressure } from './thresholds';
import type { AlertCandidate } from './types';

afterEach(() => setClock(null));

const low = (value: number, objectId = 'ps-1'): AlertCandidate => checkPressure({ value, minBar: 2, maxBar: 6, objectId })[0];
const min = (m: number) => new Date(Date.parse('2026-05-04T10:00:00Z') + m * 60_000);

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('alert lifecycle (W-21, W-27)', () => {
  it('W-27 a repeat of the same type and object updates the active alert instead of duplicating it', () => {
    setClock(min(0));
    const first = observe(null, low(1.9));
    expect(first.action).toBe('opened');
    expect(first.alert).toMatchObject({ key: 'pressure_low:ps-1', state: 'open', count: 1, lastValue: 1.9, severity: 'warning' });
    expect(first.alert.openedAt).toEqual(now());
    const { alerts, events } = observeAll([first.alert], [low(1.8), low(1.2), low(1.7, 'ps-2')], min(5));
    expect(events.map((e) => e.action)).toEqual(['updated', 'updated', 'opened']);
    expect(alerts).toHaveLength(2);
    const a = alerts.find((x) => x.key === 'pressure_low:ps-1')!;
    expect(a).toMatchObject({ count: 3, firstValue: 1.9, lastValue: 1.2, severity: 'critical' });
    expect(a.openedAt).toEqual(min(0));
    expect(a.lastSeenAt).toEqual(min(5));
    // a milder repeat does not lower the severity
    expect(observe(a, low(1.9), min(6)).alert.severity).toBe('critical');
    expect(() => observe(a, low(1.9, 'ps-2'), min(6))).toThrow(AppError);
  });

  it('W-27 transitions: open → acknowledged → cleared; a cleared alert is final and the next repeat opens a new one', () => {
    let a: Alert = observe(null, low(1.9), min(0)).alert;
    a = acknowledge(a, 'operator-7', min(3));
    expect(a).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'operator-7' });
    expect(observe(a, low(1.8), min(4)).action).toBe('updated'); // still active while acknowledged
    expect(codeOf(() => acknowledge(a, 'x', min(4)))).toBe('alert_invalid_transition');
    a = clear(a, 'operator-7', min(10));
    expect(a.state).toBe('cleared');
    expect(codeOf(() => clear(a, null, min(11)))).toBe('alert_invalid_transition');
    expect(codeOf(() => acknowledge(a, 'x', min(11)))).toBe('alert_invalid_transition');
    const { alerts, events } = observeAll([a], [low(1.9)], min(20));
    expect(events[0].action).toBe('opened');
    expect(alerts.filter((x) => x.state !== 'cleared')).toHaveLength(1);
    // an open alert may clear by itself when the condition ends
    expect(clear(observe(null, low(1.9), min(0)).alert, null, min(1)).clearedBy).toBeNull();
    expect(codeOf(() => acknowledge(observe(null, low(1.9), min(5)).alert, 'x', min(4)))).toBe('bad_request');
  });

  it('W-27 escalation when nobody acknowledges in time, by severity; acknowledging stops it', () => {
    const warn = observe(null, low(1.9), min(0)).alert; // warning: steps at 60 and 240 minutes
    expect(nextEscalationAt(warn)).toEqual(min(60));
    expect(escalate(warn, min(59)).escalated).toBe(false);
    const e1 = escalate(warn, min(60));
    expect(e1).toMatchObject({ escalated: true, alert: { escalationLevel: 1 } });
    expect(e1.alert.escalatedAt).toEqual(min(60));
    expect(nextEscalationAt(e1.alert)).toEqual(min(240));
    expect(escalate(e1.alert, min(100)).escalated).toBe(false);
    expect(escalate(e1.alert, min(300)).alert.escalationLevel).toBe(2);
    expect(nextEscalationAt(escalate(e1.alert, min(300)).alert)).toBeNull();

    const crit = observe(null, low(1.0), min(0)).alert; // critical: 15 minutes
    expect(escalate(crit, min(15)).alert.escalationLevel).toBe(1);
    const acked = acknowledge(crit, 'op', min(10));
    expect(escalate(acked, min(120)).escalated).toBe(false);
    expect(nextEscalationAt(acked)).toBeNull();
    // a custom policy: info alerts never escalate by default, but may be configured to
    const info: Alert = { ...warn, severity: 'info' };
    expect(escalate(info, min(10_000)).escalated).toBe(false);
    expect(escalate(info, min(30), { critical: [], warning: [], info: [30] }).escalated).toBe(true);
  });

  it('W-27 an alert needs an object or a device to be keyed', () => {
    expect(alertKey({ type: 'device_silent', objectId: null, deviceId: 'd-1' })).toBe('device_silent:d-1');
    expect(codeOf(() => alertKey({ type: 'device_silent', objectId: null, deviceId: null }))).toBe('bad_request');
  });
});
