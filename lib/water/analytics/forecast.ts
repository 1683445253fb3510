/**
 * W-25/W-28: hourly demand forecast for a DMA or a utility, 7 days ahead, with weather (temperature,
 * precipitation) as an external factor — with a maintained library, Prophet (`@bsull/augurs`, see prophet.ts),
 * rather than hand-rolled maths.
 *
 * The model: Prophet with
 *   - a flat trend (the level of the learning window, 6 weeks): over a 7-day horizon an extrapolated slope did worse
 *     than none in our backtests, and slow changes (the season) come in through the weather; no yearly
 *     seasonality (we learn from weeks, not years);
 *   - the daily pattern as two conditional seasonalities, one for working days and one for the weekend (Astana
 *     calendar days: the morning peak is later on Saturdays and Sundays), Fourier order 12 each (with hourly data, any 24-hour profile);
 *   - the weekly pattern (Fourier order 3);
 *   - temperature (°C) and precipitation (mm/h) as additive regressors, standardised by Prophet, estimated jointly
 *     with the seasonalities by Stan's L-BFGS (MAP). The weather of the forecast hours comes from a weather
 *     forecast (or the climatological fallback of lib/water/weather).
 * Why Prophet with regressors rather than MSTL on a weather-adjusted series: MSTL has no exogenous inputs, so the
 * weather effect would have to be removed first by our own regression (the hand-rolled maths the issue asks us to
 * drop) and the two steps would be fitted separately; Prophet estimates the regressors' coefficients together
 * with the seasonalities and gives prediction intervals (docs/ARCHITECTURE.md).
 *
 * Accuracy is measured by `backtest`: fit without the last hours, forecast them with their actual weather, and
 * report MAE and MAPE.
 */
import { HOUR_MS, astanaParts } from '@/lib/time/astana';
import { loadProphet } from './prophet';
import { tsMs } from './types';

const HOURS_PER_WEEK = 168;
/** Fewer hours than this and the weekly pattern cannot be learnt: refused. */
export const MIN_HISTORY_HOURS = HOURS_PER_WEEK;

export type WeatherHour = { ts: number | Date; temperature: number; precipitation: number };
/** One hour of demand; weather is needed when the forecast uses it. */
export type HourlyObservation = { ts: number | Date; value: number; temperature?: number; precipitation?: number };
export type ForecastPoint = { ts: Date; value: number; lower: number; upper: number };

export type ForecastOptions = {
  /** Use temperature and precipitation as regressors (default true). */
  weather?: boolean;
  /** Weeks of the most recent history the model learns from (default 6). */
  historyWeeks?: number;
  /** Width of the prediction interval (default 0.95). */
  intervalWidth?: number;
  /** Simulated draws for the interval (default 300; 0: no interval, lower = upper = value). */
  uncertaintySamples?: number;
};

export type ModelInfo = {
  kind: 'prophet';
  library: '@bsull/augurs';
  weather: boolean;
  /** Observations the model learnt from. */
  n: number;
  /** The instant after the last observed hour (the first hour to forecast). */
  nextHour: Date;
};

const isWeekend = (ms: number) => astanaParts(ms).weekday >= 6;

function checkWeather(rows: readonly { ts: number | Date; temperature?: number; precipitation?: number }[], what: string) {
  for (const r of rows) {
    if (!Number.isFinite(r.temperature) || !Number.isFinite(r.precipitation)) {
      throw new RangeError(`weather missing for ${new Date(tsMs(r.ts)).toISOString()} (${what})`);
    }
  }
}

/**
 * Fits Prophet on `history` and forecasts the hours `future` (their timestamps; their weather when the model uses
 * weather). Demand is never negative: values and bounds are clipped at 0.
 */
export async function fitAndForecast(
  history: readonly HourlyObservation[],
  future: readonly (WeatherHour | { ts: number | Date })[],
  opts: ForecastOptions = {},
): Promise<{ model: ModelInfo; points: ForecastPoint[] }> {
  const useWeather = opts.weather ?? true;
  const clean = history
    .filter((o) => Number.isFinite(o.value))
    .map((o) => ({ ...o, ms: tsMs(o.ts) }))
    .sort((a, b) => a.ms - b.ms);
  if (clean.length === 0) throw new RangeError('the demand forecast needs at least one week of hourly history');
  const last = clean[clean.length - 1].ms;
  const from = last - (opts.historyWeeks ?? 6) * HOURS_PER_WEEK * HOUR_MS;
  const train = clean.filter((o) => o.ms > from);
  if (train.length < MIN_HISTORY_HOURS) throw new RangeError('the demand forecast needs at least one week of hourly history');
  if (useWeather) {
    checkWeather(train, 'history');
    checkWeather(future as { ts: number | Date; temperature?: number; precipitation?: number }[], 'forecast hours');
  }

  const { Prophet, optimizer } = await loadProphet();
  const intervalWidth = opts.intervalWidth ?? 0.95;
  const samples = opts.uncertaintySamples ?? 300;
  const conditions = (ms: number[]) =>
    new Map([
      ['workday', ms.map((m) => !isWeekend(m))],
      ['weekend', ms.map((m) => isWeekend(m))],
    ]);
  const trainMs = train.map((o) => o.ms);
  const data = {
    ds: trainMs.map((m) => m / 1000),
    y: train.map((o) => o.value),
    seasonalityConditions: conditions(trainMs),
    x: useWeather
      ? new Map([
          ['temperature', train.map((o) => o.temperature!)],
          ['precipitation', train.map((o) => o.precipitation!)],
        ])
      : undefined,
  };
  const futMs = future.map((f) => tsMs(f.ts));
  const fw = future as WeatherHour[];
  const predictData = {
    ds: futMs.map((m) => m / 1000),
    seasonalityConditions: conditions(futMs),
    x: useWeather
      ? new Map([
          ['temperature', fw.map((w) => w.temperature)],
          ['precipitation', fw.map((w) => w.precipitation)],
        ])
      : undefined,
  };

  // Stan's L-BFGS (Prophet's default) stops with a line-search error when the series has no noise at all (the
  // observation noise σ goes to 0): then it is fitted once more with a deterministic jitter of 0.1 % of the
  // series' spread — far below any meter's accuracy. Newton and BFGS are no fallback: on such series they trap
  // inside the WASM module, which leaves it unusable.
  const spread = Math.max(1e-9, Math.max(...data.y) - Math.min(...data.y));
  let pred: ReturnType<InstanceType<typeof Prophet>['predict']> | undefined;
  for (const attempt of [0, 1]) {
    const y = attempt === 0 ? data.y : data.y.map((v, i) => v + 1e-3 * spread * Math.sin(i * 12.9898));
    const model = new Prophet({
      optimizer,
      growth: 'flat',
      yearlySeasonality: { type: 'manual', enabled: false },
      dailySeasonality: { type: 'manual', enabled: false },
      weeklySeasonality: { type: 'fourier', order: 3 },
      intervalWidth,
      uncertaintySamples: samples,
    });
    try {
      model.addSeasonality('daily_workday', { period: 1, fourierOrder: 12, conditionName: 'workday' });
      model.addSeasonality('daily_weekend', { period: 1, fourierOrder: 12, conditionName: 'weekend' });
      if (useWeather) {
        model.addRegressor('temperature');
        model.addRegressor('precipitation');
      }
      model.fit({ ...data, y });
      pred = model.predict(predictData);
      break;
    } catch (e) {
      if (attempt === 1) throw e;
    } finally {
      model.free();
    }
  }
  const { point, intervals } = pred!.yhat;
  const points = futMs.map((ms, i) => {
    const value = Math.max(0, point[i]);
    return {
      ts: new Date(ms),
      value,
      lower: Math.max(0, Math.min(value, intervals?.lower[i] ?? value)),
      upper: Math.max(value, intervals?.upper[i] ?? value),
    };
  });
  return { model: { kind: 'prophet', library: '@bsull/augurs', weather: useWeather, n: train.length, nextHour: new Date(last + HOUR_MS) }, points };
}

/**
 * The next 7 days, hourly, after the last observed hour. With weather (the default), `weather` must cover those
 * 168 hours (a weather forecast), in any order; without, it is not read.
 */
export async function forecastWeek(
  history: readonly HourlyObservation[],
  weather: readonly WeatherHour[],
  opts: ForecastOptions = {},
): Promise<{ model: ModelInfo; points: ForecastPoint[] }> {
  if (history.length === 0) throw new RangeError('the demand forecast needs at least one week of hourly history');
  const start = Math.max(...history.map((o) => tsMs(o.ts))) + HOUR_MS;
  const byTs = new Map(weather.map((w) => [tsMs(w.ts), w]));
  const hours: (WeatherHour | { ts: number })[] = [];
  for (let i = 0; i < HOURS_PER_WEEK; i++) {
    const ts = start + i * HOUR_MS;
    const w = byTs.get(ts);
    if (!w && (opts.weather ?? true)) throw new RangeError(`weather missing for ${new Date(ts).toISOString()}`);
    hours.push(w ?? { ts });
  }
  return fitAndForecast(history, hours, opts);
}

export type BacktestResult = {
  /** Mean absolute error, in the series' units. */
  mae: number;
  /** Mean absolute percentage error, %, over hours whose actual value is not 0. */
  mape: number;
  n: number;
  points: { ts: Date; actual: number; forecast: number }[];
};

/** MAE and MAPE of forecasts against actual values. */
export function accuracy(points: readonly { actual: number; forecast: number }[]): { mae: number; mape: number } {
  const mae = points.reduce((s, p) => s + Math.abs(p.actual - p.forecast), 0) / points.length;
  const pct = points.filter((p) => p.actual !== 0).map((p) => Math.abs((p.actual - p.forecast) / p.actual));
  const mape = pct.length ? (pct.reduce((s, x) => s + x, 0) / pct.length) * 100 : Number.NaN;
  return { mae, mape };
}

/** Accuracy on held-back history: fit without the last `holdoutHours`, forecast them with their actual weather. */
export async function backtest(
  history: readonly HourlyObservation[],
  holdoutHours: number,
  opts: ForecastOptions = {},
): Promise<BacktestResult> {
  if (!(Number.isInteger(holdoutHours) && holdoutHours > 0 && holdoutHours < history.length)) {
    throw new RangeError('holdoutHours must be a positive whole number smaller than the history');
  }
  const sorted = [...history].sort((a, b) => tsMs(a.ts) - tsMs(b.ts));
  const train = sorted.slice(0, sorted.length - holdoutHours);
  const test = sorted.slice(sorted.length - holdoutHours);
  const { points: pred } = await fitAndForecast(train, test as WeatherHour[], { uncertaintySamples: 0, ...opts });
  const points = test.map((o, i) => ({ ts: new Date(tsMs(o.ts)), actual: o.value, forecast: pred[i].value }));
  return { ...accuracy(points), n: points.length, points };
}
