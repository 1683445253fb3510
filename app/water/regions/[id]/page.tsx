import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { openDrillDown } from '@/components/water/drill-down';
import { RangePicker } from '@/components/water/range-picker';
import { RegionView } from '@/components/water/views';
import { toWire } from '@/components/water/wire';
import { regionTrail, regionView } from '@/lib/water/dashboard';
import type { PageSearchParams } from '@/lib/water/dashboard/page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterDashboard'))('title') };
}

/** Drill-down: a region → its utilities. */
export default async function WaterRegionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const open = await openDrillDown(params, searchParams, (db, page, id) => regionView(db, page.scope, id, page.range));
  if (!open.ok) return open.view;
  const { page, id, data, db, name, crumbs } = open;
  const trail = await regionTrail(db, id);
  return (
    <div className="space-y-4">
      <Breadcrumbs items={crumbs(trail)} />
      <h1 className="text-2xl font-bold">{name(data.region)}</h1>
      <RangePicker path={`/water/regions/${id}`} range={toWire(page.range)} />
      <RegionView initial={toWire(data)} query={page.query} />
    </div>
  );
}
