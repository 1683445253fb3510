import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { openDrillDown } from '@/components/water/drill-down';
import { RangePicker } from '@/components/water/range-picker';
import { BalancePanel, ForecastPanel, ObjectView } from '@/components/water/views';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { AlertCard } from '@/components/water/alert-card';
import Link from 'next/link';
import { getPrincipal } from '@/lib/auth/principal';
import { can } from '@/lib/auth/policy';
import { listAlertsInScope } from '@/lib/water/monitoring/list';
import { toWire } from '@/components/water/wire';
import { balanceView, objectView, regionTrail, storedForecastFor } from '@/lib/water/dashboard';
import type { PageSearchParams } from '@/lib/water/dashboard/page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterDashboard'))('title') };
}

/** An object: its series (flow, pressure, …) with anomalies marked; for a DMA also its balance and forecast. */
export default async function WaterObjectPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const open = await openDrillDown(params, searchParams, (db, page, id) => objectView(db, page.scope, id, page.range));
  if (!open.ok) return open.view;
  const { page, id, data, db, t, crumbs } = open;
  const isDma = data.object.kind === 'dma';
  const target = { kind: 'object' as const, id };
  const principal = await getPrincipal();
  const canManage = can(principal, 'water.alerts.manage');
  const [balance, forecast, trail, alerts, demoKeys, ta] = await Promise.all([
    isDma ? balanceView(db, page.scope, target, page.range) : null,
    isDma ? storedForecastFor(db, page.scope, target, page.at) : null,
    regionTrail(db, data.object.regionId),
    // W-27 / W-31: the object's active alerts with their recommendations and the acknowledge button.
    listAlertsInScope(db, page.scope, { object: id, status: 'active' }),
    canManage ? demoSignKeys() : null,
    getTranslations('waterAlerts'),
  ]);
  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          ...crumbs(trail),
          { label: data.object.entityName, href: `/water/utilities/${data.object.entityId}?${page.query}` },
          { label: data.object.name },
        ]}
      />
      <h1 className="text-2xl font-bold">
        {data.object.name} <span className="text-base font-normal text-slate-700">· {t(`kind.${data.object.kind}`)}</span>
      </h1>
      <RangePicker path={`/water/objects/${id}`} range={toWire(page.range)} />
      <section aria-labelledby="object-alerts-h" className="space-y-3" data-testid="object-alerts">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="object-alerts-h" className="text-lg font-semibold">
            {ta('objectAlerts')}
          </h2>
          <Link href={`/water/alerts?object=${id}&status=all`} className="text-sm text-sky-800 underline hover:text-sky-950">
            {ta('allAlerts')}
          </Link>
        </div>
        {alerts.length === 0 ? (
          <p>{ta('objectAlertsNone')}</p>
        ) : (
          <div className="grid gap-4">
            {alerts.map((a) => (
              <AlertCard key={a.id} alert={a} canManage={canManage} demoKeys={demoKeys} headingLevel={3} showObject={false} />
            ))}
          </div>
        )}
      </section>
      <ObjectView initial={toWire(data)} query={page.query} />
      {balance && <BalancePanel initial={toWire(balance)} url={`/api/v1/water/balance?object=${id}&${page.query}`} />}
      {forecast && <ForecastPanel initial={toWire(forecast)} url={`/api/v1/water/forecast?object=${id}`} />}
    </div>
  );
}
