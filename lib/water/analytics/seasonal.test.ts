import { describe, expect, it } from 'vitest';
import { astanaInstant } from '@/lib/time/astana';
import { MAD_SCALE, checkAgainstBand, hourOfWeek, robustStats, seasonalAlert, seasonalBand } from './seasonal';
import type { Point } from './types';

const H = 3_600_000;
// Monday 2 March 2026, 02:00 Astana = Sunday 1 March 21:00 UTC (= Sunday 16:00 in New York).
const target = astanaInstant('2026-03-02', '02:00').getTime();

/**
 * Six weeks of hourly history: 50 everywhere except Monday 02:00 Astana (hour-of-week 2), which carries
 * 100, 102, 98, 101, 99 and one outlier 500 (a burst being repaired), one value per past week.
 */
function history(): Point[] {
  const perWeek = [100, 102, 98, 101, 99, 500];
  const pts: Point[] = [];
  for (let t = target - 6 * 7 * 24 * H; t < target; t += H) {
    const how = hourOfWeek(t);
    let v = 50;
    if (how === 2) v = perWeek[Math.round((target - t) / (7 * 24 * H)) - 1];
    pts.push({ ts: t, value: v });
  }
  return pts;
}

describe('seasonal band (W-21, W-23)', () => {
  it('W-21 hour-of-week is taken in Astana time, not the server zone', () => {
    expect(hourOfWeek(target)).toBe(2); // Monday 02:00 Astana
    expect(new Date(target).getUTCDay()).toBe(0); // it is still Sunday in UTC
  });

  it('W-21/W-23 the band is the median ± k·MAD of the same Astana hour over K weeks, the outlier removed', () => {
    const band = seasonalBand(history(), target, { weeks: 6 });
    // samples 100,102,98,101,99,500 → median 100.5, MAD 1.4826·1.5 → 500 is > 3·MAD away → removed;
    // kept 98..102: median 100, MAD 1.4826·1 → band 100 ± 3·1.4826
    expect(band).not.toBeNull();
    expect(band!.hourOfWeek).toBe(2);
    expect(band!.samples).toBe(6);
    expect(band!.outliersRemoved).toBe(1);
    expect(band!.median).toBe(100);
    expect(band!.mad).toBeCloseTo(MAD_SCALE, 10);
    expect(band!.lower).toBeCloseTo(100 - 3 * MAD_SCALE, 10);
    expect(band!.upper).toBeCloseTo(100 + 3 * MAD_SCALE, 10);
  });

  it('W-23 checkAgainstBand: within / above / below with a robust score; without outlier removal 105 would pass', () => {
    const band = seasonalBand(history(), target, { weeks: 6 })!;
    expect(checkAgainstBand(104, band)).toEqual({ status: 'within', score: 4 / MAD_SCALE });
    const above = checkAgainstBand(105, band);
    expect(above.status).toBe('above');
    expect(above.score).toBeCloseTo(5 / MAD_SCALE, 10);
    expect(checkAgainstBand(90, band).status).toBe('below');
    expect(checkAgainstBand(band.upper, band).status).toBe('within');
    // the naive statistics (outlier kept) would put the upper bound at 100.5 + 3·1.4826·1.5 ≈ 107.2
    const naiveUpper = 100.5 + 3 * MAD_SCALE * 1.5;
    expect(105).toBeLessThan(naiveUpper);
  });

  it('W-21 k is configurable and fewer weeks than minSamples give no band', () => {
    const band = seasonalBand(history(), target, { weeks: 6, k: 2 })!;
    expect(band.upper).toBeCloseTo(100 + 2 * MAD_SCALE, 10);
    expect(seasonalBand(history().slice(-2 * 7 * 24), target, { weeks: 6, minSamples: 3 })).toBeNull();
  });

  it('W-21 finer readings are averaged per hour; a flat history uses the MAD floor', () => {
    const pts: Point[] = [];
    for (let w = 1; w <= 4; w++) {
      const start = target - w * 7 * 24 * H;
      pts.push({ ts: start, value: 10 }, { ts: start + 30 * 60_000, value: 20 }); // hour mean 15
    }
    const band = seasonalBand(pts, target + 15 * 60_000, { weeks: 4, minMad: 0.5 })!;
    expect(band.median).toBe(15);
    expect(band.mad).toBe(0.5);
    expect(checkAgainstBand(16, band).status).toBe('within');
    expect(checkAgainstBand(17, band).status).toBe('above');
  });

  it('W-23 robustStats removes values farther than 3·MAD from the median', () => {
    const s = robustStats([10, 11, 9, 10, 10, 40, -20]);
    expect(s.outliers.sort((a, b) => a - b)).toEqual([-20, 40]);
    expect(s.median).toBe(10);
  });

  it('W-21 a value outside the band becomes a seasonal alert candidate; inside it none', () => {
    const band = seasonalBand(history(), target, { weeks: 6 })!;
    expect(seasonalAlert(103, band, { objectId: 'dma-3', metric: 'flow' })).toBeNull();
    const hi = seasonalAlert(106, band, { objectId: 'dma-3', metric: 'flow' })!;
    expect(hi).toMatchObject({ type: 'seasonal_above', severity: 'warning', objectId: 'dma-3', value: 106 });
    expect(hi.limit).toBeCloseTo(band.upper, 10);
    expect(seasonalAlert(80, band, { objectId: 'dma-3' })).toMatchObject({ type: 'seasonal_below', severity: 'critical' });
  });
});
