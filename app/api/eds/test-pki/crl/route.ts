import { getDb } from '@/db/client';
import { jsonError } from '@/lib/http/route';
import { edsTestMode } from '@/lib/eds/config';
import { testPkiCrl } from '@/lib/eds/test-pki';

/** The test PKI's CRL (DER), in EDS test mode only; otherwise this route does not exist (404). */
export const dynamic = 'force-dynamic';

export async function GET() {
  if (!edsTestMode()) return jsonError('not_found', 'Not found.', 404);
  const crl = await testPkiCrl(getDb());
  return new Response(Buffer.from(crl), {
    headers: { 'Content-Type': 'application/pkix-crl', 'Cache-Control': 'no-store' },
  });
}
