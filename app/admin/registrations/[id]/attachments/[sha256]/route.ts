import { Readable } from 'node:stream';
import { getDb } from '@/db/client';
import { requirePermission } from '@/lib/auth/policy';
import { fileStore } from '@/lib/documents/store';
import { AppError } from '@/lib/errors';
import { jsonRoute } from '@/lib/http/route';
import { openRegistrationAttachment } from '@/lib/registration';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** staff download an attachment of a registration request; every download is audited. */
export const GET = jsonRoute<undefined, undefined, { id: string; sha256: string }>({}, async ({ params, requestId }) => {
  const p = await requirePermission('registrations.read');
  const store = fileStore();
  const sha256 = String(params.sha256 ?? '').toLowerCase();
  const stored = /^[0-9a-f]{64}$/.test(sha256) ? await store.stat(sha256) : null;
  if (!stored) throw new AppError('not_found', 'No such attachment.');
  const att = await openRegistrationAttachment(getDb(), p, String(params.id ?? ''), sha256, { requestId });
  const stream = Readable.toWeb(await store.get(sha256)) as ReadableStream<Uint8Array>;
  return new Response(stream, {
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(stored.size),
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(att.name)}`,
      'X-Content-SHA256': sha256,
      'Cache-Control': 'private, no-store',
    },
  });
});
