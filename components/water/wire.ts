/** The JSON shape of server data as the API sends it (Dates become ISO strings). */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** Server data → its JSON shape, so that the first render and the live refreshes see the same thing. */
export function toWire<T>(data: T): Wire<T> {
  return JSON.parse(JSON.stringify(data)) as Wire<T>;
}

export function fmtNumber(v: number | null | undefined, locale: string, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return new Intl.NumberFormat(locale === 'kk' ? 'kk-KZ' : locale === 'ru' ? 'ru-RU' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(v);
}
