import crypto from 'node:crypto';
import type { z } from 'zod';
import { ZodError } from 'zod';
import { AppError, toAppError, type FieldErrors } from '@/lib/errors';
import { isLocale, LOCALE_COOKIE, negotiateLocale, type Locale } from '@/lib/i18n/config';
import { messagesByLocale } from '@/lib/i18n/messages';

/**
 * The JSON contract of every route handler: input read safely and validated with zod, answers as JSON,
 * errors as `{ "error": { "code", "message", "fields"? } }` with a 4xx status for anything the client did
 * wrong (bad input never yields a 500), messages in the caller's language, and an `x-request-id` header on
 * every answer.
 */

export const DEFAULT_MAX_BYTES = 1024 * 1024;

type ErrorMessages = Record<string, unknown> & { zod?: Record<string, string> };
const errorMessages: Record<Locale, ErrorMessages> = {
  en: (messagesByLocale.en.errors ?? {}) as ErrorMessages,
  kk: (messagesByLocale.kk.errors ?? {}) as ErrorMessages,
  ru: (messagesByLocale.ru.errors ?? {}) as ErrorMessages,
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The incoming x-request-id when well-formed (a proxy's id keeps logs joinable), else a new UUID. */
export function requestIdOf(req: Request): string {
  const incoming = req.headers.get('x-request-id');
  return incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** The caller's language: the language-switch cookie, else Accept-Language (default kk). */
export function localeOf(req: Request): Locale {
  const cookie = req.headers.get('cookie') ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === LOCALE_COOKIE) {
      const value = decodeURIComponent(v.join('='));
      if (isLocale(value)) return value;
    }
  }
  return negotiateLocale(req.headers.get('accept-language'));
}

function interpolate(text: string, params?: Record<string, string | number>): string {
  return params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text;
}

/** An AppError's message in `locale` (errors.<code> from the messages, else the error's own text). */
export function localizedMessage(error: AppError, locale: Locale): string {
  const t = errorMessages[locale][error.code];
  return typeof t === 'string' ? interpolate(t, error.params) : error.message;
}

type Init = { status?: number; headers?: HeadersInit };

/** A JSON answer (not cached: answers are per user). */
export function json(data: unknown, init: Init = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(data), { status: init.status ?? 200, headers });
}

/** The error answer: `{ "error": { "code", "message", "fields"? } }`. */
export function jsonError(code: string, message: string, status: number, extra: { fields?: FieldErrors; headers?: HeadersInit } = {}): Response {
  return json({ error: { code, message, ...(extra.fields ? { fields: extra.fields } : {}) } }, { status, headers: extra.headers });
}

/** An AppError as an answer, localised; 429 carries Retry-After when the error says when. */
export function errorResponse(error: AppError, locale: Locale): Response {
  const headers = new Headers();
  const retryAfter = error.params?.retryAfterSeconds;
  if (error.status === 429 && retryAfter !== undefined) headers.set('retry-after', String(retryAfter));
  if (error.status === 401) headers.set('www-authenticate', 'Bearer');
  return jsonError(String(error.code), localizedMessage(error, locale), error.status, { fields: error.fields, headers });
}

function zodFields(error: ZodError, locale: Locale): FieldErrors {
  const translations = errorMessages[locale].zod ?? {};
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    out[key] ??= translations[issue.code] ?? issue.message;
  }
  return out;
}

function validationError(error: ZodError, locale: Locale): AppError {
  return new AppError('validation_failed', 'Some fields are not valid.', zodFields(error, locale));
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;

/**
 * Reads a UTF-8 text body of an accepted content type within `maxBytes`, stopping at the limit whatever
 * Content-Length claims (it may be absent or wrong). The errors are the caller's (JSON and CSV routes word them
 * differently); a body that can't be read is 400 `bad_request`.
 */
export async function readUtf8Body(
  req: Request,
  opts: { maxBytes: number; accept: (type: string) => boolean; wrongType: () => AppError; tooLarge: () => AppError; notUtf8: () => AppError },
): Promise<{ text: string; bytes: number }> {
  const [type, ...params] = (req.headers.get('content-type') ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (!opts.accept(type) || (charset && charset !== 'utf-8' && charset !== 'utf8')) throw opts.wrongType();
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > opts.maxBytes) throw opts.tooLarge();

  const chunks: Uint8Array[] = [];
  let total = 0;
  if (req.body) {
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
      if (total > opts.maxBytes) {
        await reader.cancel().catch(() => {});
        throw opts.tooLarge();
      }
      chunks.push(next.value);
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), bytes: total };
  } catch {
    throw opts.notUtf8();
  }
}

/** Reads the body as UTF-8 JSON within `maxBytes`. Throws AppError 413 / 415 / 400. */
export async function readJsonBody(req: Request, maxBytes = DEFAULT_MAX_BYTES): Promise<unknown> {
  const { text } = await readUtf8Body(req, {
    maxBytes,
    accept: (type) => JSON_TYPE.test(type),
    wrongType: () => new AppError('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).'),
    tooLarge: () => new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`, undefined, 413, { maxBytes }),
    notUtf8: () => new AppError('invalid_json', 'The request body is not valid UTF-8.'),
  });
  if (text.trim() === '') throw new AppError('invalid_json', 'The request body is empty.');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON.');
  }
}

/** The query string as an object: repeated keys become arrays. */
export function queryObject(url: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URL(url).searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Params = Record<string, string | string[] | undefined>;

export type RouteOptions<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> = {
  body?: B;
  query?: Q;
  /** Body size limit in bytes (default 1 MiB). */
  maxBytes?: number;
};

export type RouteInput<B, Q, P> = {
  req: Request;
  body: Parsed<B>;
  query: Parsed<Q>;
  params: P;
  requestId: string;
  locale: Locale;
};

/** What Next passes as the second argument of a route handler. */
export type RouteContext<P> = { params?: Promise<P> };

/**
 * Wraps a route handler. The handler returns a Response (passed through) or data (answered as JSON 200;
 * `undefined` → 204). It may throw AppError (answered with its status) or ZodError (422); anything else is
 * logged with the request id and answered 500 'internal'.
 */
export function jsonRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, P = Params>(
  opts: RouteOptions<B, Q>,
  handler: (input: RouteInput<B, Q, P>) => unknown,
): (req: Request, ctx?: RouteContext<P>) => Promise<Response> {
  return async (req, ctx) => {
    const requestId = requestIdOf(req);
    let locale: Locale = 'kk';
    let res: Response;
    try {
      locale = localeOf(req);
      let query: unknown = undefined;
      if (opts.query) {
        const r = opts.query.safeParse(queryObject(req.url));
        if (!r.success) throw validationError(r.error, locale);
        query = r.data;
      }
      let body: unknown = undefined;
      if (opts.body) {
        const raw = await readJsonBody(req, opts.maxBytes ?? DEFAULT_MAX_BYTES);
        const r = opts.body.safeParse(raw);
        if (!r.success) throw validationError(r.error, locale);
        body = r.data;
      }
      const params = ((await ctx?.params) ?? {}) as P;
      const out = await handler({ req, body: body as Parsed<B>, query: query as Parsed<Q>, params, requestId, locale });
      res = out instanceof Response ? out : out === undefined ? new Response(null, { status: 204 }) : json(out);
    } catch (e) {
      if (e instanceof AppError || e instanceof ZodError) {
        res = errorResponse(e instanceof ZodError ? validationError(e, locale) : toAppError(e), locale);
      } else {
        console.error(`[http] ${req.method} ${safePath(req.url)} request ${requestId} failed:`, e);
        res = errorResponse(new AppError('internal', 'Something went wrong on our side. The error has been logged.'), locale);
      }
    }
    return withRequestId(res, requestId);
  };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '?';
  }
}

/** Sets x-request-id; a Response with immutable headers (e.g. Response.redirect) is copied first. */
function withRequestId(res: Response, requestId: string): Response {
  try {
    res.headers.set('x-request-id', requestId);
    return res;
  } catch {
    const copy = new Response(res.body, { status: res.status, statusText: res.statusText, headers: new Headers(res.headers) });
    copy.headers.set('x-request-id', requestId);
    return copy;
  }
}
