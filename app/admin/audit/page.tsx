import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { BackToAdmin } from '@/components/admin/back-link';
import { DataTable, type Column } from '@/components/admin/data-table';
import { CursorPager, FilterForm, FilterInput } from '@/components/admin/filter-form';
import { atColumn, entityColumn } from '@/components/admin/journal-columns';
import { PageHeader } from '@/components/admin/page-header';
import { VerifyChain } from '@/components/admin/verify-chain';
import { verifyAuditChainAction } from '@/lib/actions/audit';
import { checkAccess } from '@/lib/actions/guard';
import { listAudit, type AuditFilters } from '@/lib/audit';
import { dayNumber, dayStartMs, isIsoDate, type TimeLocale } from '@/lib/time/astana';
import { filterParam } from '@/lib/http/search-params';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('audit'))('title') };
}

const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const IIN = /^\d{12}$/;

type Search = Record<string, string | string[] | undefined>;

/** The URL's filters as listAudit's; the period is Astana dates, `to` inclusive. */
function parseFilters(sp: Search): { filters: AuditFilters; problems: ('user' | 'period')[]; beforeSeq?: number } {
  const filters: AuditFilters = {};
  const problems: ('user' | 'period')[] = [];
  const user = filterParam(sp.user);
  if (user) {
    if (UUID.test(user)) filters.userId = user;
    else if (IIN.test(user)) filters.iin = user;
    else problems.push('user');
  }
  filters.entityType = filterParam(sp.entityType);
  filters.entityId = filterParam(sp.entityId);
  const from = filterParam(sp.from);
  const to = filterParam(sp.to);
  if ((from && !isIsoDate(from)) || (to && !isIsoDate(to))) problems.push('period');
  else {
    if (from) filters.from = new Date(dayStartMs(dayNumber(from)));
    if (to) filters.to = new Date(dayStartMs(dayNumber(to) + 1));
  }
  const before = Number(filterParam(sp.before));
  return { filters, problems, beforeSeq: Number.isSafeInteger(before) && before > 0 ? before : undefined };
}

function json(v: unknown): string {
  return v === null || v === undefined ? '—' : JSON.stringify(v, null, 2);
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('audit.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('audit'), getLocale(), searchParams]);
  const { filters, problems, beforeSeq } = parseFilters(sp);
  const { rows, nextBeforeSeq } = problems.length
    ? { rows: [], nextBeforeSeq: null }
    : await listAudit(getDb(), filters, { limit: PAGE_SIZE, beforeSeq });
  const keep = new URLSearchParams();
  for (const k of ['user', 'entityType', 'entityId', 'from', 'to']) {
    const v = filterParam(sp[k]);
    if (v) keep.set(k, v);
  }
  const periodError = problems.includes('period') && { id: 'f-period-error' };

  const columns: Column<(typeof rows)[number]>[] = [
    { key: 'seq', header: t('columns.seq'), className: 'tabular-nums', cell: (r) => r.seq },
    atColumn(t('columns.at'), locale as TimeLocale),
    {
      key: 'actor',
      header: t('columns.actor'),
      cell: (r) => (
        <>
          {r.actorName ?? '—'}
          {r.actorIin && <div className="text-slate-700">{r.actorIin}</div>}
          {r.actorBin && <div className="text-slate-700">{r.actorBin}</div>}
          {r.actorRole && <div className="text-slate-700">{r.actorRole}</div>}
        </>
      ),
    },
    { key: 'action', header: t('columns.action'), className: 'font-mono', cell: (r) => r.action },
    entityColumn(t('columns.entity')),
    { key: 'basis', header: t('columns.basis'), cell: (r) => r.basis ?? '—' },
    {
      key: 'changes',
      header: t('columns.changes'),
      cell: (r) => (
        <details>
          <summary className="cursor-pointer text-sky-800 underline">{t('columns.changes')}</summary>
          <p className="mt-1 font-medium">{t('before')}</p>
          <pre className="max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 text-xs">{json(r.before)}</pre>
          <p className="mt-1 font-medium">{t('after')}</p>
          <pre className="max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 text-xs">{json(r.after)}</pre>
        </details>
      ),
    },
  ];

  return (
    <div className="space-y-6">
      <BackToAdmin />
      <PageHeader title={t('title')} intro={t('intro')} />

      <VerifyChain action={verifyAuditChainAction} />

      <FilterForm
        heading={{ id: 'filters-heading', text: t('filters.heading') }}
        columns={5}
        submitLabel={t('filters.apply')}
        reset={{ href: '/admin/audit', label: t('filters.reset') }}
      >
        <FilterInput
          id="f-user"
          name="user"
          label={t('filters.user')}
          defaultValue={filterParam(sp.user)}
          error={problems.includes('user') && { id: 'f-user-error', text: t('invalidUser') }}
        />
        <FilterInput id="f-type" name="entityType" label={t('filters.entityType')} defaultValue={filterParam(sp.entityType)} />
        <FilterInput id="f-id" name="entityId" label={t('filters.entityId')} defaultValue={filterParam(sp.entityId)} />
        <FilterInput id="f-from" name="from" type="date" label={t('filters.from')} defaultValue={filterParam(sp.from)} error={periodError} />
        <FilterInput
          id="f-to"
          name="to"
          type="date"
          label={t('filters.to')}
          defaultValue={filterParam(sp.to)}
          error={periodError && { ...periodError, text: t('invalidPeriod') }}
        />
      </FilterForm>

      <DataTable
        caption={t('title')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.seq}
        minWidthRem={48}
        testId="audit-table"
        empty={t('empty')}
        emptyTestId="audit-empty"
      />
      <CursorPager label={t('title')} path="/admin/audit" keep={keep} before={beforeSeq} next={nextBeforeSeq} newestLabel={t('newest')} olderLabel={t('older')} />
    </div>
  );
}
