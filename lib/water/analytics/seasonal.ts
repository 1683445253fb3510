/**
 * W-21/W-23: a seasonal band. For the same hour of the week (Astana time) over the last K weeks, the median
 * and the median absolute deviation (MAD, scaled by 1.4826 so it estimates σ for normal data), after removing
 * outliers (|x − median| > 3·MAD). The band is median ± k·MAD. Pure: the caller passes the history.
 */
import { HOUR_MS, DAY_MS, astanaParts, fromLocalMs, toLocalMs } from '@/lib/time/astana';
import { median, tsMs, type AlertCandidate, type Point } from './types';

export const MAD_SCALE = 1.4826;
const WEEK_MS = 7 * DAY_MS;

/** 0 … 167: Monday 00:00–01:00 Astana is 0, Sunday 23:00–24:00 is 167. */
export function hourOfWeek(ts: number | Date): number {
  const p = astanaParts(tsMs(ts));
  return (p.weekday - 1) * 24 + p.hour;
}

/** The instant starting the Astana hour that contains ts. */
export function astanaHourStart(ts: number | Date): number {
  const local = toLocalMs(tsMs(ts));
  return fromLocalMs(local - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS));
}

export type RobustStats = { median: number; mad: number; kept: number[]; outliers: number[] };

/** Median and scaled MAD after one pass of outlier removal (|x − median| > 3·MAD). */
export function robustStats(values: readonly number[], outlierK = 3): RobustStats {
  if (values.length === 0) return { median: Number.NaN, mad: Number.NaN, kept: [], outliers: [] };
  const m0 = median(values);
  const mad0 = MAD_SCALE * median(values.map((x) => Math.abs(x - m0)));
  const kept: number[] = [];
  const outliers: number[] = [];
  for (const x of values) (Math.abs(x - m0) > outlierK * mad0 ? outliers : kept).push(x);
  const m = median(kept);
  return { median: m, mad: MAD_SCALE * median(kept.map((x) => Math.abs(x - m))), kept, outliers };
}

export type SeasonalBand = {
  hourOfWeek: number;
  median: number;
  mad: number;
  lower: number;
  upper: number;
  k: number;
  /** One sample per past week (the mean of that week's readings in the hour). */
  samples: number;
  outliersRemoved: number;
};

export type SeasonalOptions = {
  /** K: how many past weeks to look back (default 6). */
  weeks?: number;
  /** k: band half-width in MADs (default 3). */
  k?: number;
  /** Fewer usable weeks than this → no band (default 3). */
  minSamples?: number;
  /** A floor for the MAD so a perfectly flat history does not alert on any change (default 0). */
  minMad?: number;
};

/**
 * The band for the hour containing `at`, from the same Astana hour-of-week in each of the K weeks before.
 * Readings finer than hourly are averaged per hour first. Returns null when there are too few weeks of data.
 */
export function seasonalBand(history: readonly Point[], at: number | Date, opts: SeasonalOptions = {}): SeasonalBand | null {
  const weeks = opts.weeks ?? 6;
  const k = opts.k ?? 3;
  const minSamples = opts.minSamples ?? 3;
  const start = astanaHourStart(at);
  // Go back in Astana wall-clock weeks (the same hour of the week even across the 2024 offset change).
  const localStart = toLocalMs(start);
  const windows: { from: number; to: number; sum: number; n: number }[] = [];
  for (let w = 1; w <= weeks; w++) {
    const from = fromLocalMs(localStart - w * WEEK_MS);
    windows.push({ from, to: from + HOUR_MS, sum: 0, n: 0 });
  }
  const earliest = windows[windows.length - 1].from;
  for (const p of history) {
    const t = tsMs(p.ts);
    if (t < earliest || t >= start || !Number.isFinite(p.value)) continue;
    for (const win of windows) {
      if (t >= win.from && t < win.to) {
        win.sum += p.value;
        win.n++;
        break;
      }
    }
  }
  const samples = windows.filter((w) => w.n > 0).map((w) => w.sum / w.n);
  if (samples.length < minSamples) return null;
  const s = robustStats(samples);
  const mad = Math.max(s.mad, opts.minMad ?? 0);
  return {
    hourOfWeek: hourOfWeek(start),
    median: s.median,
    mad,
    lower: s.median - k * mad,
    upper: s.median + k * mad,
    k,
    samples: samples.length,
    outliersRemoved: s.outliers.length,
  };
}

export type BandCheck = {
  status: 'within' | 'above' | 'below';
  /** Robust z-score (value − median) / MAD; ±Infinity when the MAD is 0 and the value differs. */
  score: number;
};

/** Where a value lies against a band; the bounds themselves are within. */
export function checkAgainstBand(value: number, band: Pick<SeasonalBand, 'median' | 'mad' | 'lower' | 'upper'>): BandCheck {
  const diff = value - band.median;
  const score = band.mad > 0 ? diff / band.mad : diff === 0 ? 0 : diff > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  const status = value > band.upper ? 'above' : value < band.lower ? 'below' : 'within';
  return { status, score };
}

/** The alert candidate (seasonal_above / seasonal_below) for a value outside its band, or null. */
export function seasonalAlert(
  value: number,
  band: SeasonalBand,
  ref: { objectId?: string | null; deviceId?: string | null; metric?: string },
): AlertCandidate | null {
  const c = checkAgainstBand(value, band);
  if (c.status === 'within') return null;
  const type = c.status === 'above' ? 'seasonal_above' : 'seasonal_below';
  return {
    type,
    // twice the band's half-width away is treated as critical
    severity: Math.abs(c.score) > 2 * band.k ? 'critical' : 'warning',
    objectId: ref.objectId ?? null,
    deviceId: ref.deviceId ?? null,
    messageKey: `water.alerts.${type}`,
    params: { metric: ref.metric ?? '', value, median: band.median, lower: band.lower, upper: band.upper, hourOfWeek: band.hourOfWeek },
    value,
    limit: c.status === 'above' ? band.upper : band.lower,
  };
}
