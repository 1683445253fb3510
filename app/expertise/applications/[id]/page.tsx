import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { ApplicationTimeline } from '@/components/expertise/timeline';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { NewVersionForm } from '@/components/expertise/new-version';
import { ApplicantPartnerSection } from '@/components/partner/applicant-section';
import { checkAccess } from '@/lib/actions/guard';
import { getUploadSettings } from '@/lib/documents/settings';
import { AppError } from '@/lib/errors';
import { getApplicationForApplicant, type ApplicationView } from '@/lib/expertise';
import type { TimeLocale } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { answerWithVersionAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('expertiseApp'))('detail.title') };
}

/** X-7/E-50: the applicant's application: timeline, deadlines, documents, next steps, the conclusion. */
export default async function ApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const access = await checkAccess('expertise.apply');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [{ id }, t, locale] = await Promise.all([params, getTranslations('expertiseApp'), getLocale()]);
  let view: ApplicationView;
  try {
    view = await getApplicationForApplicant(getDb(), access.principal, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') {
      return (
        <section className="space-y-2">
          <h1 className="text-2xl font-bold">{t('detail.notFound')}</h1>
          <Link href="/expertise/applications" className="underline">
            {t('listTitle')}
          </Link>
        </section>
      );
    }
    throw e;
  }
  const a = view.application;
  const canAnswer = ['registered', 'incomplete', 'in_review', 'remarks_issued'].includes(a.status);
  const [upload, demoKeys] = canAnswer ? await Promise.all([getUploadSettings(getDb()), demoSignKeys()]) : [null, null];

  return (
    <div className="space-y-6">
      <Link href="/expertise/applications" className="text-sm underline">
        ← {t('listTitle')}
      </Link>
      <ApplicationTimeline view={view} locale={locale as TimeLocale} party="applicant" at={now()} />
      <section aria-labelledby="conclusion-h" className="space-y-2 rounded-lg border border-slate-300 p-4" data-testid="conclusion">
        <h2 id="conclusion-h" className="text-xl font-bold">
          {t('detail.conclusion')}
        </h2>
        {!view.conclusion.exists ? (
          <p>{t('detail.conclusionNone')}</p>
        ) : view.conclusion.held ? (
          <p role="status">{t('detail.conclusionHeld')}</p>
        ) : view.conclusion.document ? (
          <a className="font-medium text-sky-900 underline" href={`/expertise/applications/${a.id}/documents/${view.conclusion.document.id}`}>
            {t('detail.downloadConclusion', { name: view.conclusion.document.fileName })}
          </a>
        ) : null}
      </section>
      {/* E-21 documents to sign from the expert IS, E-56 consent to the cadastre (h4) */}
      <ApplicantPartnerSection application={a} />
      {canAnswer && upload && (
        <section aria-labelledby="answer-h" className="space-y-2 rounded-lg border border-slate-300 p-4">
          <h2 id="answer-h" className="text-xl font-bold">
            {t('detail.answerTitle')}
          </h2>
          <p className="text-sm text-slate-700">{t('detail.answerHint')}</p>
          <NewVersionForm applicationId={a.id} upload={upload} demoKeys={demoKeys} action={answerWithVersionAction} />
        </section>
      )}
    </div>
  );
}
