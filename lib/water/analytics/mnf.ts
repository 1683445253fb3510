/**
 * W-21/W-23: minimum night flow (MNF) leak detection per district metered area. At night legitimate use is
 * lowest, so a rise of the night minimum that persists over several nights is the classic sign of a new leak.
 * Nights are Astana nights (02:00–05:00 Astana by default); the baseline is the median MNF of the recent
 * leak-free nights. Pure: the caller passes the DMA's inflow points.
 */
import { HOUR_MS, DAY_MS, astanaDayNumber, astanaMsOfDay, isoOfDay, type IsoDate } from '@/lib/time/astana';
import { median, tsMs, type AlertCandidate, type Point } from './types';


export type NightMinimum = { night: IsoDate; mnf: number; samples: number };

export type NightWindow = { startHour?: number; endHour?: number; minSamples?: number };

/**
 * The minimum flow of each night in [startHour, endHour) Astana (default 02:00–05:00), labelled by the Astana
 * date of that morning, in date order. Nights with fewer than `minSamples` readings (default 1) are skipped.
 */
export function nightlyMinimums(points: readonly Point[], window: NightWindow = {}): NightMinimum[] {
  const from = (window.startHour ?? 2) * HOUR_MS;
  const to = (window.endHour ?? 5) * HOUR_MS;
  if (!(from >= 0 && to <= DAY_MS && from < to)) throw new RangeError('night window must lie within one Astana day');
  const byDay = new Map<number, { min: number; n: number }>();
  for (const p of points) {
    if (!Number.isFinite(p.value)) continue;
    const t = tsMs(p.ts);
    const tod = astanaMsOfDay(t);
    if (tod < from || tod >= to) continue;
    const day = astanaDayNumber(t);
    const cur = byDay.get(day);
    if (cur) {
      cur.min = Math.min(cur.min, p.value);
      cur.n++;
    } else byDay.set(day, { min: p.value, n: 1 });
  }
  const minSamples = window.minSamples ?? 1;
  return [...byDay.entries()]
    .filter(([, v]) => v.n >= minSamples)
    .sort((a, b) => a[0] - b[0])
    .map(([day, v]) => ({ night: isoOfDay(day), mnf: v.min, samples: v.n }));
}

export type MnfOptions = {
  /** N: how many recent leak-free nights form the baseline (default 14). */
  baselineNights?: number;
  /** Fewer leak-free nights than this → no judgement (default 5). */
  minBaselineNights?: number;
  /** Excess over the baseline that counts, in flow units (e.g. m³/h). */
  absoluteThreshold: number;
  /** Excess as a fraction of the baseline (0.2 = 20 %). The larger of the two thresholds applies. */
  relativeThreshold: number;
  /** M: consecutive exceeding nights before a leak is suspected (default 3). */
  consecutiveNights?: number;
  /**
   * Hours per day the night excess is assumed to flow (the "night-day factor"): 24 for a leak at constant
   * pressure; less where day pressure is lower than night pressure (default 24).
   */
  nightDayFactorHours?: number;
};

export type NightEvaluation = {
  night: IsoDate;
  mnf: number;
  baseline: number | null;
  excess: number | null;
  threshold: number | null;
  exceeds: boolean;
  /** Consecutive exceeding nights up to and including this one. */
  run: number;
  suspected: boolean;
};

export type MnfResult = {
  nights: NightEvaluation[];
  /** The state after the last night. */
  status: 'insufficient_baseline' | 'normal' | 'watch' | 'leak_suspected';
  /** When suspected: the first night of the current run. */
  since: IsoDate | null;
  run: number;
  baseline: number | null;
  /** Median excess flow over the run (flow units). */
  excessFlow: number | null;
  /** Estimated extra volume lost per day = excess flow × night-day factor hours (volume units, e.g. m³). */
  extraVolumePerDay: number | null;
};

/**
 * Evaluates nights in order. A night that exceeds the baseline is never added to the leak-free history, so a
 * leak does not raise its own baseline; a single noisy night only starts a run that the next normal night ends.
 */
export function detectMnfLeak(nights: readonly NightMinimum[], opts: MnfOptions): MnfResult {
  const n = opts.baselineNights ?? 14;
  const minBase = opts.minBaselineNights ?? 5;
  const m = opts.consecutiveNights ?? 3;
  const ndf = opts.nightDayFactorHours ?? 24;
  if (!(opts.absoluteThreshold >= 0 && opts.relativeThreshold >= 0 && m >= 1 && n >= 1)) {
    throw new RangeError('MNF thresholds must be non-negative and the night counts positive');
  }
  const leakFree: number[] = [];
  const out: NightEvaluation[] = [];
  let run = 0;
  let runExcess: number[] = [];
  for (const night of nights) {
    const recent = leakFree.slice(-n);
    if (recent.length < minBase) {
      // Still learning: every night is taken as leak-free until there is a baseline.
      leakFree.push(night.mnf);
      run = 0;
      runExcess = [];
      out.push({ night: night.night, mnf: night.mnf, baseline: null, excess: null, threshold: null, exceeds: false, run: 0, suspected: false });
      continue;
    }
    const baseline = median(recent);
    const excess = night.mnf - baseline;
    const threshold = Math.max(opts.absoluteThreshold, opts.relativeThreshold * baseline);
    const exceeds = excess > threshold;
    if (exceeds) {
      run++;
      runExcess.push(excess);
    } else {
      run = 0;
      runExcess = [];
      leakFree.push(night.mnf);
    }
    out.push({ night: night.night, mnf: night.mnf, baseline, excess, threshold, exceeds, run, suspected: run >= m });
  }
  const last = out[out.length - 1];
  if (!last || last.baseline === null) {
    return { nights: out, status: 'insufficient_baseline', since: null, run: 0, baseline: null, excessFlow: null, extraVolumePerDay: null };
  }
  const suspected = last.suspected;
  const excessFlow = run > 0 ? median(runExcess) : null;
  return {
    nights: out,
    status: suspected ? 'leak_suspected' : run > 0 ? 'watch' : 'normal',
    since: run > 0 ? out[out.length - run].night : null,
    run,
    baseline: last.baseline,
    excessFlow,
    extraVolumePerDay: suspected && excessFlow !== null ? excessFlow * ndf : null,
  };
}

/** The alert candidate for a suspected leak (type night_flow_high), or null. */
export function mnfAlert(result: MnfResult, ref: { objectId?: string | null; deviceId?: string | null }): AlertCandidate | null {
  if (result.status !== 'leak_suspected' || result.excessFlow === null || result.baseline === null) return null;
  const last = result.nights[result.nights.length - 1];
  return {
    type: 'night_flow_high',
    severity: 'warning',
    objectId: ref.objectId ?? null,
    deviceId: ref.deviceId ?? null,
    messageKey: 'water.alerts.night_flow_high',
    params: {
      since: result.since ?? last.night,
      nights: result.run,
      baseline: round3(result.baseline),
      excess: round3(result.excessFlow),
      extraVolumePerDay: round3(result.extraVolumePerDay ?? 0),
    },
    value: last.mnf,
    limit: result.baseline + (last.threshold ?? 0),
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
