import { getDb } from '@/db/client';
import { currentRequestId } from '@/lib/audit/request-id';
import { getPrincipal } from '@/lib/auth/principal';
import { downloadResponse } from '@/lib/water/reports/http';

/** W-30 / W-32: a report's file (pdf | xlsx | csv), archived or in ?lang=kk|ru|en; 404 outside the caller's scope; audited. */
export const dynamic = 'force-dynamic';

export async function GET(req: Request, props: { params: Promise<{ id: string; format: string }> }): Promise<Response> {
  const { id, format } = await props.params;
  const lang = new URL(req.url).searchParams.get('lang');
  return downloadResponse(getDb(), await getPrincipal(), id, format, { requestId: await currentRequestId(), lang });
}
