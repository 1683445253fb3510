import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { Breadcrumbs } from '@/components/water/breadcrumbs';
import { RangePicker } from '@/components/water/range-picker';
import { OverviewView } from '@/components/water/views';
import { toWire } from '@/components/water/wire';
import { getDb } from '@/db/client';
import { overviewView } from '@/lib/water/dashboard';
import { openDashboardPage, type PageSearchParams } from '@/lib/water/dashboard/page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterDashboard'))('title') };
}

/** W-2 / W-27: the national overview (scope-limited: an akimat sees its region, a utility its own). */
export default async function WaterDashboardPage({ searchParams }: { searchParams: PageSearchParams }) {
  const page = await openDashboardPage(searchParams);
  if (!page.ok) return <AccessDenied reason={page.reason} />;
  const [t, tr] = await Promise.all([getTranslations('waterDashboard'), getTranslations('waterReports')]);
  const data = await overviewView(getDb(), page.scope, page.range);
  return (
    <div className="space-y-4">
      <Breadcrumbs items={[{ label: t('national') }]} />
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="flex gap-4 text-sm">
          <Link href="/water/alerts" className="text-sky-800 underline hover:text-sky-950">
            {t('alertsLink')}
          </Link>
          <Link href="/water/reports" className="text-sky-800 underline hover:text-sky-950">
            {tr('title')}
          </Link>
        </p>
      </div>
      <RangePicker path="/water/dashboard" range={toWire(page.range)} />
      <OverviewView initial={toWire(data)} query={page.query} />
    </div>
  );
}
