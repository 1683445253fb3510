import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { SystemLanding } from '@/components/system-landing';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('systems'))('water.title') };
}

export default async function WaterPage() {
  const t = await getTranslations('waterDashboard');
  return (
    <div className="space-y-4">
      <SystemLanding system="water" />
      <p>
        <Link href="/water/dashboard" className="inline-block rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
          {t('title')}
        </Link>
      </p>
    </div>
  );
}
