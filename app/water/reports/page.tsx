import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { DataTable, type Column } from '@/components/admin/data-table';
import { FilterForm, FilterInput, FilterSelect } from '@/components/admin/filter-form';
import { PageHeader } from '@/components/admin/page-header';
import { getDb } from '@/db/client';
import { checkAccess } from '@/lib/actions/guard';
import { AppError } from '@/lib/errors';
import { isLocale, locales, type Locale } from '@/lib/i18n/config';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { listReports, type ReportListItem } from '@/lib/water/reports/archive';
import { REPORT_FORMATS } from '@/lib/water/reports/render';
import { filterParam } from '@/lib/http/search-params';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterReports'))('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const KINDS = ['daily', 'monthly', 'urgent'] as const;
const LEVELS = ['local', 'regional', 'national'] as const;

/** W-30: the archived water reports in the user's scope (W-16, X-11), with filters and downloads. */
export default async function WaterReportsPage({ searchParams }: { searchParams: SearchParams }) {
  const access = await checkAccess('water.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const t = await getTranslations('waterReports');
  const locale = (await getLocale()) as TimeLocale;
  const sp = await searchParams;
  const filters = { kind: filterParam(sp.kind), level: filterParam(sp.level), from: filterParam(sp.from), to: filterParam(sp.to) };
  // W-30: the language the files are rendered in at download (default: the page's language).
  const askedLang = filterParam(sp.lang);
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
  const columns: Column<ReportListItem>[] = [
    {
      key: 'period',
      header: t('col.period'),
      className: 'whitespace-nowrap',
      cell: (r) => (r.periodStart === r.periodEnd ? r.periodStart : `${r.periodStart} — ${r.periodEnd}`),
    },
    { key: 'kind', header: t('col.kind'), cell: (r) => t(`kinds.${r.kind}`) },
    { key: 'level', header: t('col.level'), cell: (r) => t(`levels.${r.level}`) },
    { key: 'scope', header: t('col.scope'), cell: (r) => (r.level === 'national' ? t('national') : locale === 'kk' ? r.scopeNameKk : locale === 'en' ? r.scopeNameEn : r.scopeName) },
    { key: 'generated', header: t('col.generated'), cell: (r) => formatAstana(r.generatedAt, locale) },
    {
      key: 'files',
      header: t('col.files'),
      cell: (r) => (
        <>
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
        </>
      ),
    },
  ];
  return (
    <div className="space-y-4">
      <PageHeader title={t('title')} intro={t('intro')} />
      <FilterForm label={t('filters')} submitLabel={t('apply')}>
        <FilterSelect
          id="wr-kind"
          name="kind"
          label={t('kind')}
          defaultValue={filters.kind ?? ''}
          anyLabel={t('any')}
          options={KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
        />
        <FilterSelect
          id="wr-level"
          name="level"
          label={t('level')}
          defaultValue={filters.level ?? ''}
          anyLabel={t('any')}
          options={LEVELS.map((l) => ({ value: l, label: t(`levels.${l}`) }))}
        />
        <FilterInput id="wr-from" name="from" type="date" label={t('from')} defaultValue={filters.from ?? ''} />
        <FilterInput id="wr-to" name="to" type="date" label={t('to')} defaultValue={filters.to ?? ''} />
        <FilterSelect id="wr-lang" name="lang" label={t('language')} defaultValue={lang} options={locales.map((l) => ({ value: l, label: tShell(l) }))} />
      </FilterForm>
      <p className="max-w-3xl text-sm text-slate-700">{t('languageNote')}</p>
      {invalid ? (
        <p role="alert" className="text-red-800">
          {t('badFilters')}
        </p>
      ) : (
        <DataTable caption={t('title')} columns={columns} rows={reports} rowKey={(r) => r.id} testId="water-reports" empty={t('empty')} />
      )}
    </div>
  );
}
