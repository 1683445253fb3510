import { getDb } from '@/db/client';
import { getPrincipal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { messageFile } from '@/lib/partner/environment';
import { fileResponse } from '@/lib/partner/expertise';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** E-49: the file of an exchange message, for the expert organisation or the authority it concerns. */
export async function GET(_req: Request, props: { params: Promise<{ messageId: string }> }): Promise<Response> {
  const p = await getPrincipal();
  if (!p) return new Response('Sign in\n', { status: 401 });
  const { messageId } = await props.params;
  try {
    const m = await messageFile(getDb(), p, messageId);
    return await fileResponse({ sha256: m.sha256!, size: m.size ?? 0, fileName: m.fileName ?? 'file', storageKey: m.storageKey });
  } catch (e) {
    if (e instanceof AppError && e.status === 404) return new Response('Not found\n', { status: 404 });
    throw e;
  }
}
