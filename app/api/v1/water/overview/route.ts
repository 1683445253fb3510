import { overviewEndpoint } from '@/lib/water/dashboard/endpoints';
import { dashboardRoute } from '@/lib/water/dashboard/http';

/** W-2 / W-27: the national overview (?range=24h|7d|30d|custom&from&to). */
export const dynamic = 'force-dynamic';
export const GET = dashboardRoute(overviewEndpoint);
