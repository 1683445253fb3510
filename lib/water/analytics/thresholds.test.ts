import { afterEach, describe, expect, it } from 'vitest';
import { astanaInstant } from '@/lib/time/astana';
import { now, setClock } from '@/lib/time/clock';
import { REPORTING_INTERVAL_SEC } from '@/lib/water/registry';
import { EXPECTED_INTERVAL_SEC, checkConsumption, checkPressure, checkSilence, checkVerification, checkVoltage, consumptionLimit } from './thresholds';

afterEach(() => setClock(null));

describe('threshold rules (W-23, W-27, W-35)', () => {
  it('W-23 supply voltage: exactly ±10 % of rated is within, just beyond is a deviation', () => {
    expect(checkVoltage({ value: 242, ratedV: 220 })).toEqual([]);
    expect(checkVoltage({ value: 198, ratedV: 220 })).toEqual([]);
    expect(checkVoltage({ value: 253, ratedV: 230 })).toEqual([]);
    expect(checkVoltage({ value: 207, ratedV: 230 })).toEqual([]);
    expect(checkVoltage({ value: 418, ratedV: 380 })).toEqual([]); // +10 % of 380 V three-phase
    const up = checkVoltage({ value: 242.1, ratedV: 220, deviceId: 'pump-1' });
    expect(up).toHaveLength(1);
    expect(up[0]).toMatchObject({ type: 'voltage_deviation', severity: 'warning', deviceId: 'pump-1', value: 242.1 });
    expect(up[0].limit).toBeCloseTo(242, 10);
    const down = checkVoltage({ value: 197.9, ratedV: 220 });
    expect(down[0].limit).toBeCloseTo(198, 10);
    expect(down[0].params.deviationPct).toBe(-10);
    expect(checkVoltage({ value: 170, ratedV: 220 })[0].severity).toBe('critical');
  });

  it('W-23 pressure bounds: the bounds are within; below is low (critical when far below); above at night is a PRV issue', () => {
    const day = astanaInstant('2026-05-04', '14:00');
    expect(checkPressure({ value: 2, minBar: 2, maxBar: 6, at: day })).toEqual([]);
    expect(checkPressure({ value: 6, minBar: 2, maxBar: 6, at: day })).toEqual([]);
    expect(checkPressure({ value: 1.9, minBar: 2, maxBar: 6, objectId: 'o1' })[0]).toMatchObject({ type: 'pressure_low', severity: 'warning', objectId: 'o1', limit: 2 });
    expect(checkPressure({ value: 1.4, minBar: 2, maxBar: 6 })[0].severity).toBe('critical');
    expect(checkPressure({ value: 6.5, minBar: 2, maxBar: 6, at: day })[0].type).toBe('pressure_high');
    // 03:00 Astana = 22:00 UTC the day before = 18:00 in New York: night by Astana time only
    const night = astanaInstant('2026-05-04', '03:00');
    expect(checkPressure({ value: 6.5, minBar: 2, maxBar: 6, at: night })[0].type).toBe('night_pressure_high');
    expect(() => checkPressure({ value: 3, minBar: 5, maxBar: 4 })).toThrow(RangeError);
  });

  it('W-23 consumption above the norm (per capita or per connection × period); exactly the norm is within', () => {
    // 140 l/person/day × 500 persons × 30 days = 2,100 m³
    const perCapita = { kind: 'per_capita', litresPerPersonPerDay: 140, persons: 500 } as const;
    expect(consumptionLimit(perCapita, 30)).toBe(2100);
    expect(checkConsumption({ value: 2100, norm: perCapita, periodDays: 30 })).toEqual([]);
    const over = checkConsumption({ value: 2310, norm: perCapita, periodDays: 30, objectId: 'b-7' });
    expect(over[0]).toMatchObject({ type: 'consumption_above_norm', severity: 'warning', limit: 2100, value: 2310 });
    expect(over[0].params.excessPct).toBe(10);
    expect(checkConsumption({ value: 3200, norm: perCapita, periodDays: 30 })[0].severity).toBe('critical');
    const perConn = { kind: 'per_connection', m3PerConnectionPerDay: 0.5, connections: 40 } as const;
    expect(checkConsumption({ value: 140, norm: perConn, periodDays: 7 })).toEqual([]);
    expect(checkConsumption({ value: 141, norm: perConn, periodDays: 7 })).toHaveLength(1);
  });

  it('W-27 silence by criticality: a critical object is silent after 2 minutes, a low one only after 2 hours', () => {
    setClock('2026-05-04T10:00:00Z');
    const at = now();
    const ago = (sec: number) => new Date(at.getTime() - sec * 1000);
    expect(checkSilence({ lastReadingAt: ago(120), at, criticality: 'critical' })).toEqual([]);
    const crit = checkSilence({ lastReadingAt: ago(121), at, criticality: 'critical', deviceId: 'd1' });
    expect(crit[0]).toMatchObject({ type: 'device_silent', severity: 'critical', deviceId: 'd1', value: 121, limit: 120 });
    expect(checkSilence({ lastReadingAt: ago(3600), at, criticality: 'low' })).toEqual([]);
    expect(checkSilence({ lastReadingAt: ago(7201), at, criticality: 'low' })[0].severity).toBe('info');
    expect(checkSilence({ lastReadingAt: ago(1801), at, criticality: 'normal' })[0].severity).toBe('warning');
    expect(checkSilence({ lastReadingAt: ago(1801), at, criticality: 'normal', expectedIntervalSec: 3600 })).toEqual([]);
    expect(checkSilence({ lastReadingAt: ago(61), at, criticality: 'critical', missedIntervals: 1 })).toHaveLength(1);
    const never = checkSilence({ lastReadingAt: null, at, criticality: 'high' });
    expect(never[0]).toMatchObject({ messageKey: 'water.alerts.device_never_reported', value: null });
  });

  it('W-27 the silence intervals are the registry’s reporting intervals (W-17)', () => {
    expect(EXPECTED_INTERVAL_SEC).toEqual(REPORTING_INTERVAL_SEC);
  });

  it('W-35 verification due within N days, due on the day itself, overdue the day after (Astana dates)', () => {
    expect(checkVerification({ nextDueOn: '2026-07-01', today: '2026-05-31', withinDays: 30 })).toEqual([]);
    expect(checkVerification({ nextDueOn: '2026-07-01', today: '2026-06-01', withinDays: 30 })[0]).toMatchObject({ type: 'verification_due', severity: 'info', value: 30 });
    expect(checkVerification({ nextDueOn: '2026-07-01', today: '2026-07-01' })[0]).toMatchObject({ type: 'verification_due', value: 0 });
    const over = checkVerification({ nextDueOn: '2026-07-01', today: '2026-07-03', deviceId: 'm-9' });
    expect(over[0]).toMatchObject({ type: 'verification_overdue', severity: 'warning', deviceId: 'm-9', value: -2 });
    expect(over[0].params.daysOverdue).toBe(2);
    // 2026-07-01 20:00 UTC is already 2 July in Astana (still 1 July in New York): overdue
    expect(checkVerification({ nextDueOn: '2026-07-01', today: new Date('2026-07-01T20:00:00Z') })[0].type).toBe('verification_overdue');
    expect(checkVerification({ nextDueOn: null, today: '2026-07-01' })).toEqual([]);
  });
});
