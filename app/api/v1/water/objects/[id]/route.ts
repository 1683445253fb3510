import { objectEndpoint } from '@/lib/water/dashboard/endpoints';
import { dashboardRoute } from '@/lib/water/dashboard/http';

/** An object's series with anomalies marked and its alerts. */
export const dynamic = 'force-dynamic';
export const GET = dashboardRoute(objectEndpoint);
