import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, mad, median, rangeFlag, seriesFlags, spikeFlagsReference, type FilterConfig, type Point } from './filter';
import { FLAG } from './flags';

const T0 = Date.parse('2025-06-01T00:00:00Z');
const series = (values: number[], start = T0, stepMs = 60_000): Point[] => values.map((value, i) => ({ ts: start + i * stepMs, value }));

describe('filter', () => {
  it('median and MAD', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it('W-23 out-of-range: outside the device rated range, or outside physical limits when the device has none', () => {
    const rated = { ranges: { pressure: { min: 0, max: 16 } } };
    expect(rangeFlag('pressure', 12, rated)).toBe(0);
    expect(rangeFlag('pressure', 17, rated)).toBe(FLAG.OUT_OF_RANGE);
    expect(rangeFlag('pressure', -0.5, rated)).toBe(FLAG.OUT_OF_RANGE);
    expect(rangeFlag('ph', 15, {})).toBe(FLAG.OUT_OF_RANGE);
    expect(rangeFlag('ph', 7, {})).toBe(0);
    expect(rangeFlag('flow', -3, {})).toBe(0); // reverse flow is physical
  });

  it('W-23 a spike far from the recent median is flagged, ordinary noise is not', () => {
    const values = [50, 51, 49.5, 50.5, 50, 49, 51, 250, 50.2, 49.8];
    const flags = seriesFlags('flow', [], series(values));
    expect(flags.map((f) => (f & FLAG.SPIKE) !== 0)).toEqual([false, false, false, false, false, false, false, true, false, false]);
  });

  it('W-23 the stored history counts: the first new point can be a spike', () => {
    const history = series([3.1, 3.2, 3.0, 3.1, 3.2, 3.1]);
    const batch = series([9.5, 3.1], T0 + 6 * 60_000);
    expect(seriesFlags('pressure', history, batch)).toEqual([FLAG.SPIKE, 0]);
    // with history older than the spike window there is no evidence, so no flag
    const old = series([3.1, 3.2, 3.0, 3.1, 3.2, 3.1], T0 - 24 * 3_600_000);
    expect(seriesFlags('pressure', old, batch)).toEqual([0, 0]);
  });

  it('W-23 a value repeated 8 times where the metric should vary is stuck; the whole run is flagged', () => {
    const values = [40, 41, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 43];
    const flags = seriesFlags('flow', [], series(values)).map((f) => (f & FLAG.STUCK) !== 0);
    expect(flags).toEqual([false, false, true, true, true, true, true, true, true, true, false]);
    // 7 repeats are not enough
    const seven = seriesFlags('flow', [], series([40, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 43]));
    expect(seven.some((f) => f & FLAG.STUCK)).toBe(false);
  });

  it('W-23 stuck runs continue from stored history; zero flow (pump stopped) and reservoir level are not stuck', () => {
    const history = series([42.5, 42.5, 42.5, 42.5, 42.5]);
    const batch = series([42.5, 42.5, 42.5, 44], T0 + 5 * 60_000);
    expect(seriesFlags('flow', history, batch).map((f) => (f & FLAG.STUCK) !== 0)).toEqual([true, true, true, false]);
    expect(seriesFlags('flow', [], series(new Array(20).fill(0))).some((f) => f & FLAG.STUCK)).toBe(false);
    expect(seriesFlags('level', [], series(new Array(20).fill(4.2))).some((f) => f & FLAG.STUCK)).toBe(false);
  });

  it('a long stuck run is flagged in linear time', () => {
    const values = new Array(200_000).fill(7);
    const started = performance.now();
    const flags = seriesFlags('voltage', [], series(values, T0, 1000));
    expect(flags.every((f) => f & FLAG.STUCK)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('W-23 the spike test gives the same flags as its definition (sliding window on ordered series, general otherwise)', () => {
    // Values from a small set make ties and equal medians common; steps around the window's time span make
    // windows cut short by time; repeated or backward instants take the general path.
    const value = fc.oneof(fc.constantFrom(50, 50.5, 49, 51, 52.25, 250, 0, -3), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    const step = fc.oneof(fc.constantFrom(1000, 60_000, 3_600_000, 2 * 3_600_000 + 1), fc.integer({ min: 1, max: 7 * 3_600_000 }));
    const config: fc.Arbitrary<FilterConfig> = fc.record({
      spikeK: fc.constantFrom(0.5, 3, 6),
      spikeWindow: fc.integer({ min: 0, max: 15 }),
      spikeMinPoints: fc.integer({ min: 0, max: 8 }),
      spikeWindowMs: fc.constantFrom(DEFAULT_FILTER.spikeWindowMs, 90_000, 3_600_000),
      spikeRelFloor: fc.constantFrom(0, 0.02),
    });
    const points = (ordered: boolean) =>
      fc.array(fc.tuple(ordered ? step : fc.integer({ min: -120_000, max: 120_000 }), value), { maxLength: 60 }).map((xs) => {
        let ts = T0;
        return xs.map(([d, v]) => ({ ts: (ts += ordered ? d : Math.round(d / 60_000) * 60_000), value: v }));
      });
    for (const ordered of [true, false]) {
      fc.assert(
        fc.property(points(ordered), fc.nat(), config, fc.constantFrom('flow', 'pressure', 'voltage') as fc.Arbitrary<'flow' | 'pressure' | 'voltage'>, (all, cut, cfg, metric) => {
          const h = all.length ? cut % (all.length + 1) : 0;
          const spikes = seriesFlags(metric, all.slice(0, h), all.slice(h), cfg).map((f) => f & FLAG.SPIKE);
          expect(spikes).toEqual(spikeFlagsReference(all, h, metric, cfg));
        }),
        { numRuns: 2000 },
      );
    }
  });
});

