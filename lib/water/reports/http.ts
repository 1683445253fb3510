/**
 * The report endpoints' cores (app/api/v1/water/reports/**), without the session so that tests call them with a
 * principal: 401 signed out, 403 without water.read or a water scope, 404 outside the scope (W-16, X-11).
 */
import { Readable } from 'node:stream';
import type { DbOrTx } from '@/db/client';
import type { Principal } from '@/lib/auth/principal';
import { can } from '@/lib/auth/policy';
import type { FileStore } from '@/lib/documents/store';
import { AppError, toAppError } from '@/lib/errors';
import { listReports, openReportFile } from './archive';

const NO_STORE = { 'cache-control': 'private, no-store' };

function errorResponse(e: unknown): Response {
  const err = toAppError(e);
  if (!(e instanceof AppError)) console.error('[water reports] unexpected error', e);
  return Response.json(
    { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } },
    { status: err.status, headers: NO_STORE },
  );
}

function authorise(principal: Principal | null): void {
  if (!principal) throw new AppError('unauthenticated', 'Sign in to see the water reports.');
  if (!can(principal, 'water.read')) throw new AppError('forbidden', 'Your roles do not include the water reports.');
}

/** GET /api/v1/water/reports?kind&level&from&to&limit */
export async function listResponse(db: DbOrTx, principal: Principal | null, url: URL): Promise<Response> {
  try {
    authorise(principal);
    const p = url.searchParams;
    const reports = await listReports(db, principal, {
      kind: (p.get('kind') || undefined) as never,
      level: (p.get('level') || undefined) as never,
      from: p.get('from') || undefined,
      to: p.get('to') || undefined,
      limit: p.get('limit') || undefined,
    });
    return Response.json(
      {
        reports: reports.map((r) => ({
          ...r,
          generatedAt: r.generatedAt.toISOString(),
          downloads: { pdf: `/api/v1/water/reports/${r.id}/pdf`, xlsx: `/api/v1/water/reports/${r.id}/xlsx`, csv: `/api/v1/water/reports/${r.id}/csv` },
        })),
      },
      { headers: NO_STORE },
    );
  } catch (e) {
    return errorResponse(e);
  }
}

/**
 * GET /api/v1/water/reports/:id/:format[?lang=kk|ru|en] (pdf | xlsx | csv), audited as 'water.report.download'.
 * Without lang: the archived file (kk + ru); with lang: rendered in that language from the archived data
 * (X-Archived-SHA256 names the archived original it was rendered beside).
 */
export async function downloadResponse(
  db: DbOrTx,
  principal: Principal | null,
  id: string,
  format: string,
  opts: { store?: FileStore; requestId?: string | null; lang?: string | null } = {},
): Promise<Response> {
  try {
    authorise(principal);
    const f = await openReportFile(db, principal, id, format, opts);
    return new Response(Readable.toWeb(f.stream) as ReadableStream, {
      headers: {
        ...NO_STORE,
        'content-type': f.contentType,
        'content-length': String(f.size),
        'content-disposition': `attachment; filename="${f.filename}"`,
        'content-language': f.languages.join(', '),
        'x-content-type-options': 'nosniff',
        'x-archived-sha256': f.archivedSha256,
        etag: `"${f.sha256}"`,
      },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
