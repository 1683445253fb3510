import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { AlertCard } from '@/components/water/alert-card';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { NotInScope } from '@/components/water/not-in-scope';
import { getDb } from '@/db/client';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';
import { waterScope } from '@/lib/water/access';
import type { Locale } from '@/lib/i18n/config';
import { getAlertInScope, localisedRecommendations, type AlertView } from '@/lib/water/monitoring/list';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterAlerts'))('title') };
}

/** One alert (the link of its cabinet notification): 404-like "not in your area" outside the scope (W-16). */
export default async function WaterAlertPage({ params }: { params: Promise<{ id: string }> }) {
  const access = await checkAccess('water.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const db = getDb();
  const scope = await waterScope(db, access.principal);
  if (scope.level === 'none') return <AccessDenied reason="forbidden" />;
  const { id } = await params;
  let alert: AlertView;
  try {
    alert = await getAlertInScope(db, scope, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return <NotInScope />;
    throw e;
  }
  const [t, td, locale] = await Promise.all([getTranslations('waterAlerts'), getTranslations('waterDashboard'), getLocale() as Promise<Locale>]);
  const canManage = can(access.principal, 'water.alerts.manage');
  const demoKeys = canManage ? await demoSignKeys() : null;
  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          { label: td('national'), href: '/water/dashboard' },
          { label: t('title'), href: '/water/alerts' },
          { label: localisedRecommendations(alert.recommendations, locale).title ?? alert.type },
        ]}
      />
      <AlertCard alert={alert} canManage={canManage} demoKeys={demoKeys} detailLink={false} headingLevel={1} />
    </div>
  );
}
