import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { PageHeader } from '@/components/admin/page-header';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('title') };
}

const PAGES = [
  { key: 'calendar', href: '/admin/calendar', action: 'calendar.manage' },
  { key: 'audit', href: '/admin/audit', action: 'audit.read' },
  { key: 'integrations', href: '/admin/integrations', action: 'integrations.manage' },
  { key: 'expertise', href: '/admin/expertise', action: 'admin.access' },
  { key: 'expertOrganisations', href: '/admin/expert-organisations', action: 'registrations.read' },
  { key: 'tariffs', href: '/admin/tariffs', action: 'tariffs.manage' },
  { key: 'forms', href: '/admin/forms', action: 'forms.manage' },
  { key: 'oversight', href: '/admin/oversight', action: 'oversight.monitor' },
  { key: 'registrations', href: '/admin/registrations', action: 'registrations.read' },
  { key: 'incidents', href: '/admin/incidents', action: 'incidents.read' },
  { key: 'maintenance', href: '/admin/maintenance', action: 'maintenance.manage' },
] as const;

export default async function AdminIndex() {
  const access = await checkAccess('admin.access');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const t = await getTranslations('admin');
  const later = t.raw('later') as string[];
  // Only the pages this principal may open are listed (each page checks again on the server).
  const pages = PAGES.filter((p) => can(access.principal, p.action));
  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} intro={t('intro')} />
      <ul className="grid gap-4 sm:grid-cols-2">
        {pages.map((p) => (
          <li key={p.key} className="rounded-lg border border-slate-300 p-4">
            <h2 className="text-lg font-semibold">
              <Link href={p.href} className="text-sky-800 underline-offset-2 hover:underline">
                {t(`pages.${p.key}.title`)}
              </Link>
            </h2>
            <p className="mt-1 text-slate-700">{t(`pages.${p.key}.text`)}</p>
          </li>
        ))}
      </ul>
      <section aria-labelledby="admin-later">
        <h2 id="admin-later" className="text-lg font-semibold">
          {t('laterHeading')}
        </h2>
        <ul className="mt-2 list-disc pl-6 text-slate-700">
          {later.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
