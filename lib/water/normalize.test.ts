import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeReading, parseIsoRegex, parseTime, toCanonical } from './normalize';

const now = new Date('2025-06-01T12:00:00Z');

describe('normalize', () => {
  it('W-23 converts every accepted unit to the canonical unit of its metric', () => {
    expect(toCanonical('flow', 10, 'l/s')).toBeCloseTo(36, 9);
    expect(toCanonical('flow', 0.01, 'm3/s')).toBeCloseTo(36, 9);
    expect(toCanonical('flow', 600, 'l/min')).toBeCloseTo(36, 9);
    expect(toCanonical('flow', 36, 'm3/h')).toBe(36);
    expect(toCanonical('pressure', 350, 'kPa')).toBeCloseTo(3.5, 9);
    expect(toCanonical('pressure', 0.35, 'MPa')).toBeCloseTo(3.5, 9);
    expect(toCanonical('pressure', 50.7632, 'psi')).toBeCloseTo(3.5, 4);
    expect(toCanonical('pressure', 10, 'mH2O')).toBeCloseTo(0.980665, 9);
    expect(toCanonical('level', 250, 'cm')).toBeCloseTo(2.5, 9);
    expect(toCanonical('level', 2500, 'mm')).toBeCloseTo(2.5, 9);
    expect(toCanonical('voltage', 0.4, 'kV')).toBeCloseTo(400, 9);
    expect(toCanonical('power', 250_000, 'W')).toBeCloseTo(250, 9);
    expect(toCanonical('power', 0.25, 'MW')).toBeCloseTo(250, 9);
    expect(toCanonical('volume', 1500, 'l')).toBeCloseTo(1.5, 9);
    expect(toCanonical('chlorine', 0.4, 'mg/L')).toBe(0.4);
    expect(toCanonical('turbidity', 1.2, 'NTU')).toBe(1.2);
    expect(toCanonical('ph', 7.1, 'pH')).toBe(7.1);
  });

  it('W-23 refuses units that do not fit the metric (case matters: mW is not MW)', () => {
    expect(toCanonical('flow', 1, 'bar')).toBeNull();
    expect(toCanonical('pressure', 1, 'm3/h')).toBeNull();
    expect(toCanonical('power', 1, 'mW')).toBeNull();
    expect(toCanonical('level', 1, 'km')).toBeNull();
  });

  it('W-23 normalises times to UTC: ISO with any zone, or epoch milliseconds', () => {
    const utc = Date.parse('2025-03-01T05:00:00.000Z');
    expect(parseTime('2025-03-01T10:00:00+05:00')).toEqual({ ok: true, ms: utc });
    expect(parseTime('2025-03-01T10:00:00+0500')).toEqual({ ok: true, ms: utc });
    expect(parseTime('2025-03-01T05:00:00Z')).toEqual({ ok: true, ms: utc });
    expect(parseTime('2025-03-01T00:00:00-05:00')).toEqual({ ok: true, ms: utc });
    expect(parseTime('2025-03-01T10:00+05:00')).toEqual({ ok: true, ms: utc });
    expect(parseTime('2025-03-01T10:00:00.123456+05:00')).toEqual({ ok: true, ms: utc + 123 });
    expect(parseTime(utc)).toEqual({ ok: true, ms: utc });
  });

  it('W-23 refuses times without a zone, impossible dates and non-integer epochs', () => {
    expect(parseTime('2025-03-01T10:00:00')).toEqual({ ok: false, reason: 'ts_zone_missing' });
    expect(parseTime('2025-03-01')).toEqual({ ok: false, reason: 'ts_zone_missing' });
    expect(parseTime('2025-02-30T10:00:00Z')).toEqual({ ok: false, reason: 'ts_unparseable' });
    expect(parseTime('2025-03-01T24:00:00Z')).toEqual({ ok: false, reason: 'ts_unparseable' });
    expect(parseTime('yesterday')).toEqual({ ok: false, reason: 'ts_unparseable' });
    expect(parseTime(1.5)).toEqual({ ok: false, reason: 'ts_unparseable' });
    expect(parseTime(undefined)).toEqual({ ok: false, reason: 'ts_missing' });
    expect(parseTime({})).toEqual({ ok: false, reason: 'ts_unparseable' });
  });

  it('W-23 a valid reading comes out in canonical unit and epoch ms, marked as converted', () => {
    const r = normalizeReading({ device: 'X-1', metric: 'flow', ts: '2025-06-01T16:00:00+05:00', value: 10, unit: 'l/s' }, { now });
    expect(r).toEqual({
      ok: true,
      reading: { device: 'X-1', metric: 'flow', ts: Date.parse('2025-06-01T11:00:00Z'), value: 36, unit: 'm3/h', converted: true },
    });
  });

  it('W-23 an invalid reading gets a reason for each bad field', () => {
    const r = normalizeReading({ device: 5, metric: 'flux', ts: '2025-06-01T10:00', value: 'NaN', unit: 'l/s' }, { now });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { field: 'device', reason: 'device_invalid' },
      { field: 'metric', reason: 'metric_unknown' },
      { field: 'ts', reason: 'ts_zone_missing' },
      { field: 'value', reason: 'value_not_finite' },
    ]);
    const r2 = normalizeReading({ metric: 'pressure', ts: Date.parse('2025-06-01T12:06:00Z'), value: 3, unit: 'kg' }, { now });
    expect(r2.ok ? [] : r2.issues).toEqual([
      { field: 'unit', reason: 'unit_not_convertible' },
      { field: 'ts', reason: 'ts_in_future' },
    ]);
    const r3 = normalizeReading({ metric: 'pressure', ts: '2024-01-01T00:00:00Z', unit: 'bar' }, { now, maxAgeDays: 90 });
    expect(r3.ok ? [] : r3.issues).toEqual([
      { field: 'ts', reason: 'ts_too_old' },
      { field: 'value', reason: 'value_missing' },
    ]);
    expect(normalizeReading([1, 2], { now })).toEqual({ ok: false, issues: [{ field: 'reading', reason: 'not_an_object' }] });
  });

  it('W-23 a reading 4 minutes ahead of the clock is accepted (device clock drift), 6 minutes is not', () => {
    const ahead = (min: number) => normalizeReading({ metric: 'level', ts: now.getTime() + min * 60_000, value: 1, unit: 'm' }, { now });
    expect(ahead(4).ok).toBe(true);
    expect(ahead(6).ok).toBe(false);
  });

  it('W-23 the allocation-free reader of the common time shape answers exactly as the general ISO 8601 parser', () => {
    // mostly in range, sometimes any two digits (impossible months, days, hours, offsets)
    const d2 = (lo: number, hi: number) =>
      fc.oneof({ weight: 9, arbitrary: fc.integer({ min: lo, max: hi }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }) }).map((n) => String(n).padStart(2, '0'));
    const common = fc
      .tuple(
        fc.oneof(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 0, max: 9999 })).map((n) => String(n).padStart(4, '0')),
        d2(1, 12), d2(1, 31), d2(0, 23), d2(0, 59), d2(0, 59),
        fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{1,9}$/)),
        fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), d2(0, 14), d2(0, 59)).map(([s, h, m]) => `${s}${h}:${m}`)),
      )
      .map(([y, mo, d, h, mi, s, frac, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`);
    // near misses of the shape go to the general parser and must come out the same too
    const nearMiss = fc.tuple(common, fc.nat(30), fc.constantFrom('', 'x', ' ', 'z', ',', '.', '0', ':')).map(([s, i, c]) => s.slice(0, i) + c + s.slice(i + 1));
    fc.assert(
      fc.property(fc.oneof(common, nearMiss, fc.string({ minLength: 1, maxLength: 40 })), (s) => {
        expect(parseTime(s)).toEqual(s.length > 64 ? { ok: false, reason: 'ts_unparseable' } : parseIsoRegex(s));
        const r = normalizeReading({ metric: 'flow', ts: s, value: 1, unit: 'm3/h' }, { now, maxAgeDays: 1e7, maxFutureMs: 1e15 });
        const t = parseIsoRegex(s);
        expect(r.ok ? { ok: true, ms: r.reading.ts } : { ok: false, reason: r.issues[0].reason }).toEqual(t.ok ? t : { ok: false, reason: t.reason });
      }),
      { numRuns: 5000 },
    );
    expect(parseTime('2024-02-29T23:59:59.9999Z')).toEqual({ ok: true, ms: Date.parse('2024-02-29T23:59:59.999Z') });
    expect(parseTime('2023-02-29T10:00:00Z')).toEqual({ ok: false, reason: 'ts_unparseable' });
    expect(parseTime('2025-06-01T10:00:00+19:00')).toEqual({ ok: false, reason: 'ts_unparseable' });
  });
});
