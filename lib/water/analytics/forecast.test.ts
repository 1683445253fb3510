import { describe, expect, it } from 'vitest';
import { astanaMidnight, astanaParts } from '@/lib/time/astana';
import { backtest, fitDemandModel, forecastWeek, ols, predictDemand, solveLinear, type Forecaster, type HourlyObservation } from './forecast';

const H = 3_600_000;

/** A seeded PRNG (mulberry32) so the synthetic series is the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

const TRUE_BETA_T = 2; // m³/h per °C above the usual temperature of the hour
const TRUE_BETA_P = -4; // m³/h per mm of rain

/**
 * Ten weeks of a DMA's hourly demand (m³/h) from Monday 1 June 2026 00:00 Astana. Daily pattern (morning and
 * evening peaks, low at night) in Astana time, a weekly pattern (weekends lower, later), a temperature with a
 * daily cycle plus a day-to-day weather anomaly, showers, and noise σ = 2.
 */
function synthetic(weeks = 10, seed = 42): HourlyObservation[] {
  const r = rng(seed);
  const start = astanaMidnight('2026-06-01').getTime();
  const out: HourlyObservation[] = [];
  let anomaly = 0;
  let rain = 0;
  for (let i = 0; i < weeks * 168; i++) {
    const ts = start + i * H;
    const { hour, weekday } = astanaParts(ts);
    if (hour === 0) anomaly = 0.6 * anomaly + 3 * r.normal(); // day-to-day weather
    rain = r.uniform() < 0.06 ? 1 + 3 * r.uniform() : rain > 0 && r.uniform() < 0.6 ? rain : 0;
    const temperature = 22 + 6 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + anomaly;
    const weekend = weekday >= 6;
    const daily =
      hour < 5 ? 45 : hour < 7 ? 70 : hour < 10 ? (weekend ? 95 : 130) : hour < 18 ? 100 : hour < 22 ? 125 : 80;
    const usualT = 22 + 6 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
    const value = daily * (weekend ? 0.9 : 1) + TRUE_BETA_T * (temperature - usualT) + TRUE_BETA_P * rain + 2 * r.normal();
    out.push({ ts, value, temperature, precipitation: rain });
  }
  return out;
}

describe('demand forecast (W-25, W-28)', () => {
  it('W-28 solveLinear and OLS recover known coefficients; a column without variation gets 0', () => {
    expect(solveLinear([[2, 1], [1, 3]], [3, 5])).toEqual([0.8, 1.4]);
    expect(() => solveLinear([[1, 2], [2, 4]], [1, 2])).toThrow(RangeError);
    const x = [[1, 0], [2, 0], [3, 0], [-1, 0]];
    const beta = ols(x, x.map((row) => 3 * row[0]));
    expect(beta[0]).toBeCloseTo(3, 12);
    expect(beta[1]).toBe(0);
  });

  it('W-28 the weather effect is recovered: β for temperature ≈ 2 m³/h per °C and rain ≈ −4 m³/h per mm', () => {
    const model = fitDemandModel(synthetic(), { profileWeeks: 6 });
    expect(model.coefficients.temperature).toBeGreaterThan(1.8);
    expect(model.coefficients.temperature).toBeLessThan(2.2);
    expect(model.coefficients.precipitation).toBeGreaterThan(-4.6);
    expect(model.coefficients.precipitation).toBeLessThan(-3.4);
    expect(model.residualStd).toBeLessThan(3.5);
  });

  it('W-25/W-28 backtest on the last 7 days: MAPE under 4 %, and much better than the profile without weather', () => {
    const history = synthetic();
    const result = backtest(history, 168);
    expect(result.n).toBe(168);
    expect(result.points[0].ts.getTime()).toBe(history[history.length - 168].ts);
    // noise σ = 2 on ≈ 100 m³/h alone gives ≈ 1.6 %; the bound leaves room for the profile's estimation error
    expect(result.mape).toBeLessThan(4);
    expect(result.mae).toBeLessThan(3.5);
    // MAE and MAPE really are the means of the absolute (percentage) errors
    const mae = result.points.reduce((s, p) => s + Math.abs(p.actual - p.forecast), 0) / 168;
    expect(result.mae).toBeCloseTo(mae, 10);

    // the same model without weather (β forced to 0) is clearly worse: weather matters (W-28)
    const noWeather: Forecaster = {
      name: 'profile only',
      fit: (h, o) => ({ ...fitDemandModel(h, o), coefficients: { temperature: 0, precipitation: 0 } }),
      predict: predictDemand,
    };
    const naive = backtest(history, 168, {}, noWeather);
    expect(naive.mape).toBeGreaterThan(result.mape * 1.5);
  });

  it('W-25 a 7-day hourly forecast from history and a weather forecast follows the daily and weekly pattern', () => {
    const all = synthetic(11, 7);
    const history = all.slice(0, 10 * 168);
    const future = all.slice(10 * 168);
    const { model, points } = forecastWeek(
      history,
      future.map(({ ts, temperature, precipitation }) => ({ ts, temperature, precipitation })),
    );
    expect(points).toHaveLength(168);
    expect(points[0].ts.getTime()).toBe(model.nextHour.getTime());
    expect(points[0].ts.getTime()).toBe(future[0].ts);
    // Monday 08:00 Astana (peak) is well above Monday 03:00 (night), and Saturday's peak below Monday's
    const at = (weekday: number, hour: number) =>
      points.find((p) => astanaParts(p.ts).weekday === weekday && astanaParts(p.ts).hour === hour)!.value;
    expect(at(1, 8)).toBeGreaterThan(at(1, 3) * 2);
    expect(at(6, 8)).toBeLessThan(at(1, 8) * 0.8);
    const mape = (points.reduce((s, p, i) => s + Math.abs(p.value - future[i].value) / future[i].value, 0) / 168) * 100;
    expect(mape).toBeLessThan(4);
    // the interval covers most actual values (≈ 95 % nominal)
    const covered = points.filter((p, i) => future[i].value >= p.lower && future[i].value <= p.upper).length;
    expect(covered / 168).toBeGreaterThan(0.85);
    expect(() => forecastWeek(history, future.slice(1))).toThrow(RangeError);
  });

  it('W-25 too little history or an impossible holdout is refused', () => {
    const h = synthetic(1);
    expect(() => fitDemandModel(h.slice(0, 100))).toThrow(RangeError);
    expect(() => backtest(h, 0)).toThrow(RangeError);
    expect(() => backtest(h, 168)).toThrow(RangeError);
  });
});
