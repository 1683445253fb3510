import { getTranslations } from 'next-intl/server';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { AppError, toAppError } from '@/lib/errors';

/**
 * The server-action helper every form uses. An action never throws to the client: it answers
 * `{ ok: true, data }` or `{ ok: false, error }` with messages in the user's language and, for invalid input,
 * a message per field (shown beside the field).
 */
export type ActionError = { code: string; message: string; fields?: Record<string, string> };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** The part of next-intl's translator this helper needs (keys relative to the `errors` namespace). */
export type ErrorTranslator = {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
};

/** FormData → plain object; a repeated name becomes an array. Empty strings stay (the schema decides). */
export function formDataToObject(fd: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of fd.entries()) {
    if (key.startsWith('$ACTION')) continue; // React's internal fields on progressive-enhancement posts
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** A zod issue's message in the user's language: the message itself if it is a key, else the issue code's text. */
function issueMessage(t: ErrorTranslator, issue: z.core.$ZodIssue): string {
  if (t.has(issue.message)) return t(issue.message);
  // A required text field (min length 1) reads better as "fill in this field" than as "too short".
  const byCode = issue.code === 'too_small' && issue.minimum === 1 && issue.origin === 'string' ? 'zod.required' : `zod.${issue.code}`;
  if (t.has(byCode)) return t(byCode);
  return issue.message;
}

function translateError(t: ErrorTranslator, e: AppError): ActionError {
  const message = t.has(e.code) ? t(e.code, e.params) : e.message;
  // A field message that is not a translation key is a developer's English text: show the error's own
  // translated message beside the field instead (e.g. calendar_day_exists beside the date).
  const fields = e.fields
    ? Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [k, t.has(m) ? t(m) : t.has(e.code) ? message : m]))
    : undefined;
  return { code: e.code, message, ...(fields ? { fields } : {}) };
}

/** runAction with an explicit translator (tests; runAction passes next-intl's). */
export async function runActionWith<S extends z.ZodType, T>(
  t: ErrorTranslator,
  schema: S,
  input: unknown,
  fn: (data: z.output<S>) => Promise<T>,
): Promise<ActionResult<T>> {
  const raw = input instanceof FormData ? formDataToObject(input) : input;
  const parsed = await schema.safeParseAsync(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join('.') || '_';
      fields[key] ??= issueMessage(t, issue);
    }
    return { ok: false, error: { code: 'validation_failed', message: t.has('validation_failed') ? t('validation_failed') : 'Some fields are not valid.', fields } };
  }
  try {
    return { ok: true, data: await fn(parsed.data) };
  } catch (e) {
    unstable_rethrow(e); // redirect(), notFound() and Next's internal signals must propagate
    if (!(e instanceof AppError)) console.error('[action] unexpected error', e);
    return { ok: false, error: translateError(t, toAppError(e)) };
  }
}

/** Parse `input` (an object or FormData) with `schema`, run `fn`, and never throw to the client. */
export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  fn: (data: z.output<S>) => Promise<T>,
): Promise<ActionResult<T>> {
  let t: ErrorTranslator;
  try {
    t = (await getTranslations('errors')) as unknown as ErrorTranslator;
  } catch (e) {
    // Outside a request (scripts) there is no locale: fall back to the default English texts.
    console.error('[action] translations unavailable', e);
    t = Object.assign((k: string) => k, { has: () => false });
  }
  return runActionWith(t, schema, input, fn);
}
