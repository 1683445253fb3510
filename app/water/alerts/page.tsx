import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
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

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterAlerts'))('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

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
  const raw = { status: one(sp.status), type: one(sp.type), severity: one(sp.severity), region: one(sp.region), entity: one(sp.entity), object: one(sp.object) };
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
  const field = 'w-full rounded border border-slate-500 bg-white px-2 py-1';
  const label = 'flex min-w-0 max-w-full flex-col text-sm';
  const regionName = (r: { nameKk: string; nameRu: string }) => (locale === 'kk' ? r.nameKk : r.nameRu);

  return (
    <div className="space-y-4">
      <Breadcrumbs items={[{ label: td('national'), href: '/water/dashboard' }, { label: t('title') }]} />
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p className="max-w-3xl text-slate-700">{t('intro')}</p>

      <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t('filters')} data-testid="alert-filters">
        <label className={label}>
          {t('status')}
          <select name="status" defaultValue={filters.status} className={field}>
            {ALERT_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          {t('type')}
          <select name="type" defaultValue={filters.type ?? ''} className={field}>
            <option value="">{t('any')}</option>
            {ALERT_TYPES.map((k) => (
              <option key={k} value={k}>
                {RECOMMENDATIONS[k].title[locale]}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          {t('severity')}
          <select name="severity" defaultValue={filters.severity ?? ''} className={field}>
            <option value="">{t('any')}</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(`severities.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {options.regions.length > 1 ? (
          <label className={label}>
            {t('region')}
            <select name="region" defaultValue={filters.region ?? ''} className={field}>
              <option value="">{t('any')}</option>
              {options.regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {regionName(r)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {options.entities.length > 1 ? (
          <label className={label}>
            {t('entity')}
            <select name="entity" defaultValue={filters.entity ?? ''} className={field}>
              <option value="">{t('any')}</option>
              {options.entities.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className={label}>
          {t('object')}
          <select name="object" defaultValue={filters.object ?? ''} className={field}>
            <option value="">{t('any')}</option>
            {options.objects.map((o) => (
              <option key={o.id} value={o.id}>
                {options.entities.length > 1 ? `${o.name} — ${o.entityName}` : o.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
          {t('apply')}
        </button>
        <Link href="/water/alerts" className="py-2 text-sm text-sky-800 underline hover:text-sky-950">
          {t('reset')}
        </Link>
      </form>

      {invalid ? (
        <p role="alert" className="text-red-800">
          {t('badFilters')}
        </p>
      ) : alerts.length === 0 ? (
        <p data-testid="alerts-empty">{t('empty')}</p>
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
