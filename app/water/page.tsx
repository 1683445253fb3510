import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { SystemLanding } from '@/components/system-landing';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('systems'))('water.title') };
}

export default async function WaterPage() {
  const [t, tr, ti] = await Promise.all([getTranslations('waterDashboard'), getTranslations('waterReports'), getTranslations('waterImport')]);
  return (
    <div className="space-y-4">
      <SystemLanding system="water" />
      <p className="flex flex-wrap gap-3">
        <Link href="/water/dashboard" className="inline-block rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
          {t('title')}
        </Link>
        <Link href="/water/alerts" className="inline-block rounded border border-sky-800 px-4 py-2 font-medium text-sky-900 hover:bg-sky-50">
          {t('alertsLink')}
        </Link>
        <Link href="/water/reports" className="inline-block rounded border border-sky-800 px-4 py-2 font-medium text-sky-900 hover:bg-sky-50">
          {tr('title')}
        </Link>
        <Link href="/water/import" className="inline-block rounded border border-sky-800 px-4 py-2 font-medium text-sky-900 hover:bg-sky-50">
          {ti('title')}
        </Link>
      </p>
    </div>
  );
}
