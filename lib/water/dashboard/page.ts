/** What every dashboard page does first: authorise (water.read), resolve the scope and the range. */
import { getDb } from '@/db/client';
import { checkAccess } from '@/lib/actions/guard';
import { now } from '@/lib/time/clock';
import { waterScope, type WaterScope } from '@/lib/water/access';
import { rangeQuery, resolveRange, type TimeRange } from './range';

export type PageSearchParams = Promise<Record<string, string | string[] | undefined>>;

export type DashboardPage =
  | { ok: true; scope: WaterScope; range: TimeRange; query: string; at: Date }
  | { ok: false; reason: 'unauthenticated' | 'forbidden' };

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function openDashboardPage(searchParams: PageSearchParams): Promise<DashboardPage> {
  const access = await checkAccess('water.read');
  if (!access.ok) return access;
  const scope = await waterScope(getDb(), access.principal);
  if (scope.level === 'none') return { ok: false, reason: 'forbidden' };
  const sp = await searchParams;
  const at = now();
  let range: TimeRange;
  try {
    range = resolveRange({ range: one(sp.range), from: one(sp.from), to: one(sp.to) }, at);
  } catch {
    range = resolveRange({ range: '24h' }, at); // an unreadable range in the address falls back to 24 h
  }
  return { ok: true, scope, range, query: rangeQuery(range), at };
}
