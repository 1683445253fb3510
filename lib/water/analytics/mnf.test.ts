import { describe, expect, it } from 'vitest';
import { addDays, astanaInstant } from '@/lib/time/astana';
import { detectMnfLeak, mnfAlert, nightlyMinimums, type MnfOptions } from './mnf';
import type { Point } from './types';

const firstDay = '2026-04-01';

/**
 * A DMA's hourly inflow (m³/h) over `days` Astana days: 40 in the day, 12 + a small per-night wobble at
 * 02:00–05:00 Astana, 20 in the rest of the night; `extra(dayIndex)` adds a leak or noise to every hour.
 */
function series(days: number, extra: (day: number) => number = () => 0): Point[] {
  const pts: Point[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(firstDay, d);
    const wobble = [0, 0.3, -0.2, 0.1, -0.3, 0.2, 0][d % 7];
    for (let h = 0; h < 24; h++) {
      const base = h >= 2 && h < 5 ? 12 + wobble + (h - 2) * 0.5 : h >= 6 && h < 23 ? 40 : 20;
      pts.push({ ts: astanaInstant(date, `${String(h).padStart(2, '0')}:00`).getTime(), value: base + extra(d) });
    }
  }
  return pts;
}

const opts: MnfOptions = { baselineNights: 14, absoluteThreshold: 2, relativeThreshold: 0.1, consecutiveNights: 3 };

describe('minimum night flow (W-21, W-23)', () => {
  it('W-23 the night minimum is taken between 02:00 and 05:00 Astana, per Astana night', () => {
    const nights = nightlyMinimums(series(3));
    expect(nights.map((n) => n.night)).toEqual(['2026-04-01', '2026-04-02', '2026-04-03']);
    expect(nights.map((n) => n.mnf)).toEqual([12, 12.3, 11.8]);
    expect(nights.every((n) => n.samples === 3)).toBe(true);
    // 02:00 Astana is 21:00 UTC the evening before: a reading then belongs to the Astana night, and a
    // reading at 05:00 Astana does not.
    const one = nightlyMinimums([
      { ts: new Date('2026-04-09T21:00:00Z'), value: 7 },
      { ts: new Date('2026-04-10T00:00:00Z'), value: 5 },
      { ts: astanaInstant('2026-04-10', '05:00'), value: 1 },
    ]);
    expect(one).toEqual([{ night: '2026-04-10', mnf: 7, samples: 1 }]);
  });

  it('W-21 an injected leak is detected after M consecutive nights and not before; its volume is estimated', () => {
    // 20 normal days, then a 5 m³/h leak from day 20 on
    const leakFrom = 20;
    const nights = nightlyMinimums(series(25, (d) => (d >= leakFrom ? 5 : 0)));
    const atNight = (k: number) => detectMnfLeak(nights.slice(0, leakFrom + k), opts);
    expect(atNight(0).status).toBe('normal');
    expect(atNight(1).status).toBe('watch');
    expect(atNight(2).status).toBe('watch');
    const r = atNight(3);
    expect(r.status).toBe('leak_suspected');
    expect(r.since).toBe(addDays(firstDay, leakFrom));
    expect(r.run).toBe(3);
    // baseline = median of the last 14 leak-free nights' minimums; the wobble is small
    expect(r.baseline).toBeGreaterThan(11.7);
    expect(r.baseline).toBeLessThan(12.3);
    expect(r.excessFlow).toBeGreaterThan(4.5);
    expect(r.excessFlow).toBeLessThan(5.5);
    expect(r.extraVolumePerDay).toBeCloseTo(r.excessFlow! * 24, 10);
    // the leak stays suspected and does not become its own baseline
    const later = detectMnfLeak(nights, opts);
    expect(later.status).toBe('leak_suspected');
    expect(later.run).toBe(5);
    expect(later.baseline).toBe(r.baseline);
    const alert = mnfAlert(later, { objectId: 'dma-1' });
    expect(alert).toMatchObject({ type: 'night_flow_high', objectId: 'dma-1', messageKey: 'water.alerts.night_flow_high' });
    expect(alert!.params.nights).toBe(5);
    expect(mnfAlert(atNight(2), { objectId: 'dma-1' })).toBeNull();
  });

  it('W-21 a single noisy night is ignored, and a rise below the threshold is not a leak', () => {
    const noisy = nightlyMinimums(series(25, (d) => (d === 20 ? 9 : 0)));
    const r = detectMnfLeak(noisy, opts);
    expect(r.nights[20].exceeds).toBe(true);
    expect(r.nights.some((n) => n.suspected)).toBe(false);
    expect(r.status).toBe('normal');
    // +1 m³/h is below max(2, 10 % of ~12) → never exceeds
    const small = detectMnfLeak(nightlyMinimums(series(25, (d) => (d >= 20 ? 1 : 0))), opts);
    expect(small.nights.some((n) => n.exceeds)).toBe(false);
    // the relative threshold wins when larger: 30 % of 12 = 3.6 > 2, so a 3 m³/h rise is not a leak
    const rel = detectMnfLeak(nightlyMinimums(series(25, (d) => (d >= 20 ? 3 : 0))), { ...opts, relativeThreshold: 0.3 });
    expect(rel.status).toBe('normal');
    expect(detectMnfLeak(nightlyMinimums(series(25, (d) => (d >= 20 ? 3 : 0))), opts).status).toBe('leak_suspected');
  });

  it('W-21 with too few nights there is no judgement', () => {
    expect(detectMnfLeak(nightlyMinimums(series(4)), opts).status).toBe('insufficient_baseline');
    expect(detectMnfLeak([], opts).status).toBe('insufficient_baseline');
  });
});
