import { Readable } from 'node:stream';
import { getDb } from '@/db/client';
import { getPrincipal } from '@/lib/auth/principal';
import { fileStore } from '@/lib/documents/store';
import { AppError } from '@/lib/errors';
import { getApplicationForApplicant, getApplicationForExpert, type ApplicationView } from '@/lib/expertise';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * Downloads a document of an application, for its applicant or its expert organisation. The applicant's
 * view hides the conclusion until payment (E-50), so a held conclusion answers 404 here as well.
 */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; docId: string }> }): Promise<Response> {
  const p = await getPrincipal();
  if (!p) return new Response('Sign in\n', { status: 401 });
  const { id, docId } = await ctx.params;
  const db = getDb();
  let view: ApplicationView | null = null;
  for (const load of [getApplicationForApplicant, getApplicationForExpert]) {
    try {
      view = await load(db, p, id);
      break;
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'not_found') throw e;
    }
  }
  const doc = view?.documents.find((d) => d.id === docId);
  if (!doc?.storageKey) return new Response('Not found\n', { status: 404 });
  const store = fileStore();
  if (!(await store.stat(doc.sha256))) return new Response('Not found\n', { status: 404 });
  const stream = Readable.toWeb(await store.get(doc.sha256)) as ReadableStream<Uint8Array>;
  return new Response(stream, {
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(doc.size),
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`,
      'X-Content-SHA256': doc.sha256,
    },
  });
}
