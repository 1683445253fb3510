/** The dashboard endpoints' bodies (routes in app/api/v1/water/* wrap them with dashboardRoute). */
import { AppError } from '@/lib/errors';
import { forecastFor, waterBalanceFor, type BalanceTarget } from './analytics';
import type { DashboardContext } from './http';
import { nationalOverview, objectDetail, regionDetail, utilityDetail } from './queries';

export const overviewEndpoint = (c: DashboardContext) => nationalOverview(c.db, c.scope, c.range());
export const regionEndpoint = (c: DashboardContext, p: { id: string }) => regionDetail(c.db, c.scope, p.id, c.range());
export const utilityEndpoint = (c: DashboardContext, p: { id: string }) => utilityDetail(c.db, c.scope, p.id, c.range());
export const objectEndpoint = (c: DashboardContext, p: { id: string }) => objectDetail(c.db, c.scope, p.id, c.range());

/** `?entity=<id>` or `?object=<id>` (a DMA). */
function target(c: DashboardContext): BalanceTarget {
  const entity = c.url.searchParams.get('entity');
  const object = c.url.searchParams.get('object');
  if (entity && !object) return { kind: 'entity', id: entity };
  if (object && !entity) return { kind: 'object', id: object };
  throw new AppError('validation_failed', 'Name one utility (entity) or one DMA (object).', { entity: 'required' });
}
export const balanceEndpoint = (c: DashboardContext) => waterBalanceFor(c.db, c.scope, target(c), c.range());
export const forecastEndpoint = (c: DashboardContext) => forecastFor(c.db, c.scope, target(c), c.at);
