import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { DataTable, type Column } from '@/components/admin/data-table';
import { FilterForm, FilterInput } from '@/components/admin/filter-form';
import { PageHeader } from '@/components/admin/page-header';
import { publicOrganisationsBody } from '@/lib/registration/public-list';
import { formatAstana, formatIsoDate, type TimeLocale } from '@/lib/time/astana';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('expertOrgs'))('title') };
}

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;

/** E-12 / E-13: the public list of accredited expert organisations (no sign-in), searchable. */
export default async function AccreditedOrganisationsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const [t, locale, sp] = await Promise.all([getTranslations('expertOrgs'), getLocale(), searchParams]);
  const raw = Array.isArray(sp.q) ? sp.q[0] : sp.q;
  const q = raw?.trim().slice(0, 200) || undefined;
  const body = await publicOrganisationsBody(getDb(), { q });
  const apiHref = `/api/v1/expertise/organisations${q ? `?q=${encodeURIComponent(q)}` : ''}`;

  const columns: Column<(typeof body.organisations)[number]>[] = [
    { key: 'name', header: t('columns.name'), rowHeader: true, cell: (o) => o.name },
    { key: 'bin', header: t('columns.bin'), className: 'font-mono tabular-nums', cell: (o) => o.bin },
    { key: 'certificate', header: t('columns.certificate'), cell: (o) => o.certificate.number },
    {
      key: 'issuedOn',
      header: t('columns.issuedOn'),
      className: 'whitespace-nowrap',
      cell: (o) => <time dateTime={o.certificate.issuedOn}>{formatIsoDate(o.certificate.issuedOn)}</time>,
    },
    {
      key: 'validUntil',
      header: t('columns.validUntil'),
      className: 'whitespace-nowrap',
      cell: (o) => <time dateTime={o.certificate.validUntil}>{formatIsoDate(o.certificate.validUntil)}</time>,
    },
    {
      key: 'status',
      header: t('columns.status'),
      cell: () => <span className="rounded bg-green-100 px-2 py-0.5 text-green-900">{t('statusAccredited')}</span>,
    },
  ];

  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} intro={t('intro')} />

      <FilterForm search submitLabel={t('search')} reset={q ? { href: '/expertise/organisations', label: t('reset') } : null}>
        <FilterInput id="org-q" name="q" type="search" label={t('searchLabel')} defaultValue={q} maxLength={200} className="min-w-0 grow sm:max-w-md" />
      </FilterForm>

      <p aria-live="polite" data-testid="org-count">
        {t('count', { count: body.count })} · {t('asOf', { at: formatAstana(new Date(body.generatedAt), locale as TimeLocale) })}
      </p>

      <DataTable
        caption={t('caption')}
        columns={columns}
        rows={body.organisations}
        rowKey={(o) => o.bin}
        rowData={(o) => ({ 'data-bin': o.bin })}
        minWidthRem={40}
        testId="org-table"
        empty={t('empty')}
        emptyTestId="org-empty"
      />

      <p className="text-sm text-slate-700">
        {t('api')}{' '}
        <a href={apiHref} className="break-all font-mono text-sky-800 underline">
          {apiHref}
        </a>
      </p>
    </div>
  );
}
