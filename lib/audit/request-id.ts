import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';

/** Header carrying the id that ties a request's audit rows and logs together. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Only short printable ids are trusted from outside (they end up in the journal and logs). */
export function sanitizeRequestId(v: string | null | undefined): string | null {
  if (!v) return null;
  const id = v.trim();
  return /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : null;
}

/**
 * The current request's id (the `x-request-id` header) when called while serving a request, else a new
 * random id (CLI, jobs, or a request without the header). Kept apart from lib/audit/index.ts so that the
 * journal itself does not depend on Next.js.
 */
export async function currentRequestId(): Promise<string> {
  try {
    const id = sanitizeRequestId((await headers()).get(REQUEST_ID_HEADER));
    if (id) return id;
  } catch (e) {
    // Next's own control-flow errors (prerendering bail-outs) must propagate; "outside a request" is fine.
    unstable_rethrow(e);
  }
  return randomUUID();
}
