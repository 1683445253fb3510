import { getDb } from '@/db/client';
import { getPrincipal } from '@/lib/auth/principal';
import { listResponse } from '@/lib/water/reports/http';

/** W-30: the archived water reports in the caller's scope (?kind&level&from&to&limit). */
export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return listResponse(getDb(), await getPrincipal(), new URL(req.url));
}
