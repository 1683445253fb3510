import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { checkAccess } from '@/lib/actions/guard';
import { AppError } from '@/lib/errors';
import { expertQueueBody, LIST_PAGE_SIZE, QUEUE_STATUSES, type QueueStatus } from '@/lib/expertise/list-api';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('expertiseWs'))('queueTitle') };
}

type Search = Record<string, string | string[] | undefined>;

/** E-21: the expert organisation's queue (its own applications only), with status filter and deadlines. */
export default async function WorkspacePage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('expertise.review');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, ta, locale, sp] = await Promise.all([getTranslations('expertiseWs'), getTranslations('expertiseApp'), getLocale(), searchParams]);
  const status = typeof sp.status === 'string' && (QUEUE_STATUSES as readonly string[]).includes(sp.status) ? (sp.status as QueueStatus) : undefined;
  const after = typeof sp.after === 'string' ? sp.after : undefined;
  const db = getDb();
  // The same body as GET /api/v1/expertise/queue; a spoilt cursor shows the first page.
  let page: Awaited<ReturnType<typeof expertQueueBody>>;
  try {
    page = await expertQueueBody(db, access.principal, { status, cursor: after, limit: LIST_PAGE_SIZE }, now());
  } catch (e) {
    if (e instanceof AppError && e.code === 'forbidden') return <AccessDenied reason="forbidden" />;
    if (!(e instanceof AppError) || e.code !== 'bad_request') throw e;
    page = await expertQueueBody(db, access.principal, { status, limit: LIST_PAGE_SIZE }, now());
  }
  const filterHref = (s?: string) => (s ? `/expertise/workspace?status=${s}` : '/expertise/workspace');

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold md:text-3xl">{t('queueTitle')}</h1>
        <p className="text-slate-700">{t('queueIntro')}</p>
      </header>
      <nav aria-label={t('filter')} className="flex flex-wrap gap-2 text-sm">
        <Link href={filterHref()} aria-current={!status ? 'page' : undefined} className={`rounded px-2 py-1 ${!status ? 'bg-sky-800 text-white' : 'bg-slate-100'}`}>
          {t('all')}
        </Link>
        {QUEUE_STATUSES.map((s) => (
          <Link key={s} href={filterHref(s)} aria-current={status === s ? 'page' : undefined} className={`rounded px-2 py-1 ${status === s ? 'bg-sky-800 text-white' : 'bg-slate-100'}`}>
            {ta(`status.${s}`)}
          </Link>
        ))}
      </nav>
      {page.items.length === 0 ? (
        <p>{t('queueEmpty')}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded border border-slate-300" data-testid="queue">
          {page.items.map((a) => {
            const { deadlines: open, overdue } = a;
            return (
              <li key={a.id} className={`space-y-1 p-3 ${overdue ? 'border-l-4 border-red-700 bg-red-50' : ''}`}>
                <Link href={`/expertise/workspace/${a.id}`} className="font-medium text-sky-900 underline">
                  {a.number} — {a.objectName}
                </Link>
                <p className="text-sm text-slate-700">
                  {ta(`status.${a.status}`)}
                  {a.registeredAt && ` · ${t('registered')} ${formatAstana(new Date(a.registeredAt), locale as TimeLocale)}`}
                  {overdue && <strong className="ml-2 text-red-800">{t('overdue')}</strong>}
                </p>
                {open.length > 0 && (
                  <p className="text-sm">
                    {open.map((d) => `${ta(`deadlineKinds.${d.kind}`)}: ${d.dueDate}`).join(' · ')}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {page.nextCursor && (
        <Link href={`/expertise/workspace?${status ? `status=${status}&` : ''}after=${encodeURIComponent(page.nextCursor)}`} className="underline">
          {ta('nextPage')}
        </Link>
      )}
    </div>
  );
}
