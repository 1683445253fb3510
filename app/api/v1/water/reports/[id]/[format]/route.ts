import { getDb } from '@/db/client';
import { currentRequestId } from '@/lib/audit/request-id';
import { getPrincipal } from '@/lib/auth/principal';
import { downloadResponse } from '@/lib/water/reports/http';

/** W-30 / W-32: one archived file of a report (pdf | xlsx | csv); 404 outside the caller's scope; audited. */
export const dynamic = 'force-dynamic';

export async function GET(_req: Request, props: { params: Promise<{ id: string; format: string }> }): Promise<Response> {
  const { id, format } = await props.params;
  return downloadResponse(getDb(), await getPrincipal(), id, format, { requestId: await currentRequestId() });
}
