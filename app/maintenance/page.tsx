import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { PageHeader } from '@/components/admin/page-header';
import { MaintenanceWindows } from '@/components/incidents/maintenance-list';
import { planYear, YearNav } from '@/components/incidents/year-nav';
import type { Locale } from '@/lib/i18n/config';
import { renderSla } from '@/lib/incidents/explain';
import { getPlanView } from '@/lib/incidents/maintenance';
import { now } from '@/lib/time/clock';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('incidents'))('maintenance.publicTitle') };
}

type Search = Record<string, string | string[] | undefined>;

/** I-16..I-18: the published yearly maintenance plan (public). */
export default async function MaintenancePage({ searchParams }: { searchParams: Promise<Search> }) {
  const [t, locale, sp] = await Promise.all([getTranslations('incidents'), getLocale(), searchParams]);
  const l: Locale = locale === 'ru' || locale === 'en' ? locale : 'kk';
  const year = planYear(sp.year, now());
  const view = await getPlanView(getDb(), year, { publishedOnly: true });
  return (
    <div className="space-y-6">
      <PageHeader title={t('maintenance.publicTitle')} intro={t('maintenance.publicIntro')}>
        <YearNav path="/maintenance" year={year} label={t('maintenance.years')} />
      </PageHeader>
      {view.plan ? (
        <>
          <p>{renderSla(view.check.explanation, l)}</p>
          {view.plan.note ? <p className="text-slate-700">{view.plan.note}</p> : null}
          <MaintenanceWindows windows={view.windows.filter((w) => !w.cancelledAt)} locale={l} />
        </>
      ) : (
        <p data-testid="plan-missing">{t('maintenance.notPublished', { year })}</p>
      )}
    </div>
  );
}
