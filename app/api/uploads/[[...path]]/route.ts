import { getDb } from '@/db/client';
import { getPrincipal } from '@/lib/auth/principal';
import { createUploadHandler, fileStore, UPLOADS_PATH, uploadsDirectory } from '@/lib/documents';
import { env } from '@/lib/env';

/** Resumable uploads (tus 1.0.0): POST creates, PATCH appends, HEAD tells the offset, DELETE cancels. */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

let handler: ((req: Request) => Promise<Response>) | null = null;

function uploadHandler() {
  handler ??= createUploadHandler({
    db: getDb(),
    store: fileStore(),
    directory: uploadsDirectory(),
    principal: async () => getPrincipal(),
    path: UPLOADS_PATH,
  });
  return handler;
}

async function handle(req: Request): Promise<Response> {
  // The session cookie authorises uploads: refuse requests another site makes with it.
  const origin = req.headers.get('origin');
  if (origin && origin !== new URL(req.url).origin && origin !== new URL(env().APP_URL).origin) {
    return new Response('Cross-origin upload refused\n', { status: 403 });
  }
  return uploadHandler()(req);
}

export const POST = handle;
export const PATCH = handle;
export const HEAD = handle;
export const DELETE = handle;
export const OPTIONS = handle;
