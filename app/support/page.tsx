import type { Metadata } from 'next';
import Link from 'next/link';
import { eq } from 'drizzle-orm';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { users } from '@/db/schema/identity';
import { EmptyState, PageHeader, PageSection } from '@/components/admin/page-header';
import { AnswerForm, ReportForm } from '@/components/incidents/report-form';
import { StatusBadge, Timeline, TimerList } from '@/components/incidents/parts';
import { supportContacts } from '@/components/shell/support';
import { checkAccess } from '@/lib/actions/guard';
import { getUploadSettings } from '@/lib/documents/settings';
import type { Locale } from '@/lib/i18n/config';
import { renderSla } from '@/lib/incidents/explain';
import { listOwnIncidents, SUPPORT_SYSTEM } from '@/lib/incidents/service';
import { registrationDue } from '@/lib/incidents/sla';
import { astanaDateOf, formatAstana } from '@/lib/time/astana';
import { loadSupportCalendar } from '@/lib/time/calendar-store';
import { now } from '@/lib/time/clock';
import { answerInfoAction, reportIncidentAction } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('incidents'))('support.title') };
}

/** I-3 / I-19: report a technical failure; the reporter's incidents with status, SLA timers and timeline. */
export default async function SupportPage() {
  const [t, locale, access] = await Promise.all([getTranslations('incidents'), getLocale(), checkAccess('incidents.report')]);
  const l: Locale = locale === 'ru' || locale === 'en' ? locale : 'kk';
  const { phone, email } = supportContacts();
  const at = now();
  const db = getDb();
  const support = await loadSupportCalendar(db, SUPPORT_SYSTEM);
  const hint = t('support.registrationHint', { text: renderSla(registrationDue(support, at).explanation, l) });

  const header = <PageHeader title={t('support.title')} intro={t('support.intro')} />;
  const contacts = (
    <PageSection id="support-contacts" title={t('support.contactsTitle')} boxed>
      <p>{t('support.contactsText')}</p>
      <p>
        {t('support.email')}:{' '}
        <a className="text-sky-800 underline" href={`mailto:${email}`}>
          {email}
        </a>{' '}
        · {t('support.phone')}:{' '}
        <a className="text-sky-800 underline" href={`tel:${phone.replace(/\s+/g, '')}`}>
          {phone}
        </a>
      </p>
      <p className="text-sm text-slate-700">{t('support.hours')}</p>
    </PageSection>
  );

  if (!access.ok) {
    return (
      <div className="space-y-6">
        {header}
        {contacts}
        <p>
          <Link href="/signin?callbackUrl=%2Fsupport" className="inline-block rounded bg-sky-800 px-4 py-2 font-medium text-white">
            {t('support.signIn')}
          </Link>
        </p>
      </div>
    );
  }
  const p = access.principal;
  const [[me], upload, mine] = await Promise.all([
    db.select({ email: users.email, phone: users.phone, fullName: users.fullName }).from(users).where(eq(users.id, p.userId)),
    getUploadSettings(db),
    listOwnIncidents(db, p, at),
  ]);
  const today = astanaDateOf(at);
  return (
    <div className="space-y-6">
      {header}
      <ReportForm
        action={reportIncidentAction}
        upload={upload}
        registrationHint={hint}
        defaults={{ fullName: me?.fullName ?? p.fullName, idNumber: p.bin ?? p.iin, email: me?.email ?? '', phone: me?.phone ?? '', detectedDate: today, detectedTime: formatAstana(at, l, { show: 'time', zone: false }) }}
      />
      <PageSection id="my-incidents" title={t('support.mine')}>
        {mine.length === 0 ? (
          <EmptyState>{t('support.none')}</EmptyState>
        ) : (
          <ul className="space-y-4">
            {mine.map((i) => (
              <li key={i.id} className="space-y-2 rounded-lg border border-slate-300 p-4" data-testid="my-incident" data-incident-id={i.id}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h3 className="text-lg font-semibold">{i.number ?? t('unregistered')}</h3>
                  <StatusBadge status={i.status} />
                </div>
                <p className="text-sm text-slate-700">
                  {t(`component.${i.component}`)} · {t('ui.receivedAt', { at: formatAstana(i.receivedAt, l) })}
                  {i.criticality ? ` · ${t('ui.criticality')}: ${t(`criticality.${i.criticality}`)}` : ''}
                  {i.plannedFixAt && i.status === 'confirmed' ? ` · ${t('ui.plannedFix', { at: formatAstana(i.plannedFixAt, l) })}` : ''}
                </p>
                <p className="whitespace-pre-line">{i.description}</p>
                {i.status === 'info_requested' ? (
                  <div className="space-y-2 rounded border border-amber-500 bg-amber-50 p-3">
                    <p className="font-medium">{t('support.question', { question: i.infoRequest ?? '' })}</p>
                    <AnswerForm id={i.id} action={answerInfoAction} />
                  </div>
                ) : null}
                {i.refutationEvidence ? <p className="text-sm">{t('support.evidence', { evidence: i.refutationEvidence })}</p> : null}
                <details>
                  <summary className="cursor-pointer text-sky-800">{t('ui.timeline')}</summary>
                  <div className="mt-2 space-y-3">
                    <TimerList timers={i.timers.filter((x) => x.kind !== 'participants_notice')} now={at} />
                    <Timeline events={i.events} />
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
      </PageSection>
      {contacts}
    </div>
  );
}
