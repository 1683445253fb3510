/**
 * POST /api/v1/telemetry (W-18): a device token or gateway key posts a JSON array or NDJSON of up to 10,000
 * readings; the answer counts accepted, duplicate and rejected readings (rejected ones by index, with a reason).
 * The body is read here rather than by jsonRoute because NDJSON is not JSON and the hot path wants one parse.
 */
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { json, jsonRoute, readUtf8Body } from '@/lib/http/route';
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

/**
 * The posted readings (unvalidated objects). Throws AppError 400 / 413 / 415. `authenticated` (the sender's
 * authentication, started before) settles after the bytes are read and before they are parsed, so that an
 * unknown sender gets its 401 whatever the body, and no body of one is parsed.
 */
export async function readTelemetryBody(req: Request, authenticated: Promise<unknown> = Promise.resolve()): Promise<unknown[]> {
  let ndjson = false;
  let text: string;
  try {
    ({ text } = await readUtf8Body(req, {
      maxBytes: MAX_BODY_BYTES,
      // A device that sends no Content-Type is read as JSON.
      accept: (type) => (ndjson = NDJSON_TYPE.test(type)) || type === '' || JSON_TYPE.test(type),
      wrongType: () =>
        new AppError('unsupported_media_type', 'Send readings as application/json (an array) or application/x-ndjson (one per line).'),
      tooLarge: () => new AppError('payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, undefined, 413, { maxBytes: MAX_BODY_BYTES }),
      notUtf8: () => new AppError('invalid_json', 'The request body is not valid UTF-8.'),
    }));
  } catch (e) {
    await authenticated;
    throw e;
  }
  await authenticated;
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
    // The sender is looked up while the body is read.
    const authenticating = telemetryPrincipal(db, req.headers.get('authorization'));
    authenticating.catch(() => {}); // awaited by readTelemetryBody
    const readings = await readTelemetryBody(req, authenticating);
    const principal = await authenticating;
    const result = await ingestReadings(db, { principal }, readings, opts);
    if (readings.length > 0 && result.accepted + result.duplicates === 0) {
      // Nothing usable: a 4xx so that senders do not retry the same batch, with every reason.
      return json({ error: { code: 'validation_failed', message: 'No reading in the batch was valid.' }, ...result }, { status: 422 });
    }
    return json(result);
  });
}

export const handleTelemetryPost = telemetryHandler();
