import { getDb } from '@/db/client';
import { principalOfRequest } from '@/lib/auth/principal';
import { assertCan } from '@/lib/auth/policy';
import { expertQueueBody, parseListQuery, queueQuerySchema } from '@/lib/expertise/list-api';
import { json, jsonRoute } from '@/lib/http/route';
import { now } from '@/lib/time/clock';

/**
 * E-21 / X-11: the expert organisation's queue (applications addressed to it only), newest registration first,
 * each with its open deadlines. `?status=&cursor=<nextCursor>&limit=1..100`; 401 signed out, 403 for anyone but
 * the organisation's experts, 400 for a bad query.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = jsonRoute({}, async ({ req }) => {
  const principal = await principalOfRequest(req);
  assertCan(principal, 'expertise.review');
  const query = parseListQuery(queueQuerySchema, new URL(req.url).searchParams);
  return json(await expertQueueBody(getDb(), principal, query, now()), { headers: { 'cache-control': 'private, no-store' } });
});
