/** A page's search parameter as Next.js gives it (`?a=1&a=2` is an array): the first value, as sent. */
export function firstParam(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The first value of a filter parameter, trimmed; empty means "not set" (undefined). */
export function filterParam(v: string | string[] | undefined): string | undefined {
  return firstParam(v)?.trim() || undefined;
}
