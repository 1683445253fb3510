import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { ApplicationTimeline } from '@/components/expertise/timeline';
import { WorkspaceActions } from '@/components/expertise/workspace-actions';
import { EnvironmentSection } from '@/components/partner/environment-section';
import { checkAccess } from '@/lib/actions/guard';
import { getUploadSettings } from '@/lib/documents/settings';
import { AppError } from '@/lib/errors';
import { getApplicationForExpert, getRemarks, type ApplicationView } from '@/lib/expertise';
import type { TimeLocale } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import {
  confirmPaymentAction,
  issueDocumentAction,
  issueRemarksAction,
  recordCompletenessAction,
  reviseDocumentAction,
  signConclusionAction,
} from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('expertiseWs'))('detailTitle') };
}

/** The expert's view of one application: timeline, deadlines, documents and the signed actions. */
export default async function WorkspaceApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const access = await checkAccess('expertise.review');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [{ id }, t, locale] = await Promise.all([params, getTranslations('expertiseWs'), getLocale()]);
  const db = getDb();
  let view: ApplicationView;
  try {
    view = await getApplicationForExpert(db, access.principal, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') {
      return (
        <section className="space-y-2">
          <h1 className="text-2xl font-bold">{t('notFound')}</h1>
          <Link href="/expertise/workspace" className="underline">
            {t('queueTitle')}
          </Link>
        </section>
      );
    }
    throw e;
  }
  const [upload, demoKeys, remarks] = await Promise.all([getUploadSettings(db), demoSignKeys(), getRemarks(db, id)]);
  const a = view.application;
  const expertDocuments = view.documents
    .filter((d) => d.issuedBy === 'expert' && !d.annulledAt && d.slot !== 'remarks')
    .map((d) => ({ id: d.id, slot: d.slot, version: d.version, fileName: d.fileName }));

  return (
    <div className="space-y-6">
      <Link href="/expertise/workspace" className="text-sm underline">
        ← {t('queueTitle')}
      </Link>
      <ApplicationTimeline view={view} locale={locale as TimeLocale} party="expert" at={now()} />
      {remarks && (
        <section aria-labelledby="ws-issued-remarks" className="rounded-lg border border-slate-300 p-4">
          <h2 id="ws-issued-remarks" className="text-lg font-bold">
            {t('issuedRemarks')}
          </h2>
          <p className="whitespace-pre-wrap">{remarks.text}</p>
        </section>
      )}
      <WorkspaceActions
        applicationId={a.id}
        status={a.status}
        completenessLocked={a.completenessLocked}
        expertDocuments={expertDocuments}
        upload={upload}
        demoKeys={demoKeys}
        actions={{
          completeness: recordCompletenessAction,
          remarks: issueRemarksAction,
          issue: issueDocumentAction,
          revise: reviseDocumentAction,
          conclusion: signConclusionAction,
          payment: confirmPaymentAction,
        }}
      />
      {/* E-49: the exchange with environmental-protection authorities (h4) */}
      <EnvironmentSection applicationId={a.id} principal={access.principal} />
    </div>
  );
}
