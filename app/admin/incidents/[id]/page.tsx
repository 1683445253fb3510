import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { INCIDENT_CAUSES, INCIDENT_CRITICALITIES } from '@/db/schema/incidents';
import { AccessDenied } from '@/components/admin/access-denied';
import { PageSection } from '@/components/admin/page-header';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { dateTimeFields } from '@/components/incidents/fields';
import { StatusBadge, Timeline, TimerList } from '@/components/incidents/parts';
import { SignedForm } from '@/components/incidents/signed-form';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';
import type { Locale } from '@/lib/i18n/config';
import { INCIDENT_ACTION_NAMES } from '@/lib/incidents/actions';
import { renderSla } from '@/lib/incidents/explain';
import { getIncidentView, type IncidentView } from '@/lib/incidents/service';
import { astanaDateOf, formatAstana } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import {
  applyExtensionsAction,
  closeIncidentAction,
  confirmIncidentAction,
  fixIncidentAction,
  lawEnforcementAction,
  refuteIncidentAction,
  registerIncidentAction,
  requestInfoAction,
} from '../actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('incidents'))('detail.title') };
}

/** One incident: reporter (I-3), SLA timers, timeline, and the operator's signed steps (I-6..I-14). */
export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const access = await checkAccess('incidents.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const { id } = await params;
  const [t, locale] = await Promise.all([getTranslations('incidents'), getLocale()]);
  const l: Locale = locale === 'ru' || locale === 'en' ? locale : 'kk';
  let view: IncidentView;
  try {
    view = await getIncidentView(getDb(), id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') {
      return (
        <section className="max-w-xl space-y-3 rounded-lg border border-amber-400 bg-amber-50 p-4">
          <h1 className="text-2xl font-bold">{t('detail.notFound')}</h1>
        </section>
      );
    }
    throw e;
  }
  const i = view.incident;
  const at = now();
  const mayManage = can(access.principal, 'incidents.manage');
  const demoKeys = mayManage ? await demoSignKeys() : null;
  /** What every signed step of this incident shares: the incident it acts on and the demo keys (test mode). */
  const step = { fixed: { id: i.id }, demoKeys };
  const today = astanaDateOf(at);
  const causeOptions = INCIDENT_CAUSES.map((c) => ({ value: c, label: t(`cause.${c}`) }));
  const dl = (label: string, value: React.ReactNode) =>
    value ? (
      <div className="sm:flex sm:gap-2">
        <dt className="font-medium">{label}:</dt>
        <dd>{value}</dd>
      </div>
    ) : null;

  return (
    <div className="space-y-6">
      <Link href="/admin/incidents" className="text-sm text-sky-800 underline">
        ← {t('detail.back')}
      </Link>
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold md:text-3xl" data-testid="incident-number">
          {i.number ?? t('unregistered')}
        </h1>
        <StatusBadge status={i.status} />
      </header>
      <section className="space-y-2 rounded-lg border border-slate-300 p-4" aria-label={t('detail.report')}>
        <dl className="space-y-1 text-sm">
          {dl(t('ui.source'), `${t(`source.${i.source}`)}${i.channel ? ` (${t(`channel.${i.channel}`)})` : ''}${i.forceMajeure ? ` · ${t('queue.forceMajeure')}` : ''}`)}
          {dl(t('report.component'), t(`component.${i.component}`))}
          {dl(t('detail.reporter'), [i.reporterOrgName, i.reporterFullName, i.reporterIdNumber].filter(Boolean).join(', '))}
          {dl(t('detail.contacts'), [i.reporterEmail, i.reporterPhone].filter(Boolean).join(', '))}
          {dl(t('report.detectedDate'), formatAstana(i.detectedAt, l))}
          {dl(t('detail.receivedAt'), formatAstana(i.receivedAt, l))}
          {dl(t('ui.criticality'), i.criticality ? t(`criticality.${i.criticality}`) : null)}
          {dl(t('detail.cause'), i.cause ? t(`cause.${i.cause}`) : null)}
          {dl(t('detail.application'), view.application?.number ?? null)}
          {dl(t('detail.plannedFix'), i.plannedFixAt ? formatAstana(i.plannedFixAt, l) : null)}
          {dl(t('detail.fixedAt'), i.fixedAt ? formatAstana(i.fixedAt, l) : null)}
          {dl(t('detail.lawEnforcement'), i.lawEnforcementAt ? `${formatAstana(i.lawEnforcementAt, l)} — ${i.lawEnforcementBody}, ${i.lawEnforcementRef}` : null)}
        </dl>
        <p className="whitespace-pre-line">{i.description}</p>
        {view.attachments.length ? (
          <ul className="list-disc pl-6 text-sm">
            {view.attachments.map((a) => (
              <li key={a.id}>
                {a.fileName} ({a.size} B, SHA-256 {a.sha256.slice(0, 12)}…)
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <PageSection id="timers-h" title={t('ui.timers')}>
        <TimerList timers={view.timers} now={at} />
      </PageSection>

      {view.preview ? (
        <section className="space-y-2 rounded-lg border border-sky-700 p-4" aria-labelledby="ext-h" data-testid="extension-preview">
          <h2 id="ext-h" className="text-xl font-semibold">
            {t('detail.extensionsTitle', { rule: view.preview.rule })}
          </h2>
          <p className="text-sm text-slate-700">{renderSla(view.preview.plan.explanation, l)}</p>
          {view.preview.targets.length === 0 ? (
            <p>{t('detail.noTargets')}</p>
          ) : (
            <ul className="list-disc pl-6 text-sm">
              {view.preview.targets.map((x) => (
                <li key={x.applicationId} data-testid="extension-target">
                  {t('detail.target', { number: x.number ?? x.applicationId, kinds: x.kinds.join(', '), already: x.alreadyDays, add: x.addDays })}
                </li>
              ))}
            </ul>
          )}
          {mayManage && view.preview.targets.some((x) => x.addDays > 0) ? (
            <SignedForm
              title={t('detail.applyTitle')}
              actionName={INCIDENT_ACTION_NAMES.extend}
              action={applyExtensionsAction}
              {...step}
              fields={[]}
              submitLabel={t('detail.apply')}
              testId="apply-extensions"
            />
          ) : null}
        </section>
      ) : null}
      {view.extensions.length ? (
        <PageSection id="applied-h" title={t('detail.applied')}>
          <ul className="list-disc pl-6 text-sm">
            {view.extensions.map((e) => (
              <li key={e.id}>{t('detail.appliedItem', { number: e.number ?? e.applicationId, days: e.days, rule: e.rule, at: formatAstana(e.appliedAt, l) })}</li>
            ))}
          </ul>
        </PageSection>
      ) : null}

      {mayManage ? (
        <section className="grid gap-4 md:grid-cols-2" aria-label={t('detail.steps')}>
          {i.status === 'received' ? (
            <SignedForm title={t('detail.registerTitle')} text={t('detail.registerText')} actionName={INCIDENT_ACTION_NAMES.register} action={registerIncidentAction} {...step} fields={[]} submitLabel={t('detail.register')} testId="register-form" />
          ) : null}
          {i.status === 'registered' ? (
            <SignedForm
              title={t('detail.requestInfoTitle')}
              text={t('detail.requestInfoText')}
              actionName={INCIDENT_ACTION_NAMES.requestInfo}
              action={requestInfoAction}
              {...step}
              fields={[{ name: 'question', label: t('detail.question'), kind: 'textarea' }]}
              submitLabel={t('detail.requestInfo')}
            />
          ) : null}
          {i.status === 'registered' || i.status === 'info_requested' ? (
            <>
              <SignedForm
                title={t('detail.confirmTitle')}
                text={t('detail.confirmText')}
                actionName={INCIDENT_ACTION_NAMES.confirm}
                action={confirmIncidentAction}
                {...step}
                tone="danger"
                testId="confirm-form"
                defaults={{ plannedFixDate: today, startedDate: astanaDateOf(i.detectedAt), startedTime: formatAstana(i.detectedAt, l, { show: 'time', zone: false }), applicationNumber: view.application?.number ?? '' }}
                fields={[
                  ...(i.forceMajeure ? [] : [{ name: 'criticality', label: t('ui.criticality'), kind: 'select' as const, options: INCIDENT_CRITICALITIES.map((c) => ({ value: c, label: t(`criticalityLong.${c}`) })) }]),
                  { name: 'cause', label: t('detail.cause'), kind: 'select', options: causeOptions },
                  ...dateTimeFields('started', t('detail.startedDate'), t('detail.startedTime'), t('report.astanaTime')),
                  ...dateTimeFields('plannedFix', t('detail.plannedFixDate'), t('detail.plannedFixTime')),
                  { name: 'applicationNumber', label: t('report.applicationNumber'), kind: 'text', hint: t('detail.applicationHint') },
                ]}
                submitLabel={t('detail.confirm')}
              />
              <SignedForm
                title={t('detail.refuteTitle')}
                text={t('detail.refuteText')}
                actionName={INCIDENT_ACTION_NAMES.refute}
                action={refuteIncidentAction}
                {...step}
                fields={[
                  { name: 'evidence', label: t('detail.evidence'), kind: 'textarea' },
                  { name: 'cause', label: t('detail.cause'), kind: 'select', options: causeOptions },
                ]}
                submitLabel={t('detail.refute')}
                testId="refute-form"
              />
            </>
          ) : null}
          {i.status === 'confirmed' ? (
            <SignedForm
              title={t('detail.fixTitle')}
              actionName={INCIDENT_ACTION_NAMES.fix}
              action={fixIncidentAction}
              {...step}
              tone="ok"
              defaults={{ fixedDate: today, fixedTime: formatAstana(at, l, { show: 'time', zone: false }) }}
              fields={[
                ...dateTimeFields('fixed', t('detail.fixedDate'), t('detail.fixedTime'), t('report.astanaTime')),
                { name: 'note', label: t('detail.fixNote'), kind: 'textarea' },
              ]}
              submitLabel={t('detail.fix')}
              testId="fix-form"
            />
          ) : null}
          {i.status === 'fixed' ? (
            <SignedForm title={t('detail.closeTitle')} actionName={INCIDENT_ACTION_NAMES.close} action={closeIncidentAction} {...step} fields={[]} submitLabel={t('detail.close')} />
          ) : null}
          {!i.lawEnforcementAt ? (
            <SignedForm
              title={t('detail.lawTitle')}
              text={t('detail.lawText')}
              actionName={INCIDENT_ACTION_NAMES.lawEnforcement}
              action={lawEnforcementAction}
              {...step}
              fields={[
                { name: 'body', label: t('detail.lawBody'), kind: 'text' },
                { name: 'reference', label: t('detail.lawRef'), kind: 'text' },
              ]}
              submitLabel={t('detail.lawSubmit')}
            />
          ) : null}
        </section>
      ) : null}

      <PageSection id="timeline-h" title={t('ui.timeline')}>
        <Timeline events={view.events} />
      </PageSection>
    </div>
  );
}
