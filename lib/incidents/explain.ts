/**
 * Explanations of the incident rules as sentences in kk / ru / en. The I-4 texts live with the support calendar
 * (lib/time/explain.ts); the others in the `incidents.sla` messages (lib/i18n/messages/incidents/*.json).
 */
import { createTranslator } from 'next-intl';
import type { Locale } from '@/lib/i18n/config';
import { messagesByLocale } from '@/lib/i18n/messages';
import { formatAstana, formatIsoDate } from '@/lib/time/astana';
import { renderExplanation, type Explanation } from '@/lib/time/explain';

type Tr = ((key: string, values?: Record<string, string | number>) => string) & { has: (key: string) => boolean };

const cache = new Map<Locale, Tr>();

/** A translator of the `incidents` namespace outside a request (jobs, notifications, tests). */
export function incidentsTranslator(locale: Locale): Tr {
  let t = cache.get(locale);
  if (!t) {
    t = createTranslator({
      locale,
      messages: messagesByLocale[locale] as Record<string, unknown>,
      namespace: 'incidents',
      onError: (e) => {
        throw e;
      },
    }) as unknown as Tr;
    cache.set(locale, t);
  }
  return t;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** Message params: instants in Astana time (zone marked), ISO dates as dd.mm.yyyy. */
export function formatParams(params: Explanation['params'], locale: Locale): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    out[k] = v instanceof Date ? formatAstana(v, locale) : typeof v === 'string' && ISO.test(v) ? formatIsoDate(v) : v;
  }
  return out;
}

/** Params stored as JSON come back as strings: turn ISO instants into Dates again. */
function revive(e: Explanation): Explanation {
  const params: Explanation['params'] = {};
  for (const [k, v] of Object.entries(e.params ?? {})) {
    params[k] = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : v;
  }
  return { ...e, params };
}

export function renderSla(explanation: Explanation | unknown, locale: Locale): string {
  if (!explanation || typeof explanation !== 'object' || !('key' in explanation)) return '';
  const e = revive(explanation as Explanation);
  if (!e.key.startsWith('sla.')) return renderExplanation(e, locale);
  const t = incidentsTranslator(locale);
  if (!t.has(e.key)) return e.key;
  const p = formatParams(e.params, locale);
  if (typeof e.params.criticality === 'string') p.criticality = t(`criticality.${e.params.criticality}`);
  return t(e.key, p);
}
