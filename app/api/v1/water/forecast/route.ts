import { forecastEndpoint } from '@/lib/water/dashboard/endpoints';
import { dashboardRoute } from '@/lib/water/dashboard/http';

/** W-25 / W-28: forecast against actual (?entity= or ?object=). */
export const dynamic = 'force-dynamic';
export const GET = dashboardRoute(forecastEndpoint);
