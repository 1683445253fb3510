import type { FieldError } from 'react-hook-form';

type T = { (key: string): string; has(key: string): boolean };

/**
 * A field's error in the user's language. Server errors arrive translated (type 'server'); client-side zod
 * errors are translated by their zod code (`errors.zod.<code>`), a required field's too_small as `zod.required`.
 */
export function fieldErrorText(t: T, err: FieldError | undefined): string | undefined {
  if (!err) return undefined;
  if (err.type === 'server') return err.message;
  if (err.message && t.has(err.message)) return t(err.message);
  const key = err.type === 'too_small' ? 'zod.required' : `zod.${err.type}`;
  return t.has(key) ? t(key) : err.message;
}
