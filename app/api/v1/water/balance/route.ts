import { balanceEndpoint } from '@/lib/water/dashboard/endpoints';
import { dashboardRoute } from '@/lib/water/dashboard/http';

/** W-19: the water balance (?entity= or ?object=, and the range). */
export const dynamic = 'force-dynamic';
export const GET = dashboardRoute(balanceEndpoint);
