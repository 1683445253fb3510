/**
 * `POST /api/v1/water/import/{history|weather}` (issue 6 part 5): the body is the CSV file (text/csv or
 * text/plain, UTF-8, at most MAX_IMPORT_BYTES), its name optionally in `X-File-Name`. Answers the import report:
 * 200 when applied, 422 `import_refused` with the reasons per line when any line is invalid (nothing written);
 * 401 / 403 without the right, 404 for another kind, 413 over the limit, 415 for another content type.
 */
import type { Db } from '@/db/client';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { json, jsonRoute, readUtf8Body } from '@/lib/http/route';
import { MAX_IMPORT_BYTES } from './csv';
import { IMPORT_KINDS, importCsv, type ImportKind } from './import';

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel'];

/** Reads the body as UTF-8 CSV text within `maxBytes` (stops reading at the limit whatever Content-Length says). */
export function readCsvBody(req: Request, maxBytes = MAX_IMPORT_BYTES): Promise<{ text: string; bytes: number }> {
  return readUtf8Body(req, {
    maxBytes,
    accept: (type) => CSV_TYPES.includes(type),
    wrongType: () => new AppError('unsupported_media_type', 'The file must be sent as UTF-8 CSV (Content-Type: text/csv).'),
    tooLarge: () => new AppError('payload_too_large', `The file is larger than ${maxBytes} bytes.`, undefined, 413, { maxBytes }),
    notUtf8: () => new AppError('bad_request', 'The file is not valid UTF-8 text.'),
  });
}

export type ImportRouteDeps = { db: () => Db; principal: () => Promise<Principal | null> };

/** The route handler, with its database and session injectable (tests pass their own). */
export function importRoute(deps: ImportRouteDeps) {
  return jsonRoute<undefined, undefined, { kind?: string }>({}, async ({ req, params, requestId }) => {
    const kind = params.kind as ImportKind;
    if (!IMPORT_KINDS.includes(kind)) throw new AppError('not_found', 'Import kinds: history, weather.');
    const principal = await deps.principal();
    if (!principal) throw new AppError('unauthenticated', 'Please sign in with your EDS.');
    const { text, bytes } = await readCsvBody(req);
    const rawName = req.headers.get('x-file-name');
    let fileName: string | null = null;
    try {
      fileName = rawName ? decodeURIComponent(rawName) : null;
    } catch {
      fileName = rawName;
    }
    const report = await importCsv(deps.db(), principal, kind, text, { fileName, bytes, requestId });
    if (report.status === 'refused') {
      return json(
        { error: { code: 'import_refused', message: `${report.errorCount} line(s) are not valid; nothing was imported.` }, report },
        { status: 422 },
      );
    }
    return report;
  });
}
