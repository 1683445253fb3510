import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { INCIDENT_COMPONENTS } from '@/db/schema/incidents';
import { AccessDenied } from '@/components/admin/access-denied';
import { BackToAdmin } from '@/components/admin/back-link';
import { PageHeader } from '@/components/admin/page-header';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { dateTimeFields } from '@/components/incidents/fields';
import { MaintenanceWindows } from '@/components/incidents/maintenance-list';
import { SignedForm } from '@/components/incidents/signed-form';
import { planYear, YearNav } from '@/components/incidents/year-nav';
import { checkAccess } from '@/lib/actions/guard';
import type { Locale } from '@/lib/i18n/config';
import { INCIDENT_ACTION_NAMES } from '@/lib/incidents/actions';
import { renderSla } from '@/lib/incidents/explain';
import { getPlanView } from '@/lib/incidents/maintenance';
import { now } from '@/lib/time/clock';
import { addWindowAction, cancelWindowAction, publishPlanAction } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('incidents'))('maintenance.adminTitle') };
}

type Search = Record<string, string | string[] | undefined>;

/** I-17 / I-18: the yearly plan (publication in the first ten days of January checked) and its windows. */
export default async function MaintenanceAdminPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('maintenance.manage');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('incidents'), getLocale(), searchParams]);
  const l: Locale = locale === 'ru' || locale === 'en' ? locale : 'kk';
  const at = now();
  const year = planYear(sp.year, at);
  const [view, demoKeys] = await Promise.all([getPlanView(getDb(), year), demoSignKeys()]);
  return (
    <div className="space-y-6">
      <BackToAdmin />
      <PageHeader title={t('maintenance.adminTitle')} intro={t('maintenance.adminIntro')}>
        <YearNav path="/admin/maintenance" year={year} label={t('maintenance.years')}>
          <Link href="/maintenance" className="text-sky-800 underline">
            {t('maintenance.publicLink')}
          </Link>
        </YearNav>
      </PageHeader>
      <section className={`space-y-2 rounded-lg border p-4 ${view.check.onTime ? 'border-green-700' : 'border-amber-500 bg-amber-50'}`} data-testid="plan-check" data-on-time={view.check.onTime ? 'true' : 'false'}>
        <h2 className="text-xl font-semibold">{t('maintenance.planTitle', { year })}</h2>
        <p>{renderSla(view.check.explanation, l)}</p>
        {view.plan?.note ? <p className="text-sm text-slate-700">{view.plan.note}</p> : null}
      </section>
      {!view.plan?.publishedAt ? (
        <SignedForm
          title={t('maintenance.publishTitle', { year })}
          text={t('maintenance.publishText')}
          actionName={INCIDENT_ACTION_NAMES.publishPlan}
          action={publishPlanAction}
          fixed={{ year }}
          fields={[{ name: 'note', label: t('maintenance.note'), kind: 'textarea' }]}
          submitLabel={t('maintenance.publish')}
          demoKeys={demoKeys}
          testId="publish-plan"
        />
      ) : null}
      <MaintenanceWindows windows={view.windows} locale={l} cancel={{ action: cancelWindowAction, demoKeys }} />
      <SignedForm
        title={t('maintenance.addTitle')}
        text={t('maintenance.addText')}
        actionName={INCIDENT_ACTION_NAMES.addWindow}
        action={addWindowAction}
        fixed={{ year }}
        defaults={{ component: 'portal', startsTime: '21:00', endsTime: '06:00' }}
        fields={[
          { name: 'component', label: t('report.component'), kind: 'select', options: INCIDENT_COMPONENTS.map((c) => ({ value: c, label: t(`component.${c}`) })) },
          ...dateTimeFields('starts', t('maintenance.startsDate'), t('maintenance.startsTime'), t('report.astanaTime')),
          ...dateTimeFields('ends', t('maintenance.endsDate'), t('maintenance.endsTime')),
          { name: 'unplanned', label: t('maintenance.unplanned'), kind: 'checkbox' },
          { name: 'description', label: t('maintenance.description'), kind: 'textarea' },
          { name: 'reason', label: t('maintenance.reason'), kind: 'textarea', hint: t('maintenance.reasonHint') },
        ]}
        submitLabel={t('maintenance.add')}
        demoKeys={demoKeys}
        testId="add-window"
      />
    </div>
  );
}
