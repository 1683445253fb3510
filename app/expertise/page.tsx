import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { SystemLanding } from '@/components/system-landing';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('systems'))('expertise.title') };
}

export default async function ExpertisePage() {
  const [ta, tw, to] = await Promise.all([getTranslations('expertiseApp'), getTranslations('expertiseWs'), getTranslations('expertOrgs')]);
  return (
    <>
      <nav aria-label={ta('listTitle')} className="mb-6 flex flex-wrap gap-3">
        <Link href="/expertise/applications" className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
          {ta('listTitle')}
        </Link>
        <Link href="/expertise/applications/new" className="rounded border border-sky-800 px-4 py-2 font-medium text-sky-900">
          {ta('newApplication')}
        </Link>
        <Link href="/expertise/workspace" className="rounded border border-sky-800 px-4 py-2 font-medium text-sky-900">
          {tw('queueTitle')}
        </Link>
        <Link href="/expertise/organisations" className="rounded border border-sky-800 px-4 py-2 font-medium text-sky-900">
          {to('title')}
        </Link>
      </nav>
      <SystemLanding system="expertise" />
    </>
  );
}
