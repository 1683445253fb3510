import { utilityEndpoint } from '@/lib/water/dashboard/endpoints';
import { dashboardRoute } from '@/lib/water/dashboard/http';

/** Drill-down: a utility's objects. */
export const dynamic = 'force-dynamic';
export const GET = dashboardRoute(utilityEndpoint);
