import type { LocalizedText } from '@/db/schema/registration';
import type { TimeLocale } from '@/lib/time/astana';
import { renderExplanation, type Explanation } from '@/lib/time/explain';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A deadline's explanation as stored (jsonb: its instants became ISO strings) rendered in the user's language;
 * the instants are revived so that they are shown in Astana time.
 */
export function explanationText(raw: unknown, locale: string): string | null {
  if (!raw || typeof raw !== 'object') return null;
  const e = raw as Explanation;
  const params = Object.fromEntries(Object.entries(e.params ?? {}).map(([k, v]) => [k, typeof v === 'string' && INSTANT.test(v) ? new Date(v) : v]));
  return renderExplanation({ ...e, params }, asTimeLocale(locale));
}

export function asTimeLocale(locale: string): TimeLocale {
  return locale === 'ru' || locale === 'en' ? locale : 'kk';
}

/** A form's text in the user's language (Kazakh and Russian are always there; English may be missing). */
export function localized(text: LocalizedText, locale: string): string {
  if (locale === 'en') return text.en ?? text.ru;
  return locale === 'ru' ? text.ru : text.kk;
}
