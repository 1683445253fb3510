import { getDb } from '@/db/client';
import { jsonError } from '@/lib/http/route';
import { edsTestMode } from '@/lib/eds/config';
import { testPkiCrl } from '@/lib/eds/test-pki';

/** The test PKI's CRLs (DER): the RSA intermediate's, or with `?ca=gost` the GOST one's; in EDS test mode only, otherwise 404. */
export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  if (!edsTestMode()) return jsonError('not_found', 'Not found.', 404);
  const ca = new URL(req.url).searchParams.get('ca') ?? 'rsa';
  if (ca !== 'rsa' && ca !== 'gost') return jsonError('bad_request', 'Unknown CA: use ca=rsa or ca=gost.', 400);
  const crl = await testPkiCrl(getDb(), undefined, ca);
  return new Response(Buffer.from(crl), {
    headers: { 'Content-Type': 'application/pkix-crl', 'Cache-Control': 'no-store' },
  });
}
