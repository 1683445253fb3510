import { describe, expect, it } from 'vitest';
import { astanaMidnight, astanaParts } from '@/lib/time/astana';
import { backtest, fitAndForecast, forecastWeek, type HourlyObservation } from './forecast';

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
 * Weeks of a DMA's hourly demand (m³/h) from Monday 1 June 2026 00:00 Astana. Daily pattern (morning and
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

describe('demand forecast with Prophet (@bsull/augurs) and weather regressors (W-25, W-28)', () => {
  it('W-28 backtest on the last 7 days: MAPE under 4 %, and the weather regressors measurably help', async () => {
    const history = synthetic(6);
    const result = await backtest(history, 168);
    expect(result.n).toBe(168);
    expect(result.points[0].ts.getTime()).toBe(history[history.length - 168].ts);
    // noise σ = 2 on ≈ 100 m³/h alone gives ≈ 1.6 %; the bound leaves room for the estimation error
    expect(result.mape).toBeLessThan(4);
    expect(result.mae).toBeLessThan(3.5);
    // MAE really is the mean absolute error
    const mae = result.points.reduce((s, p) => s + Math.abs(p.actual - p.forecast), 0) / 168;
    expect(result.mae).toBeCloseTo(mae, 10);

    // the same model without the weather regressors is clearly worse: weather matters (W-28)
    const naive = await backtest(history, 168, { weather: false });
    expect(naive.mape).toBeGreaterThan(result.mape * 1.5);
  });

  it('W-25 a 7-day hourly forecast from history and a weather forecast follows the daily and weekly pattern', async () => {
    const all = synthetic(7, 7);
    const history = all.slice(0, 6 * 168);
    const future = all.slice(6 * 168);
    const { model, points } = await forecastWeek(
      history,
      future.map(({ ts, temperature, precipitation }) => ({ ts, temperature: temperature!, precipitation: precipitation! })),
    );
    expect(model).toMatchObject({ kind: 'prophet', library: '@bsull/augurs', weather: true, n: 6 * 168 });
    expect(points).toHaveLength(168);
    expect(points[0].ts.getTime()).toBe(model.nextHour.getTime());
    expect(points[0].ts.getTime()).toBe(future[0].ts);
    // Monday 08:00 Astana (peak) is well above Monday 03:00 (night), and Saturday's 08:00 below Monday's
    const at = (weekday: number, hour: number) =>
      points.find((p) => astanaParts(p.ts).weekday === weekday && astanaParts(p.ts).hour === hour)!.value;
    expect(at(1, 8)).toBeGreaterThan(at(1, 3) * 2);
    expect(at(6, 8)).toBeLessThan(at(1, 8) * 0.8);
    const mape = (points.reduce((s, p, i) => s + Math.abs(p.value - future[i].value) / future[i].value, 0) / 168) * 100;
    expect(mape).toBeLessThan(4);
    // the 95 % interval covers most actual values
    const covered = points.filter((p, i) => future[i].value >= p.lower && future[i].value <= p.upper).length;
    expect(covered / 168).toBeGreaterThan(0.85);
    expect(points.every((p) => p.lower <= p.value && p.value <= p.upper)).toBe(true);
    // weather is required for every forecast hour when the model uses it
    await expect(forecastWeek(history, future.slice(1) as never)).rejects.toThrow(RangeError);
  });

  it('W-25 too little history, missing weather or an impossible holdout is refused', async () => {
    const h = synthetic(1);
    await expect(fitAndForecast(h.slice(0, 100), [{ ts: 0 }], { weather: false })).rejects.toThrow(RangeError);
    await expect(fitAndForecast([...h, { ts: h[167].ts as number + H, value: 50 }], [{ ts: 0, temperature: 1, precipitation: 0 }])).rejects.toThrow(
      /weather missing/,
    );
    await expect(backtest(h, 0)).rejects.toThrow(RangeError);
    await expect(backtest(h, 168)).rejects.toThrow(RangeError);
  });
});
