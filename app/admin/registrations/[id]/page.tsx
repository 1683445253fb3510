import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { Decision } from '@/components/registration/decision';
import { RequestDetails } from '@/components/registration/request-details';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';
import { getRegistrationView, REFUSAL_GROUNDS, type RegistrationView } from '@/lib/registration';
import { confirmRegistrationAction, refuseRegistrationAction } from '../actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('registration'))('request.title') };
}

/** One request in the operator's queue: its data, attachments (downloads audited), deadline, and the decision. */
export default async function AdminRegistrationPage({ params }: { params: Promise<{ id: string }> }) {
  const access = await checkAccess('registrations.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const { id } = await params;
  const t = await getTranslations('registration');
  let view: RegistrationView;
  try {
    view = await getRegistrationView(getDb(), access.principal, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') {
      return (
        <section className="max-w-xl space-y-3 rounded-lg border border-amber-400 bg-amber-50 p-4">
          <h1 className="text-2xl font-bold">{t('request.notFoundTitle')}</h1>
          <p>{t('request.notFound')}</p>
        </section>
      );
    }
    throw e;
  }
  const r = view.request;
  const mayDecide = r.status === 'submitted' && can(access.principal, 'registrations.review');
  const demoKeys = mayDecide ? await demoSignKeys() : null;
  return (
    <div className="space-y-6">
      <Link href="/admin/registrations" className="text-sm text-sky-800 underline">
        ← {t('queue.back')}
      </Link>
      <header>
        <h1 className="text-2xl font-bold md:text-3xl">{view.organisation?.name ?? view.applicantName}</h1>
        <p className="text-slate-700">{t(`kind.${r.kind}`)}</p>
      </header>
      {mayDecide ? (
        <Decision
          id={r.id}
          rule={r.kind === 'construction_user' ? 'C-7' : 'E-9'}
          grounds={REFUSAL_GROUNDS[r.kind]}
          demoKeys={demoKeys}
          actions={{ confirm: confirmRegistrationAction, refuse: refuseRegistrationAction }}
        />
      ) : r.status === 'submitted' ? (
        <p className="text-slate-700">{t('decision.readOnly')}</p>
      ) : null}
      <RequestDetails view={view} downloadBase={`/admin/registrations/${r.id}/attachments`} />
    </div>
  );
}
