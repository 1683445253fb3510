import { getLocale, getTranslations } from 'next-intl/server';
import { cadastreConsentAction, signPartnerDocumentAction } from '@/app/expertise/partner/actions';
import { getDb } from '@/db/client';
import { demoSignKeys } from '@/components/eds/demo-keys';
import type { Application } from '@/lib/expertise';
import { cadastreState } from '@/lib/partner/cadastre';
import { listSignRequests } from '@/lib/partner/expertise';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { ConsentButton, SignDocumentButton } from './applicant-buttons';

/**
 * On the applicant's application page (the caller has checked it is the applicant's, X-11): documents the expert
 * organisation's IS sent for signature (E-21) and the consent to the cadastre transfer (E-56).
 */
export async function ApplicantPartnerSection({ application }: { application: Application }) {
  const db = getDb();
  const [t, locale, requests, cadastre] = await Promise.all([
    getTranslations('partner.applicant'),
    getLocale(),
    listSignRequests(db, application.id),
    cadastreState(db, application),
  ]);
  const needKeys = requests.some((r) => !r.signedAt) || (cadastre.eligible && !cadastre.consent);
  const demoKeys = needKeys ? await demoSignKeys() : null;
  const at = (d: Date) => formatAstana(d, locale as TimeLocale);
  if (!requests.length && !cadastre.eligible) return null;
  return (
    <>
      {requests.length > 0 && (
        <section aria-labelledby="to-sign-h" className="space-y-2 rounded-lg border border-slate-300 p-4" data-testid="partner-to-sign">
          <h2 id="to-sign-h" className="text-xl font-bold">
            {t('toSignTitle')}
          </h2>
          <ul className="space-y-3">
            {requests.map((r) => (
              <li key={r.id} className="space-y-1">
                <p>
                  <a className="font-medium text-sky-900 underline break-all" href={`/expertise/applications/${application.id}/documents/${r.documentId}`}>
                    {r.fileName}
                  </a>{' '}
                  · {at(r.createdAt)}
                </p>
                <p className="font-mono text-xs break-all">SHA-256 {r.sha256}</p>
                {r.signedAt ? (
                  <p role="status">{t('signedAt', { at: at(r.signedAt) })}</p>
                ) : (
                  <SignDocumentButton applicationId={application.id} requestId={r.id} sha256={r.sha256} demoKeys={demoKeys} action={signPartnerDocumentAction} />
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {cadastre.eligible && (
        <section aria-labelledby="cadastre-h" className="space-y-2 rounded-lg border border-slate-300 p-4" data-testid="cadastre-consent">
          <h2 id="cadastre-h" className="text-xl font-bold">
            {t('cadastreTitle')}
          </h2>
          <p className="text-sm text-slate-700">{t('cadastreText')}</p>
          {cadastre.consent ? (
            <p role="status">{t('consentGiven', { at: at(cadastre.consent.at) })}</p>
          ) : (
            <ConsentButton applicationId={application.id} demoKeys={demoKeys} action={cadastreConsentAction} />
          )}
        </section>
      )}
    </>
  );
}
