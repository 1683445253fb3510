import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { RequestDetails } from '@/components/registration/request-details';
import { SignInPrompt } from '@/components/registration/sign-in-prompt';
import { SignObligation } from '@/components/registration/sign-obligation';
import { localized } from '@/components/registration/format';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';
import { getFormInForce, getRegistrationView, type RegistrationView } from '@/lib/registration';
import { formatAstana } from '@/lib/time/astana';
import { asTimeLocale } from '@/components/registration/format';
import { signObligationAction } from '../../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('registration'))('request.title') };
}

/** a registration request for its applicant (and a responsible person it names, P-7). */
export default async function RegistrationRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const t = await getTranslations('registration');
  const access = await checkAccess('cabinet.access');
  if (!access.ok) return <SignInPrompt title={t('request.title')} callbackUrl={`/register/requests/${id}`} />;
  const p = access.principal;
  const db = getDb();
  let view: RegistrationView;
  try {
    view = await getRegistrationView(db, p, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') {
      return (
        <section className="max-w-xl space-y-3 rounded-lg border border-amber-400 bg-amber-50 p-4" data-testid="request-not-found">
          <h1 className="text-2xl font-bold">{t('request.notFoundTitle')}</h1>
          <p>{t('request.notFound')}</p>
        </section>
      );
    }
    throw e;
  }
  const mine = view.responsible.find((r) => r.iin === p.iin && !r.signedAt);
  const [nda, demoKeys, locale] = mine && view.request.status === 'submitted' ? await Promise.all([getFormInForce(db, 'nda_obligation'), demoSignKeys(), getLocale()]) : [null, null, null];
  return (
    <div className="space-y-6">
      <Link href="/cabinet#cab-registrations" className="text-sm text-sky-800 underline">
        ← {t('request.backToCabinet')}
      </Link>
      <header>
        <h1 className="text-2xl font-bold md:text-3xl">{t('request.title')}</h1>
        <p className="text-slate-700">{t(`kind.${view.request.kind}`)}</p>
      </header>
      {can(p, 'registrations.read') ? (
        <p>
          <Link href={`/admin/registrations/${id}`} className="text-sky-800 underline">
            {t('request.openInQueue')}
          </Link>
        </p>
      ) : null}
      {nda && locale ? (
        <section aria-labelledby="req-nda" className="space-y-2 rounded-lg border border-amber-500 bg-amber-50 p-4">
          <h2 id="req-nda" className="text-xl font-semibold">
            {localized(nda.title, locale)}
          </h2>
          <p className="text-sm">{t('form.version', { version: nda.version, date: formatAstana(nda.inForceFrom, asTimeLocale(locale), { show: 'date', zone: false }) })}</p>
          <div className="whitespace-pre-line rounded bg-white p-2 text-sm">{localized(nda.body, locale)}</div>
          <SignObligation requestId={id} action={signObligationAction} demoKeys={demoKeys} />
        </section>
      ) : null}
      <RequestDetails view={view} />
    </div>
  );
}
