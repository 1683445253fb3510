import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { NotInScope } from '@/components/water/not-in-scope';
import { RangePicker } from '@/components/water/range-picker';
import { RegionView } from '@/components/water/views';
import { toWire } from '@/components/water/wire';
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { regionDetail, regionTrail } from '@/lib/water/dashboard';
import { openDashboardPage, type PageSearchParams } from '@/lib/water/dashboard/page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterDashboard'))('title') };
}

/** Drill-down: a region → its utilities. */
export default async function WaterRegionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const page = await openDashboardPage(searchParams);
  if (!page.ok) return <AccessDenied reason={page.reason} />;
  const { id } = await params;
  const t = await getTranslations('waterDashboard');
  const locale = await getLocale();
  let data;
  try {
    data = await regionDetail(getDb(), page.scope, id, page.range);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return <NotInScope />;
    throw e;
  }
  const name = (r: { nameKk: string; nameRu: string }) => (locale === 'kk' ? r.nameKk : r.nameRu);
  const trail = await regionTrail(getDb(), id);
  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          { label: t('national'), href: `/water/dashboard?${page.query}` },
          ...trail.map((r) => ({ label: name(r), href: `/water/regions/${r.id}?${page.query}` })),
        ]}
      />
      <h1 className="text-2xl font-bold">{name(data.region)}</h1>
      <RangePicker path={`/water/regions/${id}`} range={toWire(page.range)} />
      <RegionView initial={toWire(data)} query={page.query} />
    </div>
  );
}
