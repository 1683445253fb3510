import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { openDrillDown } from '@/components/water/drill-down';
import { RangePicker } from '@/components/water/range-picker';
import { BalancePanel, ForecastPanel, UtilityView } from '@/components/water/views';
import { toWire } from '@/components/water/wire';
import { balanceView, regionTrail, storedForecastFor, utilityView } from '@/lib/water/dashboard';
import type { PageSearchParams } from '@/lib/water/dashboard/page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterDashboard'))('title') };
}

/** Drill-down: a utility → its objects, with its water balance and demand forecast. */
export default async function WaterUtilityPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const open = await openDrillDown(params, searchParams, (db, page, id) => utilityView(db, page.scope, id, page.range));
  if (!open.ok) return open.view;
  const { page, id, data, db, crumbs } = open;
  const target = { kind: 'entity' as const, id };
  const [balance, forecast, trail] = await Promise.all([
    balanceView(db, page.scope, target, page.range),
    storedForecastFor(db, page.scope, target, page.at),
    regionTrail(db, data.entity.regionId),
  ]);
  return (
    <div className="space-y-4">
      <Breadcrumbs items={[...crumbs(trail), { label: data.entity.name }]} />
      <h1 className="text-2xl font-bold">{data.entity.name}</h1>
      <RangePicker path={`/water/utilities/${id}`} range={toWire(page.range)} />
      <UtilityView initial={toWire(data)} query={page.query} />
      <BalancePanel initial={toWire(balance)} url={`/api/v1/water/balance?entity=${id}&${page.query}`} />
      <ForecastPanel initial={toWire(forecast)} url={`/api/v1/water/forecast?entity=${id}`} />
    </div>
  );
}
