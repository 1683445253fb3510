import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { NotInScope } from '@/components/water/not-in-scope';
import { RangePicker } from '@/components/water/range-picker';
import { BalancePanel, ForecastPanel, ObjectView } from '@/components/water/views';
import { toWire } from '@/components/water/wire';
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { forecastFor, objectDetail, regionTrail, waterBalanceFor } from '@/lib/water/dashboard';
import { openDashboardPage, type PageSearchParams } from '@/lib/water/dashboard/page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterDashboard'))('title') };
}

/** An object: its series (flow, pressure, …) with anomalies marked; for a DMA also its balance and forecast. */
export default async function WaterObjectPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const page = await openDashboardPage(searchParams);
  if (!page.ok) return <AccessDenied reason={page.reason} />;
  const { id } = await params;
  const t = await getTranslations('waterDashboard');
  const locale = await getLocale();
  const db = getDb();
  let data;
  try {
    data = await objectDetail(db, page.scope, id, page.range);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return <NotInScope />;
    throw e;
  }
  const isDma = data.object.kind === 'dma';
  const target = { kind: 'object' as const, id };
  const [balance, forecast, trail] = await Promise.all([
    isDma ? waterBalanceFor(db, page.scope, target, page.range) : null,
    isDma ? forecastFor(db, page.scope, target, page.at) : null,
    regionTrail(db, data.object.regionId),
  ]);
  const name = (r: { nameKk: string; nameRu: string }) => (locale === 'kk' ? r.nameKk : r.nameRu);
  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          { label: t('national'), href: `/water/dashboard?${page.query}` },
          ...trail.map((r) => ({ label: name(r), href: `/water/regions/${r.id}?${page.query}` })),
          { label: data.object.entityName, href: `/water/utilities/${data.object.entityId}?${page.query}` },
          { label: data.object.name },
        ]}
      />
      <h1 className="text-2xl font-bold">
        {data.object.name} <span className="text-base font-normal text-slate-700">· {t(`kind.${data.object.kind}`)}</span>
      </h1>
      <RangePicker path={`/water/objects/${id}`} range={toWire(page.range)} />
      <ObjectView initial={toWire(data)} query={page.query} />
      {balance && <BalancePanel initial={toWire(balance)} url={`/api/v1/water/balance?object=${id}&${page.query}`} />}
      {forecast && <ForecastPanel initial={toWire(forecast)} url={`/api/v1/water/forecast?object=${id}`} />}
    </div>
  );
}
