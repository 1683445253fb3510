import { regionEndpoint } from '@/lib/water/dashboard/endpoints';
import { dashboardRoute } from '@/lib/water/dashboard/http';

/** Drill-down: a region's utilities. */
export const dynamic = 'force-dynamic';
export const GET = dashboardRoute(regionEndpoint);
