/**
 * Demand forecasts off the request path (W-25, W-28). The periodic job `water.forecasts` (lib/water/jobs.ts)
 * fits every DMA and every utility into `water_forecasts` (the hourly 7-day forecast, MAE/MAPE on the held-back
 * history, when it was fitted and the weather it used); pages and /api/v1/water/forecast read that row. Only when
 * a target has none yet is it fitted on demand — in the background, one fit per target at a time — and the
 * answer says the forecast is being prepared.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { waterEntities, waterForecasts, waterObjects } from '@/db/schema';
import { HOUR_MS } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import type { WaterScope } from '@/lib/water/access';
import {
  computeForecast,
  forecastSubject,
  visibleForecastSubject,
  type BalanceTarget,
  type ForecastResult,
  type ForecastSubject,
  type WeatherUsed,
} from './analytics';

/** When the stored forecast was fitted, and on history up to when. */
export type FitInfo = { fittedAt: string; historyEnd: string; weatherUsed: WeatherUsed[] };
export type StoredForecast =
  | (Extract<ForecastResult, { status: 'ok' }> & FitInfo)
  | (Extract<ForecastResult, { status: 'insufficient_history' }> & FitInfo)
  | { status: 'preparing'; target: BalanceTarget & { name: string }; message: string };

/** The job stops starting new fits after this long (the rest are fitted at its next run, oldest first). */
const JOB_BUDGET_MS = 120_000;

type Row = typeof waterForecasts.$inferSelect;

function toStored(row: Row, target: BalanceTarget & { name: string }): StoredForecast {
  const info: FitInfo = { fittedAt: row.fittedAt.toISOString(), historyEnd: row.historyEnd.toISOString(), weatherUsed: row.weatherUsed as WeatherUsed[] };
  if (row.status !== 'ok') {
    return { status: 'insufficient_history', target, hours: row.historyHours, message: 'The forecast needs at least 8 days of hourly data.', ...info };
  }
  return {
    status: 'ok',
    target,
    weather: row.weather,
    weatherSources: row.weatherSources,
    model: row.model ?? 'prophet',
    accuracy: { mae: row.mae ?? 0, mape: row.mape ?? 0, n: row.heldBack ?? 0 },
    backtest: row.backtest,
    forecast: row.forecast,
    ...info,
  };
}

/** Fits the subject on the history up to the start of `at`'s hour and stores (replaces) its row. */
export async function fitAndStore(db: DbOrTx, subject: ForecastSubject, at: Date): Promise<ForecastResult['status']> {
  const end = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
  const f = await computeForecast(db, subject, end);
  const r = f.result;
  const values = {
    targetKind: subject.target.kind,
    targetId: subject.target.id,
    status: r.status,
    fittedAt: now(),
    historyEnd: f.historyEnd,
    model: r.status === 'ok' ? r.model : null,
    weather: r.status === 'ok' ? r.weather : false,
    mae: r.status === 'ok' ? r.accuracy.mae : null,
    mape: r.status === 'ok' ? r.accuracy.mape : null,
    heldBack: r.status === 'ok' ? r.accuracy.n : null,
    historyHours: f.historyHours,
    forecast: r.status === 'ok' ? r.forecast : [],
    backtest: r.status === 'ok' ? r.backtest : [],
    weatherUsed: f.weatherUsed,
    weatherSources: r.status === 'ok' ? r.weatherSources : { forecast: 0, observed: 0, climatology: 0 },
  };
  const { targetKind: _k, targetId: _i, ...update } = values;
  await db
    .insert(waterForecasts)
    .values(values)
    .onConflictDoUpdate({ target: [waterForecasts.targetKind, waterForecasts.targetId], set: update });
  return r.status;
}

/** In-process on-demand fits, one per target (concurrent requests share it). */
const fitting = new Map<string, Promise<unknown>>();

/** Resolves when every on-demand fit started so far has ended (tests, shutdown). */
export async function onDemandFitsSettled(): Promise<void> {
  while (fitting.size) await Promise.allSettled([...fitting.values()]);
}

/**
 * The stored forecast of a DMA or utility in the scope (404 outside it). Without a stored one, a fit starts in
 * the background and the answer is `preparing` (`wait`: await that fit and answer its result instead).
 */
export async function storedForecastFor(
  db: DbOrTx,
  scope: WaterScope,
  target: BalanceTarget,
  at: Date,
  opts: { wait?: boolean } = {},
): Promise<StoredForecast> {
  const subject = await visibleForecastSubject(db, scope, target);
  const read = async () => {
    const [row] = await db
      .select()
      .from(waterForecasts)
      .where(and(eq(waterForecasts.targetKind, target.kind), eq(waterForecasts.targetId, target.id)));
    return row;
  };
  const row = await read();
  if (row) return toStored(row, subject.target);
  const key = `${target.kind}:${target.id}`;
  let fit = fitting.get(key);
  if (!fit) {
    fit = fitAndStore(db, subject, at)
      .catch((e) => console.error(`[water forecast] on-demand fit of ${key} failed`, e))
      .finally(() => fitting.delete(key));
    fitting.set(key, fit);
  }
  if (opts.wait) {
    await fit;
    const fresh = await read();
    if (fresh) return toStored(fresh, subject.target);
  }
  return { status: 'preparing', target: subject.target, message: 'The forecast is being prepared.' };
}

/** Every DMA and every utility, the longest unfitted first (never fitted, then oldest fit). */
async function targetsByAge(db: DbOrTx): Promise<BalanceTarget[]> {
  const rows = await db.execute<{ kind: 'entity' | 'object'; id: string }>(sql`
    select t.kind, t.id from (
      select 'object' as kind, id from ${waterObjects} where kind = 'dma'
      union all
      select 'entity', id from ${waterEntities} where kind = 'utility'
    ) t
    left join ${waterForecasts} f on f.target_kind = t.kind and f.target_id = t.id
    order by f.fitted_at nulls first, t.kind, t.id`);
  return rows.map((r) => ({ kind: r.kind, id: r.id }));
}

/**
 * W-28: the periodic job's body — fits every DMA and utility (those fitted on this hour's history already are
 * skipped), within a time budget; a failure of one target does not stop the others.
 */
export async function refreshForecasts(db: DbOrTx, at: Date, opts: { budgetMs?: number } = {}) {
  const started = performance.now();
  const end = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  const current = new Set(
    (await db.select({ k: waterForecasts.targetKind, i: waterForecasts.targetId }).from(waterForecasts).where(eq(waterForecasts.historyEnd, end))).map(
      (r) => `${r.k}:${r.i}`,
    ),
  );
  const out = { ok: 0, insufficient: 0, failed: 0, current: 0, deferred: 0 };
  const targets = await targetsByAge(db);
  for (const target of targets) {
    if (current.has(`${target.kind}:${target.id}`)) {
      out.current++;
      continue;
    }
    if (performance.now() - started > (opts.budgetMs ?? JOB_BUDGET_MS)) {
      out.deferred++;
      continue;
    }
    try {
      const subject = await forecastSubject(db, target);
      if (!subject) continue;
      const status = await fitAndStore(db, subject, at);
      if (status === 'ok') out.ok++;
      else out.insufficient++;
    } catch (e) {
      out.failed++;
      console.error(`[water forecast] fit of ${target.kind}:${target.id} failed`, e);
    }
    // Let requests in between two fits (each holds the CPU for a while).
    await new Promise((r) => setImmediate(r));
  }
  return out;
}
