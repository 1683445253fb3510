import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays,
  assertAstanaTimeZone,
  astanaDateOf,
  astanaInstant,
  astanaMidnight,
  astanaParts,
  compareDates,
  dayNumber,
  formatAstana,
  isIsoDate,
  weekday,
} from './astana';
import { now, setClock } from './clock';
import { ASTANA_TZ } from './zone';

afterEach(() => setClock(null));

/** The Astana wall clock according to the runtime's time-zone data (the slow, authoritative way). */
const intl = new Intl.DateTimeFormat('en-GB', {
  timeZone: ASTANA_TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
function intlParts(d: Date) {
  const parts = intl.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')), minute: Number(get('minute')), second: Number(get('second')) };
}

describe('Astana time (X-1)', () => {
  it('X-1 the test process really runs in New York time, so nothing here leans on the local zone', () => {
    expect(new Date('2026-07-01T12:00:00Z').getTimezoneOffset()).toBe(240);
  });

  it('X-1 the runtime time-zone data put Asia/Almaty at UTC+5 and agree with the fixed-offset arithmetic', () => {
    expect(() => assertAstanaTimeZone()).not.toThrow();
  });

  it('X-1 astanaParts equals the runtime zone data for any instant 2020–2030 (including UTC+6 before March 2024)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const p = astanaParts(d);
        expect({ date: p.date, hour: p.hour, minute: p.minute, second: p.second }).toEqual(intlParts(d));
      }),
      { numRuns: 2000 },
    );
  });

  it('X-1 an evening in New York is already the next day in Astana', () => {
    // 2026-11-24 21:00 UTC = 16:00 in New York (24 Nov) = 02:00 on 25 Nov in Astana
    const at = new Date('2026-11-24T21:00:00Z');
    expect(at.getDate()).toBe(24); // local (New York) date
    expect(astanaDateOf(at)).toBe('2026-11-25');
    expect(astanaParts(at)).toEqual({ date: '2026-11-25', hour: 2, minute: 0, second: 0, weekday: 3 });
  });

  it('X-1 astanaInstant and astanaMidnight build instants at UTC+5', () => {
    expect(astanaInstant('2026-11-25', '14:05').toISOString()).toBe('2026-11-25T09:05:00.000Z');
    expect(astanaInstant('2026-11-25', '13:59:59').toISOString()).toBe('2026-11-25T08:59:59.000Z');
    expect(astanaMidnight('2026-01-01').toISOString()).toBe('2025-12-31T19:00:00.000Z');
    // before the 2024 change Astana was UTC+6
    expect(astanaMidnight('2024-02-01').toISOString()).toBe('2024-01-31T18:00:00.000Z');
    expect(() => astanaInstant('2026-02-30', '10:00')).toThrow(RangeError);
    expect(() => astanaInstant('2026-02-10', '25:00')).toThrow(RangeError);
  });

  it('X-1 round trip: astanaInstant(parts of an instant) gives the instant back (to the second)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2024-03-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
        const p = astanaParts(d);
        const hms = [p.hour, p.minute, p.second].map((n) => String(n).padStart(2, '0')).join(':');
        expect(astanaInstant(p.date, hms).getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
      }),
    );
  });

  it('X-1 formatting marks the zone in every language', () => {
    const at = new Date('2026-11-25T09:05:00Z');
    expect(formatAstana(at, 'en')).toBe('25.11.2026 14:05 (Astana, UTC+5)');
    expect(formatAstana(at, 'ru')).toBe('25.11.2026 14:05 (время Астаны, UTC+5)');
    expect(formatAstana(at, 'kk')).toBe('25.11.2026 14:05 (Астана уақыты, UTC+5)');
    expect(formatAstana(at, 'ru', { seconds: true })).toBe('25.11.2026 14:05:00 (время Астаны, UTC+5)');
    expect(formatAstana(at, 'en', { show: 'date', zone: false })).toBe('25.11.2026');
  });

  it('X-1 the injectable clock drives "now" and its Astana date', () => {
    setClock('2025-12-31T19:30:00Z');
    expect(now().toISOString()).toBe('2025-12-31T19:30:00.000Z');
    expect(astanaDateOf(now())).toBe('2026-01-01');
  });

  it('X-1 ISO date helpers: addDays, weekday, compare, validation', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 5)).toBe('2026-01-05');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekday('2024-05-04')).toBe(6);
    expect(weekday('2026-01-05')).toBe(1);
    expect(compareDates('2026-01-05', '2025-12-31')).toBe(1);
    expect(compareDates('2026-01-05', '2026-01-05')).toBe(0);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(() => dayNumber('2024-5-1')).toThrow(RangeError);
  });
});
