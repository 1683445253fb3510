/**
 * A short per-scope response cache of the dashboards' views, with single-flight (issue 6 part 10, W-2, W-27).
 *
 * With tens of requests in flight on two cores the dashboards' p95 was queueing for CPU, while the data move only
 * with ingestion. So identical requests share one computation: concurrent ones wait for the same promise, and a
 * result is reused for TTL_MS (a few seconds), after which the next request computes afresh.
 *
 * - **Never across scopes (W-16, X-11):** the key starts with the viewer's whole access scope (level, regions and
 *   entities, sorted), then the view, its ids and the resolved period. Two viewers share a result only when their
 *   scopes are equal, i.e. when the uncached queries would answer them the same.
 * - **Bounded staleness:** an ingested batch shows within TTL_MS; writes that change what a dashboard shows
 *   (alert status, corrections, figures, imports) call `invalidateDashboards()`, and so may ingestion.
 * - **Bounded size:** at most MAX_ENTRIES keys per database handle (oldest first out); entries per database handle
 *   (a WeakMap), so tests on separate databases never see each other's results.
 * - Failures are not cached. Results are shared objects: callers must treat them as read-only.
 */
import type { DbOrTx } from '@/db/client';
import type { WaterScope } from '@/lib/water/access';
import type { TimeRange } from './range';

/** How long a computed view is reused (ms). */
export const DASHBOARD_TTL_MS = 3_000;
const MAX_ENTRIES = 1_000;

type Entry = { at: number; generation: number; value: Promise<unknown> };
const caches = new WeakMap<object, Map<string, Entry>>();
let generation = 0;
let hits = 0;
let misses = 0;

/** The scope as a key: level, then the sorted region and entity ids (order of rows must not matter). */
export function scopeKey(scope: WaterScope): string {
  return `${scope.level}|r:${[...scope.regionIds].sort().join(',')}|e:${[...scope.entityIds].sort().join(',')}`;
}

/** A period as a key part (its resolved bounds, not the words of the request). */
export function rangeKey(range: Pick<TimeRange, 'from' | 'to' | 'granularity'>): string {
  return `${range.from.toISOString()}/${range.to.toISOString()}/${range.granularity}`;
}

/** Drop every cached view (all databases): the next requests compute afresh. */
export function invalidateDashboards(): void {
  generation++;
}

/** Counters for tests and the benchmark. */
export function dashboardCacheStats(): { hits: number; misses: number } {
  return { hits, misses };
}

/**
 * The view `view` (with its `parts`: ids, period) for `scope`, from the cache when a result (or a computation in
 * flight) younger than `DASHBOARD_TTL_MS` exists, else computed by `compute` and shared.
 */
export function cachedView<T>(db: DbOrTx, scope: WaterScope, view: string, parts: readonly string[], compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const key = `${scopeKey(scope)}#${view}#${parts.join('#')}`;
  const t = performance.now();
  const hit = cache.get(key);
  if (hit && hit.generation === generation && t - hit.at < DASHBOARD_TTL_MS) {
    hits++;
    return hit.value as Promise<T>;
  }
  misses++;
  const value = compute();
  const entry: Entry = { at: t, generation, value };
  cache.delete(key); // re-inserted at the end: Map order is then the age order
  cache.set(key, entry);
  value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  if (cache.size > MAX_ENTRIES) {
    for (const [k, e] of cache) {
      if (cache.size <= MAX_ENTRIES && (e.generation === generation && t - e.at < DASHBOARD_TTL_MS)) break;
      cache.delete(k);
    }
  }
  return value;
}
