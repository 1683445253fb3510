import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { getDb } from '@/db/client';
import { checkAccess } from '@/lib/actions/guard';
import { AppError } from '@/lib/errors';
import { isLocale, locales, type Locale } from '@/lib/i18n/config';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { listReports, type ReportListItem } from '@/lib/water/reports/archive';
import { REPORT_FORMATS } from '@/lib/water/reports/render';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterReports'))('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
const KINDS = ['daily', 'monthly', 'urgent'] as const;
const LEVELS = ['local', 'regional', 'national'] as const;

/** W-30: the archived water reports in the user's scope (W-16, X-11), with filters and downloads. */
export default async function WaterReportsPage({ searchParams }: { searchParams: SearchParams }) {
  const access = await checkAccess('water.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const t = await getTranslations('waterReports');
  const locale = (await getLocale()) as TimeLocale;
  const sp = await searchParams;
  const filters = { kind: one(sp.kind), level: one(sp.level), from: one(sp.from), to: one(sp.to) };
  // W-30: the language the files are rendered in at download (default: the page's language).
  const askedLang = one(sp.lang);
  const lang: Locale = isLocale(askedLang) ? askedLang : (locale as Locale);
  const tShell = await getTranslations('shell.languages');
  let reports: ReportListItem[] = [];
  let invalid = false;
  try {
    reports = await listReports(getDb(), access.principal, filters as Parameters<typeof listReports>[2]);
  } catch (e) {
    if (e instanceof AppError && e.code === 'forbidden') return <AccessDenied reason="forbidden" />;
    if (!(e instanceof AppError) || e.code !== 'validation_failed') throw e;
    invalid = true;
  }
  const field = 'rounded border border-slate-400 bg-white px-2 py-1';
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p>{t('intro')}</p>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t('filters')}>
        <label className="flex flex-col text-sm">
          {t('kind')}
          <select name="kind" defaultValue={filters.kind ?? ''} className={field}>
            <option value="">{t('any')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          {t('level')}
          <select name="level" defaultValue={filters.level ?? ''} className={field}>
            <option value="">{t('any')}</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`levels.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          {t('from')}
          <input type="date" name="from" defaultValue={filters.from ?? ''} className={field} />
        </label>
        <label className="flex flex-col text-sm">
          {t('to')}
          <input type="date" name="to" defaultValue={filters.to ?? ''} className={field} />
        </label>
        <label className="flex flex-col text-sm">
          {t('language')}
          <select name="lang" defaultValue={lang} className={field}>
            {locales.map((l) => (
              <option key={l} value={l}>
                {tShell(l)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
          {t('apply')}
        </button>
      </form>
      <p className="max-w-3xl text-sm text-slate-700">{t('languageNote')}</p>
      {invalid ? (
        <p role="alert" className="text-red-800">
          {t('badFilters')}
        </p>
      ) : reports.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <div className="overflow-x-auto" tabIndex={0}>
          <table className="w-full border-collapse text-sm" data-testid="water-reports">
            <thead>
              <tr className="border-b border-slate-400 text-left">
                <th scope="col" className="p-2">{t('col.period')}</th>
                <th scope="col" className="p-2">{t('col.kind')}</th>
                <th scope="col" className="p-2">{t('col.level')}</th>
                <th scope="col" className="p-2">{t('col.scope')}</th>
                <th scope="col" className="p-2">{t('col.generated')}</th>
                <th scope="col" className="p-2">{t('col.files')}</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id} className="border-b border-slate-200 align-top">
                  <td className="p-2 whitespace-nowrap">{r.periodStart === r.periodEnd ? r.periodStart : `${r.periodStart} — ${r.periodEnd}`}</td>
                  <td className="p-2">{t(`kinds.${r.kind}`)}</td>
                  <td className="p-2">{t(`levels.${r.level}`)}</td>
                  <td className="p-2">{r.level === 'national' ? t('national') : locale === 'kk' ? r.scopeNameKk : r.scopeName}</td>
                  <td className="p-2">{formatAstana(r.generatedAt, locale)}</td>
                  <td className="p-2">
                    <ul className="flex flex-wrap gap-2">
                      {REPORT_FORMATS.map((f) => (
                        <li key={f}>
                          <a className="text-sky-800 underline" href={`/api/v1/water/reports/${r.id}/${f}?lang=${lang}`} download hrefLang={lang} data-format={f}>
                            {t('downloadIn', { format: f.toUpperCase(), language: tShell(lang) })}
                          </a>
                        </li>
                      ))}
                    </ul>
                    <details className="mt-1 text-xs">
                      <summary className="cursor-pointer">{t('archivedTitle')}</summary>
                      <ul className="flex flex-wrap gap-2">
                        {REPORT_FORMATS.map((f) => (
                          <li key={f}>
                            <a className="text-sky-800 underline" href={`/api/v1/water/reports/${r.id}/${f}`} download data-format={`archived-${f}`}>
                              {t('archived', { format: f.toUpperCase(), size: Math.max(1, Math.round(r.files[f].size / 1024)) })}
                            </a>
                          </li>
                        ))}
                      </ul>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
