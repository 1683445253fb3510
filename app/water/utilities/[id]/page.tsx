import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { NotInScope } from '@/components/water/not-in-scope';
import { RangePicker } from '@/components/water/range-picker';
import { BalancePanel, ForecastPanel, UtilityView } from '@/components/water/views';
import { toWire } from '@/components/water/wire';
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { forecastFor, regionTrail, utilityDetail, waterBalanceFor } from '@/lib/water/dashboard';
import { openDashboardPage, type PageSearchParams } from '@/lib/water/dashboard/page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterDashboard'))('title') };
}

/** Drill-down: a utility → its objects, with its water balance and demand forecast. */
export default async function WaterUtilityPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const page = await openDashboardPage(searchParams);
  if (!page.ok) return <AccessDenied reason={page.reason} />;
  const { id } = await params;
  const t = await getTranslations('waterDashboard');
  const locale = await getLocale();
  const db = getDb();
  let data;
  try {
    data = await utilityDetail(db, page.scope, id, page.range);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return <NotInScope />;
    throw e;
  }
  const target = { kind: 'entity' as const, id };
  const [balance, forecast, trail] = await Promise.all([
    waterBalanceFor(db, page.scope, target, page.range),
    forecastFor(db, page.scope, target, page.at),
    regionTrail(db, data.entity.regionId),
  ]);
  const name = (r: { nameKk: string; nameRu: string }) => (locale === 'kk' ? r.nameKk : r.nameRu);
  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          { label: t('national'), href: `/water/dashboard?${page.query}` },
          ...trail.map((r) => ({ label: name(r), href: `/water/regions/${r.id}?${page.query}` })),
          { label: data.entity.name },
        ]}
      />
      <h1 className="text-2xl font-bold">{data.entity.name}</h1>
      <RangePicker path={`/water/utilities/${id}`} range={toWire(page.range)} />
      <UtilityView initial={toWire(data)} query={page.query} />
      <BalancePanel initial={toWire(balance)} url={`/api/v1/water/balance?entity=${id}&${page.query}`} />
      <ForecastPanel initial={toWire(forecast)} url={`/api/v1/water/forecast?entity=${id}`} />
    </div>
  );
}
