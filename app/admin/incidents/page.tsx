import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { INCIDENT_CHANNELS, INCIDENT_COMPONENTS, INCIDENT_CRITICALITIES, INCIDENT_SOURCES, INCIDENT_STATUSES } from '@/db/schema/incidents';
import { AccessDenied } from '@/components/admin/access-denied';
import { BackToAdmin } from '@/components/admin/back-link';
import { FilterForm, FilterSelect } from '@/components/admin/filter-form';
import { EmptyState, PageHeader } from '@/components/admin/page-header';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { StatusBadge } from '@/components/incidents/parts';
import { SignedForm } from '@/components/incidents/signed-form';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import type { Locale } from '@/lib/i18n/config';
import { INCIDENT_ACTION_NAMES } from '@/lib/incidents/actions';
import { listIncidents, type IncidentFilters } from '@/lib/incidents/service';
import { astanaDateOf, formatAstana } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { recordIncidentAction } from './actions';
import { firstParam } from '@/lib/http/search-params';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('incidents'))('queue.title') };
}

type Search = Record<string, string | string[] | undefined>;

/** I-4..I-12: the operator's incident journal with SLA timers; overdue ones marked; filters. */
export default async function IncidentQueuePage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('incidents.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('incidents'), getLocale(), searchParams]);
  const l: Locale = locale === 'ru' || locale === 'en' ? locale : 'kk';
  const statusParam = firstParam(sp.status) ?? 'open';
  const critParam = firstParam(sp.criticality);
  const filters: IncidentFilters = {
    status: (INCIDENT_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as IncidentFilters['status']) : undefined,
    open: statusParam === 'open',
    criticality: (INCIDENT_CRITICALITIES as readonly string[]).includes(critParam ?? '') ? (critParam as IncidentFilters['criticality']) : undefined,
    overdue: firstParam(sp.overdue) === '1',
  };
  const at = now();
  const items = await listIncidents(getDb(), filters, at);
  const mayManage = can(access.principal, 'incidents.manage');
  const demoKeys = mayManage ? await demoSignKeys() : null;

  return (
    <div className="space-y-6">
      <BackToAdmin />
      <PageHeader title={t('queue.title')} intro={t('queue.intro')}>
        <p>
          <Link href="/admin/maintenance" className="text-sky-800 underline">
            {t('maintenance.adminTitle')}
          </Link>
        </p>
      </PageHeader>
      <FilterForm label={t('queue.filters')} submitLabel={t('queue.apply')}>
        <FilterSelect
          id="f-status"
          name="status"
          label={t('queue.status')}
          defaultValue={statusParam}
          options={[
            { value: 'open', label: t('queue.open') },
            { value: 'all', label: t('queue.all') },
            ...INCIDENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
          ]}
        />
        <FilterSelect
          id="f-crit"
          name="criticality"
          label={t('ui.criticality')}
          defaultValue={critParam ?? ''}
          anyLabel={t('queue.all')}
          options={INCIDENT_CRITICALITIES.map((c) => ({ value: c, label: t(`criticality.${c}`) }))}
        />
        <label className="flex items-center gap-2 pb-1.5">
          <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue} />
          {t('queue.overdueOnly')}
        </label>
      </FilterForm>
      <p role="status" data-testid="incident-count">
        {t('queue.count', { count: items.length })}
      </p>
      {items.length === 0 ? (
        <EmptyState>{t('queue.empty')}</EmptyState>
      ) : (
        <ul className="space-y-3" aria-label={t('queue.title')}>
          {items.map((i) => (
            <li
              key={i.id}
              className={`space-y-1 rounded-lg border p-4 ${i.overdue ? 'border-red-700 bg-red-50' : 'border-slate-300'}`}
              data-testid="incident-item"
              data-incident-id={i.id}
              data-overdue={i.overdue ? 'true' : undefined}
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="text-lg font-semibold">
                  <Link href={`/admin/incidents/${i.id}`} className="text-sky-800 underline-offset-2 hover:underline">
                    {i.number ?? t('unregistered')}
                  </Link>
                </h2>
                <span className="flex flex-wrap items-center gap-2">
                  {i.criticality ? <span className="text-sm">{t(`criticality.${i.criticality}`)}</span> : null}
                  <StatusBadge status={i.status} />
                </span>
              </div>
              <p className="text-sm text-slate-700">
                {t(`component.${i.component}`)} · {t(`source.${i.source}`)} · {t('ui.receivedAt', { at: formatAstana(i.receivedAt, l) })}
              </p>
              <p className="line-clamp-2">{i.description}</p>
              <p className="text-sm" data-testid="incident-next-due">
                {i.nextDue ? t('queue.nextDue', { at: formatAstana(i.nextDue, l) }) : null}
                {i.overdue ? <span className="ml-2 rounded bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white">{t('ui.overdue')}</span> : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      {mayManage ? (
        <SignedForm
          title={t('queue.recordTitle')}
          text={t('queue.recordText')}
          actionName={INCIDENT_ACTION_NAMES.record}
          action={recordIncidentAction}
          demoKeys={demoKeys}
          testId="record-form"
          defaults={{ source: 'user_report', channel: 'email', component: 'portal', detectedDate: astanaDateOf(at) }}
          fields={[
            { name: 'source', label: t('ui.source'), kind: 'select', options: INCIDENT_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) })) },
            { name: 'channel', label: t('ui.channel'), kind: 'select', options: INCIDENT_CHANNELS.filter((c) => c !== 'portal').map((c) => ({ value: c, label: t(`channel.${c}`) })) },
            { name: 'component', label: t('report.component'), kind: 'select', options: INCIDENT_COMPONENTS.map((c) => ({ value: c, label: t(`component.${c}`) })) },
            { name: 'detectedDate', label: t('report.detectedDate'), kind: 'date', hint: t('report.astanaTime') },
            { name: 'detectedTime', label: t('report.detectedTime'), kind: 'time' },
            { name: 'orgName', label: t('report.orgName'), kind: 'text' },
            { name: 'fullName', label: t('report.fullName'), kind: 'text' },
            { name: 'idNumber', label: t('report.idNumber'), kind: 'text' },
            { name: 'email', label: t('report.email'), kind: 'text' },
            { name: 'phone', label: t('report.phone'), kind: 'text' },
            { name: 'applicationNumber', label: t('report.applicationNumber'), kind: 'text' },
            { name: 'forceMajeure', label: t('queue.forceMajeure'), kind: 'checkbox' },
            { name: 'description', label: t('report.description'), kind: 'textarea' },
          ]}
          submitLabel={t('queue.record')}
        />
      ) : null}
    </div>
  );
}
