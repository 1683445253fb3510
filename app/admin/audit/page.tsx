import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { BackToAdmin } from '@/components/admin/back-link';
import { VerifyChain } from '@/components/admin/verify-chain';
import { verifyAuditChainAction } from '@/lib/actions/audit';
import { checkAccess } from '@/lib/actions/guard';
import { listAudit, type AuditFilters } from '@/lib/audit';
import { dayNumber, dayStartMs, formatAstana, isIsoDate, type TimeLocale } from '@/lib/time/astana';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('audit'))('title') };
}

const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const IIN = /^\d{12}$/;

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The URL's filters as listAudit's; the period is Astana dates, `to` inclusive. */
function parseFilters(sp: Search): { filters: AuditFilters; problems: ('user' | 'period')[]; beforeSeq?: number } {
  const filters: AuditFilters = {};
  const problems: ('user' | 'period')[] = [];
  const user = one(sp.user);
  if (user) {
    if (UUID.test(user)) filters.userId = user;
    else if (IIN.test(user)) filters.iin = user;
    else problems.push('user');
  }
  filters.entityType = one(sp.entityType);
  filters.entityId = one(sp.entityId);
  const from = one(sp.from);
  const to = one(sp.to);
  if ((from && !isIsoDate(from)) || (to && !isIsoDate(to))) problems.push('period');
  else {
    if (from) filters.from = new Date(dayStartMs(dayNumber(from)));
    if (to) filters.to = new Date(dayStartMs(dayNumber(to) + 1));
  }
  const before = Number(one(sp.before));
  return { filters, problems, beforeSeq: Number.isSafeInteger(before) && before > 0 ? before : undefined };
}

function json(v: unknown): string {
  return v === null || v === undefined ? '—' : JSON.stringify(v, null, 2);
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('audit.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('audit'), getLocale(), searchParams]);
  const { filters, problems, beforeSeq } = parseFilters(sp);
  const { rows, nextBeforeSeq } = problems.length
    ? { rows: [], nextBeforeSeq: null }
    : await listAudit(getDb(), filters, { limit: PAGE_SIZE, beforeSeq });
  const keep = new URLSearchParams();
  for (const k of ['user', 'entityType', 'entityId', 'from', 'to']) {
    const v = one(sp[k]);
    if (v) keep.set(k, v);
  }
  const olderHref = nextBeforeSeq ? `?${new URLSearchParams([...keep, ['before', String(nextBeforeSeq)]])}` : null;
  const input = 'mt-1 block w-full rounded border border-slate-500 px-2 py-1';

  return (
    <div className="space-y-6">
      <BackToAdmin />
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
      </header>

      <VerifyChain action={verifyAuditChainAction} />

      <form method="get" className="grid gap-3 rounded-lg border border-slate-300 p-4 sm:grid-cols-2 lg:grid-cols-5" aria-labelledby="filters-heading">
        <h2 id="filters-heading" className="text-lg font-semibold sm:col-span-2 lg:col-span-5">
          {t('filters.heading')}
        </h2>
        <div>
          <label htmlFor="f-user" className="text-sm font-medium">
            {t('filters.user')}
          </label>
          <input id="f-user" name="user" defaultValue={one(sp.user)} className={input} aria-invalid={problems.includes('user') || undefined} aria-describedby={problems.includes('user') ? 'f-user-error' : undefined} />
          {problems.includes('user') && (
            <p id="f-user-error" className="mt-1 text-sm text-red-800">
              {t('invalidUser')}
            </p>
          )}
        </div>
        <div>
          <label htmlFor="f-type" className="text-sm font-medium">
            {t('filters.entityType')}
          </label>
          <input id="f-type" name="entityType" defaultValue={one(sp.entityType)} className={input} />
        </div>
        <div>
          <label htmlFor="f-id" className="text-sm font-medium">
            {t('filters.entityId')}
          </label>
          <input id="f-id" name="entityId" defaultValue={one(sp.entityId)} className={input} />
        </div>
        <div>
          <label htmlFor="f-from" className="text-sm font-medium">
            {t('filters.from')}
          </label>
          <input id="f-from" name="from" type="date" defaultValue={one(sp.from)} className={input} aria-invalid={problems.includes('period') || undefined} aria-describedby={problems.includes('period') ? 'f-period-error' : undefined} />
        </div>
        <div>
          <label htmlFor="f-to" className="text-sm font-medium">
            {t('filters.to')}
          </label>
          <input id="f-to" name="to" type="date" defaultValue={one(sp.to)} className={input} aria-invalid={problems.includes('period') || undefined} aria-describedby={problems.includes('period') ? 'f-period-error' : undefined} />
          {problems.includes('period') && (
            <p id="f-period-error" className="mt-1 text-sm text-red-800">
              {t('invalidPeriod')}
            </p>
          )}
        </div>
        <div className="flex gap-3 sm:col-span-2 lg:col-span-5">
          <button type="submit" className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
            {t('filters.apply')}
          </button>
          <Link href="/admin/audit" className="rounded border border-slate-500 px-4 py-2">
            {t('filters.reset')}
          </Link>
        </div>
      </form>

      {rows.length === 0 ? (
        <p data-testid="audit-empty">{t('empty')}</p>
      ) : (
        <div className="overflow-x-auto" tabIndex={0}>
          <table className="w-full min-w-[48rem] border-collapse text-left text-sm" data-testid="audit-table">
            <caption className="sr-only">{t('title')}</caption>
            <thead>
              <tr className="border-b border-slate-400">
                <th scope="col" className="p-2">{t('columns.seq')}</th>
                <th scope="col" className="p-2">{t('columns.at')}</th>
                <th scope="col" className="p-2">{t('columns.actor')}</th>
                <th scope="col" className="p-2">{t('columns.action')}</th>
                <th scope="col" className="p-2">{t('columns.entity')}</th>
                <th scope="col" className="p-2">{t('columns.basis')}</th>
                <th scope="col" className="p-2">{t('columns.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.seq} className="border-b border-slate-200 align-top">
                  <td className="p-2 tabular-nums">{r.seq}</td>
                  <td className="p-2 whitespace-nowrap">
                    <time dateTime={r.at.toISOString()}>{formatAstana(r.at, locale as TimeLocale, { seconds: true })}</time>
                  </td>
                  <td className="p-2">
                    {r.actorName ?? '—'}
                    {r.actorIin && <div className="text-slate-700">{r.actorIin}</div>}
                    {r.actorBin && <div className="text-slate-700">{r.actorBin}</div>}
                    {r.actorRole && <div className="text-slate-700">{r.actorRole}</div>}
                  </td>
                  <td className="p-2 font-mono">{r.action}</td>
                  <td className="p-2">
                    <span className="font-mono">{r.entityType}</span>
                    {r.entityId && <div className="break-all font-mono text-slate-700">{r.entityId}</div>}
                  </td>
                  <td className="p-2">{r.basis ?? '—'}</td>
                  <td className="p-2">
                    <details>
                      <summary className="cursor-pointer text-sky-800 underline">{t('columns.changes')}</summary>
                      <p className="mt-1 font-medium">{t('before')}</p>
                      <pre className="max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 text-xs">{json(r.before)}</pre>
                      <p className="mt-1 font-medium">{t('after')}</p>
                      <pre className="max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 text-xs">{json(r.after)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t('title')} className="flex gap-4">
        {beforeSeq !== undefined && (
          <Link href={keep.size ? `?${keep}` : '/admin/audit'} className="text-sky-800 underline">
            {t('newest')}
          </Link>
        )}
        {olderHref && (
          <Link href={olderHref} className="text-sky-800 underline">
            {t('older')}
          </Link>
        )}
      </nav>
    </div>
  );
}
