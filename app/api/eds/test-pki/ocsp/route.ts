import { getDb } from '@/db/client';
import { jsonError } from '@/lib/http/route';
import { edsTestMode } from '@/lib/eds/config';
import { testPkiOcsp } from '@/lib/eds/test-pki';

/** The test PKI's OCSP responder (RFC 6960 over HTTP POST), in EDS test mode only; otherwise 404. */
export const dynamic = 'force-dynamic';

const MAX_REQUEST_BYTES = 64 * 1024;

export async function POST(req: Request) {
  if (!edsTestMode()) return jsonError('not_found', 'Not found.', 404);
  const type = req.headers.get('content-type') ?? '';
  if (!type.startsWith('application/ocsp-request')) return jsonError('unsupported_media_type', 'Send an application/ocsp-request body.', 415);
  const body = new Uint8Array(await req.arrayBuffer());
  if (body.length === 0 || body.length > MAX_REQUEST_BYTES) return jsonError('bad_request', 'The OCSP request is empty or too large.', 400);
  const resp = await testPkiOcsp(getDb(), body);
  return new Response(Buffer.from(resp), {
    headers: { 'Content-Type': 'application/ocsp-response', 'Cache-Control': 'no-store' },
  });
}
