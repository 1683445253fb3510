import { getDb } from '@/db/client';
import { principalOfRequest } from '@/lib/auth/principal';
import { assertCan } from '@/lib/auth/policy';
import { applicantListBody, applicantListQuerySchema, parseListQuery } from '@/lib/expertise/list-api';
import { json, jsonRoute } from '@/lib/http/route';

/**
 * the signed-in applicant's applications (its own and its organisation's), newest first.
 * `?cursor=<nextCursor>&limit=1..100`; 401 signed out, 403 without the applicant's rights, 400 for a bad query.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = jsonRoute({}, async ({ req }) => {
  const principal = await principalOfRequest(req);
  assertCan(principal, 'expertise.apply');
  const query = parseListQuery(applicantListQuerySchema, new URL(req.url).searchParams);
  return json(await applicantListBody(getDb(), principal, query), { headers: { 'cache-control': 'private, no-store' } });
});
