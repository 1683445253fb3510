import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { SystemLanding } from '@/components/system-landing';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('systems'))('expertise.title') };
}

export default function ExpertisePage() {
  return <SystemLanding system="expertise" />;
}
