import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { FilterForm, FilterSelect } from '@/components/admin/filter-form';
import { EmptyState, PageHeader } from '@/components/admin/page-header';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { AlertCard } from '@/components/water/alert-card';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { getDb } from '@/db/client';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';
import type { Locale } from '@/lib/i18n/config';
import { waterScope } from '@/lib/water/access';
import { ALERT_TYPES, RECOMMENDATIONS, SEVERITIES } from '@/lib/water/analytics';
import { ALERT_STATUS_FILTERS, alertFilterOptions, listAlertsInScope, parseAlertFilters, type AlertView, type ParsedAlertFilters } from '@/lib/water/monitoring/list';
import { placeName, type PlaceNames } from '@/lib/water/names';
import { filterParam } from '@/lib/http/search-params';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterAlerts'))('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * W-27 / W-31 / W-16: the alerts of the user's access area (a utility its own objects, an akimat its region, the
 * authorised body the nation) with filters, each with its recommended corrective actions and — for a user who
 * may — the EDS-signed acknowledge and clear buttons.
 */
export default async function WaterAlertsPage({ searchParams }: { searchParams: SearchParams }) {
  const access = await checkAccess('water.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const db = getDb();
  const scope = await waterScope(db, access.principal);
  if (scope.level === 'none') return <AccessDenied reason="forbidden" />;
  const [t, td, locale, sp] = await Promise.all([getTranslations('waterAlerts'), getTranslations('waterDashboard'), getLocale() as Promise<Locale>, searchParams]);
  const raw = { status: filterParam(sp.status), type: filterParam(sp.type), severity: filterParam(sp.severity), region: filterParam(sp.region), entity: filterParam(sp.entity), object: filterParam(sp.object) };
  let filters: ParsedAlertFilters;
  let invalid = false;
  try {
    filters = parseAlertFilters(raw);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'validation_failed') throw e;
    invalid = true;
    filters = parseAlertFilters({});
  }
  const canManage = can(access.principal, 'water.alerts.manage');
  const [alerts, options, demoKeys]: [AlertView[], Awaited<ReturnType<typeof alertFilterOptions>>, Awaited<ReturnType<typeof demoSignKeys>>] = await Promise.all([
    invalid ? Promise.resolve([]) : listAlertsInScope(db, scope, filters),
    alertFilterOptions(db, scope),
    canManage ? demoSignKeys() : Promise.resolve(null),
  ]);
  const regionName = (r: PlaceNames) => placeName(r, locale);

  return (
    <div className="space-y-4">
      <Breadcrumbs items={[{ label: td('national'), href: '/water/dashboard' }, { label: t('title') }]} />
      <PageHeader title={t('title')} intro={t('intro')} />

      <FilterForm label={t('filters')} testId="alert-filters" submitLabel={t('apply')} reset={{ href: '/water/alerts', label: t('reset') }}>
        <FilterSelect
          id="wa-status"
          name="status"
          label={t('status')}
          defaultValue={filters.status}
          options={ALERT_STATUS_FILTERS.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
        />
        <FilterSelect
          id="wa-type"
          name="type"
          label={t('type')}
          defaultValue={filters.type ?? ''}
          anyLabel={t('any')}
          options={ALERT_TYPES.map((k) => ({ value: k, label: RECOMMENDATIONS[k].title[locale] }))}
        />
        <FilterSelect
          id="wa-severity"
          name="severity"
          label={t('severity')}
          defaultValue={filters.severity ?? ''}
          anyLabel={t('any')}
          options={SEVERITIES.map((s) => ({ value: s, label: t(`severities.${s}`) }))}
        />
        {options.regions.length > 1 ? (
          <FilterSelect
            id="wa-region"
            name="region"
            label={t('region')}
            defaultValue={filters.region ?? ''}
            anyLabel={t('any')}
            options={options.regions.map((r) => ({ value: r.id, label: regionName(r) }))}
          />
        ) : null}
        {options.entities.length > 1 ? (
          <FilterSelect
            id="wa-entity"
            name="entity"
            label={t('entity')}
            defaultValue={filters.entity ?? ''}
            anyLabel={t('any')}
            options={options.entities.map((e) => ({ value: e.id, label: e.name }))}
          />
        ) : null}
        <FilterSelect
          id="wa-object"
          name="object"
          label={t('object')}
          defaultValue={filters.object ?? ''}
          anyLabel={t('any')}
          options={options.objects.map((o) => ({ value: o.id, label: options.entities.length > 1 ? `${o.name} — ${o.entityName}` : o.name }))}
        />
      </FilterForm>

      {invalid ? (
        <p role="alert" className="text-red-800">
          {t('badFilters')}
        </p>
      ) : alerts.length === 0 ? (
        <EmptyState testId="alerts-empty">{t('empty')}</EmptyState>
      ) : (
        <>
          <p className="text-sm text-slate-700" aria-live="polite">
            {t('shown', { count: alerts.length })}
          </p>
          {!canManage ? <p className="text-sm text-slate-700">{t('readOnly')}</p> : null}
          <div className="grid gap-4" data-testid="alerts-list">
            {alerts.map((a) => (
              <AlertCard key={a.id} alert={a} canManage={canManage} demoKeys={demoKeys} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
