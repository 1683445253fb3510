import { ZodError } from 'zod';

/**
 * The portal's one error type. `code` is stable (clients and tests match on it); `message` is a default
 * English text, and `messageKey` names the translation in lib/i18n/messages (`errors.<code>`).
 * Route handlers turn it into `{ "error": { "code", "message", "fields"? } }` with `status`;
 * server actions return it as `{ ok: false, error }` with field errors shown beside the fields.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'rate_limited'
  | 'gone'
  | 'method_not_allowed'
  | 'signature_invalid'
  | 'signature_required'
  | 'deadline_passed'
  | 'locked'
  | 'calendar_day_exists'
  | 'calendar_day_not_found'
  | 'unavailable'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  rate_limited: 429,
  gone: 410,
  method_not_allowed: 405,
  signature_invalid: 422,
  signature_required: 422,
  deadline_passed: 409,
  locked: 409,
  calendar_day_exists: 409,
  calendar_day_not_found: 404,
  unavailable: 503,
  internal: 500,
};

/** Field errors: field path (dot-joined) → message. */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
    readonly fields?: FieldErrors,
    status?: number,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? statusOf[code as ErrorCode] ?? 400;
  }

  toJSON() {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }
}

export function fieldErrorsFromZod(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    out[key] ??= issue.message;
  }
  return out;
}

/** Any thrown value as an AppError; unknown errors become `internal` (logged by the caller). */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof ZodError) return new AppError('validation_failed', 'Some fields are not valid.', fieldErrorsFromZod(e));
  if (e instanceof SyntaxError) return new AppError('invalid_json', 'The request body is not valid JSON.');
  return new AppError('internal', 'Something went wrong on our side. The error has been logged.');
}
