import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { REGISTRATION_KINDS, REGISTRATION_STATUSES, type RegistrationKind, type RegistrationStatus } from '@/db/schema/registration';
import { AccessDenied } from '@/components/admin/access-denied';
import { BackToAdmin } from '@/components/admin/back-link';
import { asTimeLocale, explanationText } from '@/components/registration/format';
import { checkAccess } from '@/lib/actions/guard';
import { listRegistrationQueue } from '@/lib/registration';
import { formatAstana } from '@/lib/time/astana';
import { firstParam } from '@/lib/http/search-params';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('registration'))('queue.title') };
}

type Search = Record<string, string | string[] | undefined>;

/** C-6 / E-8 / E-12: the operator's queue with each request's deadline (explained) and the overdue ones marked. */
export default async function RegistrationQueuePage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('registrations.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('registration'), getLocale(), searchParams]);
  const tl = asTimeLocale(locale);
  const kindParam = firstParam(sp.kind);
  const statusParam = firstParam(sp.status);
  const kind = (REGISTRATION_KINDS as readonly string[]).includes(kindParam ?? '') ? (kindParam as RegistrationKind) : undefined;
  const status = (REGISTRATION_STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as RegistrationStatus) : 'submitted';
  const items = await listRegistrationQueue(getDb(), access.principal, { kind, status });
  const overdue = items.filter((i) => i.overdue).length;

  return (
    <div className="space-y-6">
      <BackToAdmin />
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('queue.title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('queue.intro')}</p>
      </header>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t('queue.filters')}>
        <div>
          <label htmlFor="q-kind" className="block text-sm font-medium">
            {t('queue.kind')}
          </label>
          <select id="q-kind" name="kind" defaultValue={kind ?? ''} className="mt-1 rounded border border-slate-500 bg-white px-2 py-1">
            <option value="">{t('queue.allKinds')}</option>
            {REGISTRATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="q-status" className="block text-sm font-medium">
            {t('queue.status')}
          </label>
          <select id="q-status" name="status" defaultValue={status} className="mt-1 rounded border border-slate-500 bg-white px-2 py-1">
            {REGISTRATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded border border-slate-500 px-4 py-1.5">
          {t('queue.apply')}
        </button>
      </form>
      <p role="status" data-testid="queue-count">
        {t('queue.count', { count: items.length })}
        {status === 'submitted' && overdue ? ` · ${t('queue.overdueCount', { count: overdue })}` : ''}
      </p>
      {items.length === 0 ? (
        <p>{t('queue.empty')}</p>
      ) : (
        <ul className="space-y-3" aria-label={t('queue.title')}>
          {items.map((i) => {
            const explanation = explanationText(i.dueExplanation, locale);
            return (
              <li
                key={i.id}
                className={`space-y-1 rounded-lg border p-4 ${i.overdue ? 'border-red-700 bg-red-50' : 'border-slate-300'}`}
                data-testid="queue-item"
                data-request-id={i.id}
                data-overdue={i.overdue ? 'true' : undefined}
              >
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h2 className="text-lg font-semibold">
                    <Link href={`/admin/registrations/${i.id}`} className="text-sky-800 underline-offset-2 hover:underline">
                      {i.orgName ?? i.applicantName}
                    </Link>
                  </h2>
                  <span className="text-sm">{t(`kind.${i.kind}`)}</span>
                </div>
                <p className="text-sm text-slate-700">
                  {t('queue.applicantLine', { name: i.applicantName, subject: i.subjectKey.replace(':', ' ').toUpperCase() })} · {t('queue.submittedAt', { date: formatAstana(i.submittedAt, tl) })}
                </p>
                <p data-testid="queue-due">
                  {i.dueAt ? (
                    <>
                      <span className="font-medium">{t('queue.due', { date: formatAstana(i.dueAt, tl) })}</span>
                      {i.overdue ? <span className="ml-2 rounded bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white">{t('queue.overdue')}</span> : null}
                    </>
                  ) : (
                    <span>{t('request.noTerm')}</span>
                  )}
                </p>
                {explanation ? <p className="text-sm text-slate-700">{explanation}</p> : null}
                {i.alreadyRegistered ? <p className="text-sm font-medium text-amber-800">{t('request.alreadyRegistered')}</p> : null}
                {i.kind === 'procurement_authorised' ? <p className="text-sm">{t('queue.responsible', { signed: i.responsible.signed, named: i.responsible.named })}</p> : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
