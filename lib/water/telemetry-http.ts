/**
 * POST /api/v1/telemetry (W-18): a device token or gateway key posts a JSON array or NDJSON of up to 10,000
 * readings; the answer counts accepted, duplicate and rejected readings (rejected ones by index, with a reason).
 * The body is read here rather than by jsonRoute because NDJSON is not JSON and the hot path wants one parse.
 */
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { json, jsonRoute } from '@/lib/http/route';
import { telemetryPrincipal } from './auth';
import { ingestReadings, type IngestOptions } from './ingest';

export const MAX_READINGS = 10_000;
/** Room for 10,000 verbose readings; anything larger is refused before parsing. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;
const NDJSON_TYPE = /^application\/(x-ndjson|ndjson|x-jsonlines|jsonl)$/;

function tooMany(): AppError {
  return new AppError('payload_too_large', `At most ${MAX_READINGS} readings per request.`, undefined, 413, { maxReadings: MAX_READINGS });
}

async function readText(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`, undefined, 413, { maxBytes });
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      throw new AppError('bad_request', 'The request body could not be read.');
    }
    if (next.done) break;
    total += next.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total));
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid UTF-8.');
  }
}

/** The posted readings (unvalidated objects). Throws AppError 400 / 413 / 415. */
export async function readTelemetryBody(req: Request): Promise<unknown[]> {
  const [type, ...params] = (req.headers.get('content-type') ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  const ndjson = NDJSON_TYPE.test(type);
  // A device that sends no Content-Type is read as JSON.
  if ((!ndjson && type !== '' && !JSON_TYPE.test(type)) || (charset && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new AppError('unsupported_media_type', 'Send readings as application/json (an array) or application/x-ndjson (one per line).');
  }
  const text = await readText(req, MAX_BODY_BYTES);
  if (text.trim() === '') throw new AppError('invalid_json', 'The request body is empty.');

  if (!ndjson) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError('invalid_json', 'The request body is not valid JSON.');
    }
    if (!Array.isArray(body)) throw new AppError('bad_request', 'The body must be a JSON array of readings.');
    if (body.length > MAX_READINGS) throw tooMany();
    return body;
  }

  const lines = text.split('\n');
  const out: unknown[] = [];
  const bad: Record<string, string> = {};
  let badCount = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (out.length + badCount >= MAX_READINGS) throw tooMany();
    try {
      out.push(JSON.parse(line));
    } catch {
      // Report the first 100 bad lines by number (1-based) so a large broken file gives a bounded answer.
      if (badCount++ < 100) bad[`line ${i + 1}`] = 'not valid JSON';
    }
  }
  if (badCount > 0) {
    throw new AppError('invalid_json', `${badCount} line(s) of the NDJSON body are not valid JSON; nothing was stored.`, bad);
  }
  return out;
}

/** The handler behind the route; `opts` lets tests and the bench fix the clock window. */
export function telemetryHandler(opts: IngestOptions = {}) {
  return jsonRoute({}, async ({ req }) => {
    const db = getDb();
    const principal = await telemetryPrincipal(db, req.headers.get('authorization'));
    const readings = await readTelemetryBody(req);
    const result = await ingestReadings(db, { principal }, readings, opts);
    if (readings.length > 0 && result.accepted + result.duplicates === 0) {
      // Nothing usable: a 4xx so that senders do not retry the same batch, with every reason.
      return json({ error: { code: 'validation_failed', message: 'No reading in the batch was valid.' }, ...result }, { status: 422 });
    }
    return json(result);
  });
}

export const handleTelemetryPost = telemetryHandler();
