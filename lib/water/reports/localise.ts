/**
 * W-30: a report's archived figures (ReportData) as one language's texts — headings, column names and labels
 * from the `waterReportFile` messages (kk, ru, en), names in the language where the data carry several, instants
 * in Astana time with the zone marked in that language. The renderers (render.ts) draw only resolved texts.
 *
 * Archiving stays honest: the archived files are rendered once, at generation, in both state languages (kk and
 * ru) and kept byte for byte (their SHA-256 in the append-only water_reports row). A download in a chosen
 * language is rendered from the same archived data, says so on its first lines (with the archived original's
 * SHA-256), and is audited with both hashes; it never replaces the archived file.
 */
import { createTranslator } from 'next-intl';
import type { Locale } from '@/lib/i18n/config';
import { messagesByLocale } from '@/lib/i18n/messages';
import { formatAstana, formatIsoDate } from '@/lib/time/astana';
import type { Cell, ReportData, ReportKind, ReportLevel, ReportPeriod } from './build';

export type Plain = string | number | null;
export type ResolvedSection = { key: string; title: string; columns: string[]; rows: Plain[][] };
export type ResolvedReport = {
  locale: Locale;
  title: string;
  /** "Generated automatically: <time>" and, for a rendering from the archive, where it comes from. */
  headerLines: string[];
  noData: string;
  generatedAt: string;
  sections: ResolvedSection[];
};

/** The languages of the archived files (the state language and Russian, used officially beside it). */
export const ARCHIVE_LOCALES = ['kk', 'ru'] as const satisfies readonly Locale[];

/** The languages a report can be rendered in: every language for v2 data, Russian only for older data. */
export function reportLocales(d: ReportData): Locale[] {
  return d.v === 2 ? ['kk', 'ru', 'en'] : ['ru'];
}

type Tr = ((key: string, values?: Record<string, string | number>) => string) & { has: (key: string) => boolean };

function translator(locale: Locale): Tr {
  return createTranslator({
    locale,
    messages: messagesByLocale[locale] as Record<string, unknown>,
    namespace: 'waterReportFile',
    onError: (e) => {
      throw e;
    },
  }) as unknown as Tr;
}

function period(p: ReportPeriod): string {
  return p.start === p.end ? formatIsoDate(p.start) : `${formatIsoDate(p.start)} — ${formatIsoDate(p.end)}`;
}

function resolveCell(c: Cell, locale: Locale, t: Tr): Plain {
  if (c === null || typeof c === 'number' || typeof c === 'string') return c;
  if ('t' in c) {
    const p = Object.fromEntries(Object.entries(c.p ?? {}).map(([k, v]) => [k, v]));
    return t(c.t, p);
  }
  if ('l' in c) return c.l[locale];
  return formatAstana(new Date(c.d), locale);
}

// ---- version 1 (archived before localisation: Russian texts in the data) ----------------------------------

const KIND_RU: Record<ReportKind, string> = { daily: 'Ежедневный', monthly: 'Ежемесячный', urgent: 'Срочный' };
const LEVEL_RU: Record<ReportLevel, string> = { local: 'местный', regional: 'региональный', national: 'республиканский' };

function legacy(d: ReportData): ResolvedReport {
  const p = d.period.start === d.period.end ? d.period.start : `${d.period.start} — ${d.period.end}`;
  return {
    locale: 'ru',
    title: `${KIND_RU[d.kind]} ${LEVEL_RU[d.level]} отчёт: ${d.scopeName}, ${p}`,
    headerLines: [`Сформирован: ${formatAstana(new Date(d.generatedAt), 'ru')}`],
    noData: 'Нет данных за период.',
    generatedAt: d.generatedAt,
    sections: d.sections.map((s) => ({ key: s.key, title: s.title ?? s.key, columns: s.columns, rows: s.rows as Plain[][] })),
  };
}

/**
 * The report in `locale`. `renderedFrom` marks a rendering made at download from the archived data (its
 * report id and the archived original's SHA-256 of the same format).
 */
export function localiseReport(d: ReportData, locale: Locale, opts: { renderedFrom?: { id: string; archivedSha256: string } } = {}): ResolvedReport {
  if (d.v !== 2) return legacy(d);
  const t = translator(locale);
  const scope = d.scopeNames?.[locale] ?? d.scopeName;
  const headerLines = [t('generated', { time: formatAstana(new Date(d.generatedAt), locale) })];
  if (opts.renderedFrom) headerLines.push(t('renderedFrom', { id: opts.renderedFrom.id, sha: opts.renderedFrom.archivedSha256 }));
  return {
    locale,
    title: t('title', { kind: t(`kind.${d.kind}`), level: t(`level.${d.level}`), scope, period: period(d.period) }),
    headerLines,
    noData: t('noData'),
    generatedAt: d.generatedAt,
    sections: d.sections.map((s) => {
      const params = Object.fromEntries(Object.entries(s.titleParams ?? {}).map(([k, v]) => [k, String(resolveCell(v, locale, t) ?? '')]));
      return {
        key: s.key,
        title: t(`section.${s.key}`, params),
        columns: s.columns.map((c) => t(`col.${c}`)),
        rows: s.rows.map((r) => r.map((c) => resolveCell(c, locale, t))),
      };
    }),
  };
}
