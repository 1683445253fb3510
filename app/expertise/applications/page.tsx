import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { checkAccess } from '@/lib/actions/guard';
import { AppError } from '@/lib/errors';
import { listApplicationsForApplicant, type Page, type ApplicationListItem } from '@/lib/expertise';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('expertiseApp'))('listTitle') };
}

type Search = Record<string, string | string[] | undefined>;

/** The applicant's applications, newest first, in keyset pages (?after=<cursor>). */
export default async function MyApplicationsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('expertise.apply');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('expertiseApp'), getLocale(), searchParams]);
  const after = typeof sp.after === 'string' ? sp.after : null;
  let page: Page<ApplicationListItem>;
  try {
    page = await listApplicationsForApplicant(getDb(), access.principal, { cursor: after, limit: 20 });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'bad_request') throw e;
    page = await listApplicationsForApplicant(getDb(), access.principal, { limit: 20 });
  }

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold md:text-3xl">{t('listTitle')}</h1>
          <p className="text-slate-700">{t('listIntro')}</p>
        </div>
        <Link href="/expertise/applications/new" className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
          {t('newApplication')}
        </Link>
      </header>
      {page.items.length === 0 ? (
        <p>{t('listEmpty')}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded border border-slate-300" data-testid="my-applications">
          {page.items.map((a) => (
            <li key={a.id} className="flex flex-wrap items-baseline justify-between gap-2 p-3">
              <div className="min-w-0">
                <Link
                  href={a.status === 'draft' ? `/expertise/applications/new?draft=${a.id}` : `/expertise/applications/${a.id}`}
                  className="font-medium text-sky-900 underline"
                >
                  {a.number ?? t('draftLabel')} — {a.objectName ?? t('untitled')}
                </Link>
                <p className="text-sm text-slate-700">
                  {t(`status.${a.status}`)}
                  {a.registrationDate ? ` · ${t('registrationDate')}: ${a.registrationDate}` : ''}
                </p>
              </div>
              <span className="text-sm text-slate-700">{formatAstana(a.createdAt, locale as TimeLocale)}</span>
            </li>
          ))}
        </ul>
      )}
      <nav aria-label={t('pages')} className="flex gap-3">
        {after && (
          <Link href="/expertise/applications" className="underline">
            {t('firstPage')}
          </Link>
        )}
        {page.nextCursor && (
          <Link href={`/expertise/applications?after=${encodeURIComponent(page.nextCursor)}`} className="underline">
            {t('nextPage')}
          </Link>
        )}
      </nav>
    </div>
  );
}
