/**
 * The dashboards' views as the app serves them (pages and app/api/v1/water/*): the scope-filtered queries of
 * queries.ts and analytics.ts behind the short per-scope cache with single-flight (cache.ts).
 */
import type { DbOrTx } from '@/db/client';
import type { WaterScope } from '@/lib/water/access';
import { waterBalanceFor, type BalanceTarget } from './analytics';
import { cachedView, rangeKey } from './cache';
import { nationalOverview, objectDetail, regionDetail, utilityDetail } from './queries';
import type { TimeRange } from './range';

export const overviewView = (db: DbOrTx, scope: WaterScope, range: TimeRange) =>
  cachedView(db, scope, 'overview', [rangeKey(range)], () => nationalOverview(db, scope, range));

export const regionView = (db: DbOrTx, scope: WaterScope, id: string, range: TimeRange) =>
  cachedView(db, scope, 'region', [id, rangeKey(range)], () => regionDetail(db, scope, id, range));

export const utilityView = (db: DbOrTx, scope: WaterScope, id: string, range: TimeRange) =>
  cachedView(db, scope, 'utility', [id, rangeKey(range)], () => utilityDetail(db, scope, id, range));

export const objectView = (db: DbOrTx, scope: WaterScope, id: string, range: TimeRange) =>
  cachedView(db, scope, 'object', [id, rangeKey(range)], () => objectDetail(db, scope, id, range));

export const balanceView = (db: DbOrTx, scope: WaterScope, target: BalanceTarget, range: TimeRange) =>
  cachedView(db, scope, 'balance', [target.kind, target.id, rangeKey(range)], () => waterBalanceFor(db, scope, target, range));
