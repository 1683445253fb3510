/**
 * W-17 storage: `readings` is partitioned by Astana calendar month (migration 0007). Partitions are created
 * ahead by `ensureReadingPartitions` (from ingest, the first time a process sees a month, and from the periodic
 * job); a default partition catches anything else and its rows move out when their month's partition is made.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { now } from '@/lib/time/clock';
import { astanaDate } from './registry';

/** "YYYY-MM" of the Astana month of an instant. */
export function astanaMonth(at: Date | number): string {
  return astanaDate(typeof at === 'number' ? new Date(at) : at).slice(0, 7);
}

/** The partition's table name for a month "YYYY-MM". */
export function partitionName(month: string): string {
  return `readings_y${month.slice(0, 4)}m${month.slice(5, 7)}`;
}

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${String(Math.floor(t / 12)).padStart(4, '0')}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** Every month "YYYY-MM" from the month of `from` to the month of `to`, inclusive. */
export function monthsBetween(from: number, to: number): string[] {
  const first = astanaMonth(from);
  const last = astanaMonth(to);
  const out: string[] = [];
  for (let m = first; m <= last && out.length < 1200; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Creates the partitions of the given months that do not exist yet; returns the names it created. */
export async function ensureMonthPartitions(db: DbOrTx, months: string[]): Promise<string[]> {
  const created: string[] = [];
  for (const month of months) {
    const rows = await db.execute<{ created: boolean }>(sql`select water_ensure_reading_partition(${`${month}-01`}::date) as created`);
    if (rows[0]?.created) created.push(partitionName(month));
  }
  return created;
}

/** Creates the partitions from the month of `from` through `monthsAhead` months after it. */
export async function ensureReadingPartitions(db: DbOrTx, from: Date = now(), monthsAhead = 2): Promise<string[]> {
  const first = astanaMonth(from);
  const months = Array.from({ length: monthsAhead + 1 }, (_, i) => addMonths(first, i));
  return ensureMonthPartitions(db, months);
}

// Months known to have a partition, per database handle: ingest checks the catalogue once per month, not per batch.
const known = new WeakMap<object, Set<string>>();

/** Makes sure the months of [minTs, maxTs] and the next month after now have partitions (cached per handle). */
export async function ensurePartitionsForRange(db: DbOrTx, minTs: number, maxTs: number): Promise<void> {
  let set = known.get(db);
  if (!set) known.set(db, (set = new Set()));
  const current = astanaMonth(now());
  const wanted = new Set([...monthsBetween(minTs, maxTs), current, addMonths(current, 1)]);
  const missing = [...wanted].filter((m) => !set.has(m));
  if (missing.length === 0) return;
  await ensureMonthPartitions(db, missing);
  for (const m of missing) set.add(m);
}

/** The name of the partition a stored reading sits in (for tests and diagnostics). */
export async function partitionOf(db: DbOrTx, deviceId: string, metric: string, ts: Date): Promise<string | null> {
  const rows = await db.execute<{ part: string }>(
    sql`select tableoid::regclass::text as part from readings where device_id = ${deviceId} and metric = ${metric} and ts = ${ts.toISOString()}::timestamptz`,
  );
  return rows[0]?.part ?? null;
}
