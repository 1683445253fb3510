/**
 * W-23 filtering (pure): readings outside the physical range, spikes and stuck values are flagged, never
 * dropped. Values are in canonical units (lib/water/normalize.ts), times in epoch ms.
 */
import type { DeviceRated } from '@/db/schema/water';
import { FLAG } from './flags';
import type { Metric } from './normalize';

type MetricRules = {
  /** Physical limits that hold for any device (e.g. pH 0–14). */
  min?: number;
  max?: number;
  /** Smallest deviation scale for the spike test, so a perfectly flat series does not flag tiny noise. */
  noise: number | null;
  /** Run length of identical values that means a stuck sensor; null where a constant value is normal. */
  stuckRun: number | null;
  /** Zero is a normal steady state (a stopped pump), not a stuck sensor. */
  zeroIsNormal?: boolean;
};

export const METRIC_RULES: Record<Metric, MetricRules> = {
  flow: { noise: 0.1, stuckRun: 8, zeroIsNormal: true },
  pressure: { min: -1, max: 100, noise: 0.05, stuckRun: 8 },
  level: { min: 0, noise: 0.02, stuckRun: null },
  voltage: { min: 0, noise: 2, stuckRun: 8, zeroIsNormal: true },
  power: { min: 0, noise: 0.5, stuckRun: 8, zeroIsNormal: true },
  // A totaliser: it grows in steps and stands still when nothing flows, so neither test fits.
  volume: { min: 0, noise: null, stuckRun: null },
  turbidity: { min: 0, max: 4000, noise: 0.1, stuckRun: null },
  chlorine: { min: 0, max: 100, noise: 0.05, stuckRun: null },
  ph: { min: 0, max: 14, noise: 0.1, stuckRun: null },
};

export type FilterConfig = {
  /** A reading is a spike when |value − median| > k · scale (scale = 1.4826 · MAD, floored). */
  spikeK: number;
  /** How many preceding points of the series form the reference window. */
  spikeWindow: number;
  /** Fewer points than this: no spike test (not enough evidence). */
  spikeMinPoints: number;
  /** Points older than this before the reading are not part of its window. */
  spikeWindowMs: number;
  /** Relative floor of the scale: 2 % of the median. */
  spikeRelFloor: number;
};

export const DEFAULT_FILTER: FilterConfig = {
  spikeK: 6,
  spikeWindow: 12,
  spikeMinPoints: 5,
  spikeWindowMs: 6 * 3_600_000,
  spikeRelFloor: 0.02,
};

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function sortedMedian(s: Float64Array, n: number): number {
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Sorts the first n items in place (n ≤ a dozen: faster than a general sort, and allocates nothing). */
function insertionSort(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

/** Median absolute deviation from the median. */
export function mad(xs: number[], med = median(xs)): number {
  return median(xs.map((x) => Math.abs(x - med)));
}

/** OUT_OF_RANGE when the value lies outside the device's rated range for the metric or the metric's physical limits. */
export function rangeFlag(metric: Metric, value: number, rated?: DeviceRated | null): number {
  const rules = METRIC_RULES[metric];
  const range = rated?.ranges?.[metric];
  const min = typeof range?.min === 'number' ? range.min : rules.min;
  const max = typeof range?.max === 'number' ? range.max : rules.max;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) return FLAG.OUT_OF_RANGE;
  return 0;
}

export type Point = { ts: number; value: number };

/** Whether instants strictly increase and every value is finite (the usual series: ingest dedupes and sorts). */
function increasingAndFinite(all: Point[]): boolean {
  for (let i = 0; i < all.length; i++) {
    if (!Number.isFinite(all[i].value) || (i > 0 && all[i].ts <= all[i - 1].ts)) return false;
  }
  return true;
}

/** The spike test of one point against its reference window (sorted, n values). */
function isSpike(value: number, win: Float64Array, n: number, noise: number, cfg: FilterConfig): boolean {
  const med = sortedMedian(win, n);
  // The median absolute deviation without sorting the deviations: below the median they grow leftwards and
  // above it rightwards, so merging the two runs yields them in order; take the middle one (or two).
  let l = 0;
  while (l < n && win[l] < med) l++;
  let r = l;
  l--;
  const lowRank = (n - 1) >> 1, highRank = n >> 1;
  let low = 0, d = 0;
  for (let rank = 0; rank <= highRank; rank++) {
    const dl = l >= 0 ? Math.abs(win[l] - med) : Infinity;
    const dr = r < n ? Math.abs(win[r] - med) : Infinity;
    if (dl <= dr) {
      d = dl;
      l--;
    } else {
      d = dr;
      r++;
    }
    if (rank === lowRank) low = d;
  }
  const spread = n % 2 ? low : (low + d) / 2;
  const scale = Math.max(1.4826 * spread, cfg.spikeRelFloor * Math.abs(med), noise);
  return Math.abs(value - med) > cfg.spikeK * scale;
}

/**
 * The spike test over a series whose instants strictly increase (the ingest case): the reference window of
 * each point is the run of up to `spikeWindow` points just before it and within `spikeWindowMs`, kept sorted
 * as it slides (one insertion and a removal or two per point) instead of being gathered and sorted anew.
 * The same flags as spikesGeneral (a property test holds them equal).
 */
function spikesSliding(all: Point[], h: number, out: number[], noise: number, cfg: FilterConfig): void {
  const win = new Float64Array(cfg.spikeWindow + 1);
  let n = 0;
  let lo = Math.max(0, h - cfg.spikeWindow);
  let hi = lo;
  for (let i = h; i < all.length; i++) {
    const p = all[i];
    for (; hi < i; hi++) {
      // insert after equal values (binary search for the upper bound)
      const x = all[hi].value;
      let a = 0, b = n;
      while (a < b) {
        const m = (a + b) >> 1;
        if (win[m] <= x) a = m + 1;
        else b = m;
      }
      for (let k = n; k > a; k--) win[k] = win[k - 1];
      win[a] = x;
      n++;
    }
    for (; lo < hi && (lo < i - cfg.spikeWindow || p.ts - all[lo].ts > cfg.spikeWindowMs); lo++) {
      // remove one occurrence of the value (binary search for the lower bound: it is there)
      const x = all[lo].value;
      let a = 0, b = n;
      while (a < b) {
        const m = (a + b) >> 1;
        if (win[m] < x) a = m + 1;
        else b = m;
      }
      n--;
      for (let k = a; k < n; k++) win[k] = win[k + 1];
    }
    if (n >= cfg.spikeMinPoints && isSpike(p.value, win, n, noise, cfg)) out[i - h] |= FLAG.SPIKE;
  }
}

/** The spike test in general (instants may repeat or go back): each point's window gathered and sorted. */
function spikesGeneral(all: Point[], h: number, out: number[], noise: number, cfg: FilterConfig): void {
  // Typed buffers sorted in place: no allocation per point.
  const win = new Float64Array(cfg.spikeWindow);
  for (let i = h; i < all.length; i++) {
    const p = all[i];
    let n = 0;
    for (let j = i - 1; j >= 0 && n < cfg.spikeWindow; j--) {
      if (all[j].ts >= p.ts) continue; // same instant (a duplicate in the batch) is no evidence
      if (p.ts - all[j].ts > cfg.spikeWindowMs) break;
      win[n++] = all[j].value;
    }
    if (n < cfg.spikeMinPoints) continue;
    insertionSort(win, n);
    if (isSpike(p.value, win, n, noise, cfg)) out[i - h] |= FLAG.SPIKE;
  }
}

/** The spike flags by the definition, for tests: each window sorted, then the deviations sorted. */
export function spikeFlagsReference(all: Point[], h: number, metric: Metric, cfg: FilterConfig = DEFAULT_FILTER): number[] {
  const noise = METRIC_RULES[metric].noise;
  const out = new Array<number>(all.length - h).fill(0);
  if (noise === null) return out;
  for (let i = h; i < all.length; i++) {
    const p = all[i];
    const win: number[] = [];
    for (let j = i - 1; j >= 0 && win.length < cfg.spikeWindow; j--) {
      if (all[j].ts >= p.ts) continue;
      if (p.ts - all[j].ts > cfg.spikeWindowMs) break;
      win.push(all[j].value);
    }
    if (win.length < cfg.spikeMinPoints) continue;
    const med = median(win);
    const scale = Math.max(1.4826 * mad(win, med), cfg.spikeRelFloor * Math.abs(med), noise);
    if (Math.abs(p.value - med) > cfg.spikeK * scale) out[i - h] |= FLAG.SPIKE;
  }
  return out;
}

/**
 * SPIKE and STUCK flags for the new points of one series (one device and metric).
 * `history`: stored points before the batch, ascending by ts; `batch`: the new points, ascending by ts.
 * Returns one flag set per batch point, in the batch's order.
 */
export function seriesFlags(metric: Metric, history: Point[], batch: Point[], cfg: FilterConfig = DEFAULT_FILTER): number[] {
  const rules = METRIC_RULES[metric];
  const out = new Array<number>(batch.length).fill(0);
  const all = history.concat(batch);
  const h = history.length;

  if (rules.noise !== null) {
    if (increasingAndFinite(all)) spikesSliding(all, h, out, rules.noise, cfg);
    else spikesGeneral(all, h, out, rules.noise, cfg);
  }

  if (rules.stuckRun !== null) {
    // Length of the run of identical values ending at each point (repeats of the same instant do not count).
    let run = 0;
    let runStart = 0;
    let marked = -1; // last index already flagged, so a long run is flagged in linear time
    for (let i = 0; i < all.length; i++) {
      const p = all[i];
      if (i > 0 && p.ts === all[i - 1].ts) {
        if (i >= h && run >= rules.stuckRun && p.value === all[i - 1].value) out[i - h] |= FLAG.STUCK;
        continue;
      }
      if (i > 0 && p.value === all[i - 1].value) run++;
      else {
        run = 1;
        runStart = i;
      }
      if (run >= rules.stuckRun && !(rules.zeroIsNormal && p.value === 0)) {
        // Flag every new point of the run, including those before it reached the threshold.
        for (let j = Math.max(runStart, h, marked + 1); j <= i; j++) out[j - h] |= FLAG.STUCK;
        marked = i;
      }
    }
  }
  return out;
}
