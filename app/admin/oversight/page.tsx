import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { BackToAdmin } from '@/components/admin/back-link';
import { DataTable, type Column } from '@/components/admin/data-table';
import { CursorPager, FilterForm, FilterInput, FilterSelect } from '@/components/admin/filter-form';
import { atColumn, entityColumn } from '@/components/admin/journal-columns';
import { PageHeader } from '@/components/admin/page-header';
import { checkAccess } from '@/lib/actions/guard';
import { listOversight, OVERSIGHT_SYSTEM_KEYS, parseOversightQuery, type OversightProblem } from '@/lib/audit/oversight';
import type { TimeLocale } from '@/lib/time/astana';
import { filterParam } from '@/lib/http/search-params';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('oversight'))('title') };
}

const PAGE_SIZE = 50;
type Search = Record<string, string | string[] | undefined>;

/** X-13 / C-16: the state control body's read-only view of users' actions (the audit journal), filtered. */
export default async function OversightPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('oversight.monitor');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('oversight'), getLocale(), searchParams]);
  const q = { user: filterParam(sp.user), system: filterParam(sp.system), action: filterParam(sp.action), actor: filterParam(sp.actor), from: filterParam(sp.from), to: filterParam(sp.to) };
  const { filters, problems } = parseOversightQuery(q);
  const before = Number(filterParam(sp.before));
  const beforeSeq = Number.isSafeInteger(before) && before > 0 ? before : undefined;
  const { rows, nextBeforeSeq } = problems.length ? { rows: [], nextBeforeSeq: null } : await listOversight(getDb(), filters, { limit: PAGE_SIZE, beforeSeq });
  const keep = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => Boolean(e[1])));
  const has = (p: OversightProblem) => problems.includes(p);
  const error = (p: OversightProblem) => has(p) && { id: `ov-${p}-error`, text: t(`invalid.${p}`) };

  const columns: Column<(typeof rows)[number]>[] = [
    atColumn(t('columns.at'), locale as TimeLocale),
    {
      key: 'actor',
      header: t('columns.actor'),
      cell: (r) =>
        r.actorUserId || r.actorIin ? (
          <>
            {r.actorName ?? '—'}
            {r.actorIin && <div className="font-mono text-slate-700">{r.actorIin}</div>}
            {r.actorRole && <div className="text-slate-700">{r.actorRole}</div>}
          </>
        ) : (
          <span className="italic">{t('automatic')}</span>
        ),
    },
    { key: 'system', header: t('columns.system'), cell: (r) => (r.system ? t(`systems.${r.system}`) : '—') },
    { key: 'action', header: t('columns.action'), className: 'font-mono', cell: (r) => r.action },
    entityColumn(t('columns.entity')),
    { key: 'basis', header: t('columns.basis'), cell: (r) => r.basis ?? '—' },
    { key: 'signed', header: t('columns.signed'), cell: (r) => (r.signatureId ? t('signedYes') : t('signedNo')) },
  ];

  return (
    <div className="space-y-6">
      <BackToAdmin />
      <PageHeader title={t('title')} intro={t('intro')} />

      <FilterForm
        heading={{ id: 'ov-filters', text: t('filters.heading') }}
        submitLabel={t('filters.apply')}
        reset={{ href: '/admin/oversight', label: t('filters.reset') }}
      >
        <FilterInput id="ov-user" name="user" label={t('filters.user')} defaultValue={q.user} error={error('user')} />
        <FilterSelect
          id="ov-system"
          name="system"
          label={t('filters.system')}
          defaultValue={q.system ?? ''}
          anyLabel={t('filters.allSystems')}
          options={OVERSIGHT_SYSTEM_KEYS.map((s) => ({ value: s, label: t(`systems.${s}`) }))}
          error={error('system')}
        />
        <FilterInput id="ov-action" name="action" label={t('filters.action')} defaultValue={q.action} error={error('action')} />
        <FilterSelect
          id="ov-actor"
          name="actor"
          label={t('filters.actor')}
          defaultValue={q.actor ?? ''}
          anyLabel={t('filters.allActors')}
          options={[
            { value: 'users', label: t('filters.users') },
            { value: 'system', label: t('filters.system') },
          ]}
          error={error('actor')}
        />
        <FilterInput id="ov-from" name="from" type="date" label={t('filters.from')} defaultValue={q.from} error={has('period') && { id: 'ov-period-error' }} />
        <FilterInput id="ov-to" name="to" type="date" label={t('filters.to')} defaultValue={q.to} error={error('period')} />
      </FilterForm>

      <DataTable
        caption={t('caption')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.seq}
        minWidthRem={52}
        testId="oversight-table"
        empty={t('empty')}
        emptyTestId="oversight-empty"
      />
      <CursorPager label={t('caption')} path="/admin/oversight" keep={keep} before={beforeSeq} next={nextBeforeSeq} newestLabel={t('newest')} olderLabel={t('older')} />
    </div>
  );
}
