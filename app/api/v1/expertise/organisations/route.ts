import { createHash } from 'node:crypto';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { json, jsonRoute } from '@/lib/http/route';
import { publicOrganisationsBody } from '@/lib/registration/public-list';

/**
 * E-12 / E-13 / E-14 / E-41 / E-42: the public list of accredited expert organisations as JSON (no sign-in).
 * Blocked organisations and expired or suspended certificates are not listed. Stable shape (see
 * lib/registration/public-list.ts); cached for a minute by browsers and proxies, revalidated by ETag.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const query = z.object({ q: z.string().trim().max(200).optional() });

export const GET = jsonRoute({ query }, async ({ req, query }) => {
  const body = await publicOrganisationsBody(getDb(), { q: query.q });
  // The ETag covers the list, not the time it was read: unchanged lists revalidate with 304.
  const etag = `"${createHash('sha256').update(JSON.stringify([body.query, body.organisations])).digest('base64url').slice(0, 27)}"`;
  const headers = { 'cache-control': 'public, max-age=60, stale-while-revalidate=300', etag, vary: 'accept-encoding' };
  const match = req.headers.get('if-none-match');
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return new Response(null, { status: 304, headers });
  return json(body, { headers });
});
