/** The dashboard endpoints' bodies (routes in app/api/v1/water/* wrap them with dashboardRoute). */
import { AppError } from '@/lib/errors';
import type { BalanceTarget } from './analytics';
import { storedForecastFor } from './forecasts';
import type { DashboardContext } from './http';
import { balanceView, objectView, overviewView, regionView, utilityView } from './views';

export const overviewEndpoint = (c: DashboardContext) => overviewView(c.db, c.scope, c.range());
export const regionEndpoint = (c: DashboardContext, p: { id: string }) => regionView(c.db, c.scope, p.id, c.range());
export const utilityEndpoint = (c: DashboardContext, p: { id: string }) => utilityView(c.db, c.scope, p.id, c.range());
export const objectEndpoint = (c: DashboardContext, p: { id: string }) => objectView(c.db, c.scope, p.id, c.range());

/** `?entity=<id>` or `?object=<id>` (a DMA). */
function target(c: DashboardContext): BalanceTarget {
  const entity = c.url.searchParams.get('entity');
  const object = c.url.searchParams.get('object');
  if (entity && !object) return { kind: 'entity', id: entity };
  if (object && !entity) return { kind: 'object', id: object };
  throw new AppError('validation_failed', 'Name one utility (entity) or one DMA (object).', { entity: 'required' });
}
export const balanceEndpoint = (c: DashboardContext) => balanceView(c.db, c.scope, target(c), c.range());
export const forecastEndpoint = (c: DashboardContext) => storedForecastFor(c.db, c.scope, target(c), c.at);
