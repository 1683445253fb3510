/**
 * The JSON read endpoints of the dashboards (app/api/v1/water/*): session-authorised (water.read) and
 * scope-filtered (W-16, X-11). 401 signed out, 403 without a water role or scope, 404 outside the scope.
 */
import { getDb, type DbOrTx } from '@/db/client';
import type { Principal } from '@/lib/auth/principal';
import { can } from '@/lib/auth/policy';
import { AppError, toAppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';
import { waterScope, type WaterScope } from '@/lib/water/access';
import { resolveRange, type TimeRange } from './range';

export type DashboardContext = { db: DbOrTx; scope: WaterScope; url: URL; range: () => TimeRange; at: Date };
export type DashboardHandler = (ctx: DashboardContext) => Promise<unknown>;

/** The core of every endpoint, without the session (tests call it with a principal). */
export async function dashboardResponse(db: DbOrTx, principal: Principal | null, url: URL, fn: DashboardHandler): Promise<Response> {
  try {
    if (!principal) throw new AppError('unauthenticated', 'Sign in to see the water dashboards.');
    if (!can(principal, 'water.read')) throw new AppError('forbidden', 'Your roles do not include the water dashboards.');
    const scope = await waterScope(db, principal);
    if (scope.level === 'none') throw new AppError('forbidden', 'No water data is assigned to you.');
    const at = now();
    const p = url.searchParams;
    const data = await fn({ db, scope, url, at, range: () => resolveRange({ range: p.get('range'), from: p.get('from'), to: p.get('to') }, at) });
    return Response.json(data, { headers: { 'cache-control': 'private, no-store' } });
  } catch (e) {
    const err = toAppError(e);
    if (!(e instanceof AppError)) console.error('[water dashboard] unexpected error', e);
    return Response.json(
      { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } },
      { status: err.status, headers: { 'cache-control': 'private, no-store' } },
    );
  }
}

/** A GET route handler for the current session. */
export function dashboardRoute<P = Record<string, string>>(fn: (ctx: DashboardContext, params: P) => Promise<unknown>) {
  return async (req: Request, props: { params: Promise<P> }): Promise<Response> => {
    const { getPrincipal } = await import('@/lib/auth/principal');
    const params = props?.params ? await props.params : ({} as P);
    return dashboardResponse(getDb(), await getPrincipal(), new URL(req.url), (ctx) => fn(ctx, params));
  };
}
