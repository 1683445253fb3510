/**
 * W-25/W-28: hourly demand forecast for a DMA or utility, 7 days ahead, with weather as an external factor.
 *
 * A transparent model ("seasonal profile + weather regression"), testable by hand:
 *   ŷ(t) = S[h] + βT·(T(t) − T̄[h]) + βP·(P(t) − P̄[h])
 * where h is the Astana hour of the week (0…167), S[h] the mean demand at h over the recent weeks, T̄[h] and
 * P̄[h] the mean temperature and precipitation at h over the same weeks, and β the ordinary least squares fit
 * (normal equations, 2×2) of the demand residuals on the weather anomalies. Regressing on anomalies rather
 * than raw weather keeps the daily temperature cycle, already in S, from being counted twice (this equals the
 * full regression with 168 hour-of-week dummies, by the Frisch–Waugh–Lovell theorem).
 *
 * The issue prefers a maintained forecasting library (e.g. @bsull/augurs); it is not installed here. The
 * `Forecaster` interface below is the seam: another implementation can replace `seasonalWeatherForecaster`
 * without touching callers or `backtest`.
 */
import { hourOfWeek } from './seasonal';
import { tsMs } from './types';

const HOUR_MS = 3_600_000;
const HOURS_PER_WEEK = 168;

export type WeatherHour = { ts: number | Date; temperature: number; precipitation: number };
export type HourlyObservation = WeatherHour & { value: number };
export type ForecastPoint = { ts: Date; value: number; lower: number; upper: number };

export type ForecastOptions = {
  /** Weeks of the most recent history the model learns from (default 4). */
  profileWeeks?: number;
  /** Half-width of the interval in residual standard deviations (default 1.96). */
  intervalZ?: number;
};

export type DemandModel = {
  kind: 'seasonal_weather_ols';
  profile: number[];
  /** Observations behind each hour-of-week mean (0 where a fallback was used). */
  profileCounts: number[];
  temperatureMean: number[];
  precipitationMean: number[];
  coefficients: { temperature: number; precipitation: number };
  /** σ of the residuals, degrees of freedom corrected for the 168 hour means and the 2 coefficients. */
  residualStd: number;
  intervalZ: number;
  /** Observations used. */
  n: number;
  /** The instant after the last observed hour (the first hour to forecast). */
  nextHour: Date;
};

export interface Forecaster {
  readonly name: string;
  fit(history: readonly HourlyObservation[], opts?: ForecastOptions): DemandModel;
  predict(model: DemandModel, weather: readonly WeatherHour[]): ForecastPoint[];
}

// ---- Linear algebra (small matrices) --------------------------------------------------------------------

/** Solves A·x = b by Gaussian elimination with partial pivoting; throws on a singular matrix. */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12) throw new RangeError('singular matrix');
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * Ordinary least squares via the normal equations (XᵀX)β = Xᵀy. Columns without variation (e.g. no rain in
 * the whole window) get β = 0 instead of making the system singular.
 */
export function ols(x: readonly (readonly number[])[], y: readonly number[]): number[] {
  const k = x[0]?.length ?? 0;
  const keep = [...Array(k).keys()].filter((j) => x.some((row) => Math.abs(row[j]) > 1e-9));
  const beta = new Array<number>(k).fill(0);
  if (keep.length === 0) return beta;
  const xtx = keep.map((i) => keep.map((j) => x.reduce((s, row) => s + row[i] * row[j], 0)));
  const xty = keep.map((i) => x.reduce((s, row, r) => s + row[i] * y[r], 0));
  let sol: number[];
  try {
    sol = solveLinear(xtx, xty);
  } catch {
    return beta; // collinear weather columns: fall back to the profile alone
  }
  keep.forEach((j, idx) => (beta[j] = sol[idx]));
  return beta;
}

// ---- The model -------------------------------------------------------------------------------------------

function meansByHourOfWeek(rows: readonly { h: number; v: number }[]): number[] {
  const sum = new Array<number>(HOURS_PER_WEEK).fill(0);
  const cnt = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const r of rows) {
    sum[r.h] += r.v;
    cnt[r.h]++;
  }
  // An hour of the week never seen falls back to the same hour of the day on other days, then to the mean.
  const all = rows.length ? rows.reduce((s, r) => s + r.v, 0) / rows.length : 0;
  return sum.map((s, h) => {
    if (cnt[h]) return s / cnt[h];
    let ds = 0;
    let dc = 0;
    for (let d = h % 24; d < HOURS_PER_WEEK; d += 24) {
      ds += sum[d];
      dc += cnt[d];
    }
    return dc ? ds / dc : all;
  });
}

export function fitDemandModel(history: readonly HourlyObservation[], opts: ForecastOptions = {}): DemandModel {
  const clean = history.filter((o) => [o.value, o.temperature, o.precipitation].every(Number.isFinite));
  if (clean.length < HOURS_PER_WEEK) throw new RangeError('the demand forecast needs at least one week of hourly history');
  const last = Math.max(...clean.map((o) => tsMs(o.ts)));
  const from = last - (opts.profileWeeks ?? 4) * HOURS_PER_WEEK * HOUR_MS;
  const rows = clean
    .filter((o) => tsMs(o.ts) > from)
    .map((o) => ({ h: hourOfWeek(o.ts), y: o.value, t: o.temperature, p: o.precipitation }));

  const profile = meansByHourOfWeek(rows.map((r) => ({ h: r.h, v: r.y })));
  const temperatureMean = meansByHourOfWeek(rows.map((r) => ({ h: r.h, v: r.t })));
  const precipitationMean = meansByHourOfWeek(rows.map((r) => ({ h: r.h, v: r.p })));

  const x = rows.map((r) => [r.t - temperatureMean[r.h], r.p - precipitationMean[r.h]]);
  const y = rows.map((r) => r.y - profile[r.h]);
  const [bt, bp] = ols(x, y);
  const sse = rows.reduce((s, _r, i) => s + (y[i] - bt * x[i][0] - bp * x[i][1]) ** 2, 0);
  const profileCounts = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const r of rows) profileCounts[r.h]++;
  const dof = rows.length - profileCounts.filter((c) => c > 0).length - 2;
  return {
    kind: 'seasonal_weather_ols',
    profile,
    profileCounts,
    temperatureMean,
    precipitationMean,
    coefficients: { temperature: bt, precipitation: bp },
    residualStd: Math.sqrt(sse / Math.max(1, dof)),
    intervalZ: opts.intervalZ ?? 1.96,
    n: rows.length,
    nextHour: new Date(last + HOUR_MS),
  };
}

/**
 * Forecast for each hour of `weather` (its timestamps set the hours). Demand is never negative. The interval
 * adds the uncertainty of the hour's mean to the noise: ±z·σ·√(1 + 1/nₕ).
 */
export function predictDemand(model: DemandModel, weather: readonly WeatherHour[]): ForecastPoint[] {
  return weather.map((w) => {
    const h = hourOfWeek(w.ts);
    const half = model.intervalZ * model.residualStd * Math.sqrt(1 + 1 / Math.max(1, model.profileCounts[h]));
    const v = Math.max(
      0,
      model.profile[h] +
        model.coefficients.temperature * (w.temperature - model.temperatureMean[h]) +
        model.coefficients.precipitation * (w.precipitation - model.precipitationMean[h]),
    );
    return { ts: new Date(tsMs(w.ts)), value: v, lower: Math.max(0, v - half), upper: v + half };
  });
}

export const seasonalWeatherForecaster: Forecaster = {
  name: 'seasonal profile (hour of week, Astana) + OLS on weather anomalies',
  fit: fitDemandModel,
  predict: predictDemand,
};

/**
 * The next 7 days, hourly: `weather` must cover the 168 hours following the last observed hour (a weather
 * forecast), in any order.
 */
export function forecastWeek(
  history: readonly HourlyObservation[],
  weather: readonly WeatherHour[],
  opts: ForecastOptions = {},
  forecaster: Forecaster = seasonalWeatherForecaster,
): { model: DemandModel; points: ForecastPoint[] } {
  const model = forecaster.fit(history, opts);
  const start = model.nextHour.getTime();
  const byTs = new Map(weather.map((w) => [tsMs(w.ts), w]));
  const hours: WeatherHour[] = [];
  for (let i = 0; i < HOURS_PER_WEEK; i++) {
    const w = byTs.get(start + i * HOUR_MS);
    if (!w) throw new RangeError(`weather missing for ${new Date(start + i * HOUR_MS).toISOString()}`);
    hours.push(w);
  }
  return { model, points: forecaster.predict(model, hours) };
}

export type BacktestResult = {
  /** Mean absolute error, in the series' units. */
  mae: number;
  /** Mean absolute percentage error, %, over hours whose actual value is not 0. */
  mape: number;
  n: number;
  points: { ts: Date; actual: number; forecast: number }[];
};

/** Accuracy on held-back history: fit without the last `holdoutHours`, forecast them with their actual weather. */
export function backtest(
  history: readonly HourlyObservation[],
  holdoutHours: number,
  opts: ForecastOptions = {},
  forecaster: Forecaster = seasonalWeatherForecaster,
): BacktestResult {
  if (!(Number.isInteger(holdoutHours) && holdoutHours > 0 && holdoutHours < history.length)) {
    throw new RangeError('holdoutHours must be a positive whole number smaller than the history');
  }
  const sorted = [...history].sort((a, b) => tsMs(a.ts) - tsMs(b.ts));
  const train = sorted.slice(0, sorted.length - holdoutHours);
  const test = sorted.slice(sorted.length - holdoutHours);
  const model = forecaster.fit(train, opts);
  const pred = forecaster.predict(model, test);
  const points = test.map((o, i) => ({ ts: new Date(tsMs(o.ts)), actual: o.value, forecast: pred[i].value }));
  const mae = points.reduce((s, p) => s + Math.abs(p.actual - p.forecast), 0) / points.length;
  const pct = points.filter((p) => p.actual !== 0).map((p) => Math.abs((p.actual - p.forecast) / p.actual));
  const mape = pct.length ? (pct.reduce((s, x) => s + x, 0) / pct.length) * 100 : Number.NaN;
  return { mae, mape, n: points.length, points };
}
