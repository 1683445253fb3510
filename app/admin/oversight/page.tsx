import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { BackToAdmin } from '@/components/admin/back-link';
import { checkAccess } from '@/lib/actions/guard';
import { listOversight, OVERSIGHT_SYSTEM_KEYS, parseOversightQuery, type OversightProblem } from '@/lib/audit/oversight';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('oversight'))('title') };
}

const PAGE_SIZE = 50;
type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** X-13 / C-16: the state control body's read-only view of users' actions (the audit journal), filtered. */
export default async function OversightPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('oversight.monitor');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('oversight'), getLocale(), searchParams]);
  const q = { user: one(sp.user), system: one(sp.system), action: one(sp.action), actor: one(sp.actor), from: one(sp.from), to: one(sp.to) };
  const { filters, problems } = parseOversightQuery(q);
  const before = Number(one(sp.before));
  const beforeSeq = Number.isSafeInteger(before) && before > 0 ? before : undefined;
  const { rows, nextBeforeSeq } = problems.length ? { rows: [], nextBeforeSeq: null } : await listOversight(getDb(), filters, { limit: PAGE_SIZE, beforeSeq });
  const keep = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => Boolean(e[1])));
  const has = (p: OversightProblem) => problems.includes(p);
  const input = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';
  const err = (p: OversightProblem) =>
    has(p) ? (
      <p id={`ov-${p}-error`} className="mt-1 text-sm text-red-800">
        {t(`invalid.${p}`)}
      </p>
    ) : null;
  const aria = (p: OversightProblem) => ({ 'aria-invalid': has(p) || undefined, 'aria-describedby': has(p) ? `ov-${p}-error` : undefined });

  return (
    <div className="space-y-6">
      <BackToAdmin />
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
      </header>

      <form method="get" className="grid gap-3 rounded-lg border border-slate-300 p-4 sm:grid-cols-2 lg:grid-cols-3" aria-labelledby="ov-filters">
        <h2 id="ov-filters" className="text-lg font-semibold sm:col-span-2 lg:col-span-3">
          {t('filters.heading')}
        </h2>
        <div>
          <label htmlFor="ov-user" className="text-sm font-medium">{t('filters.user')}</label>
          <input id="ov-user" name="user" defaultValue={q.user} className={input} {...aria('user')} />
          {err('user')}
        </div>
        <div>
          <label htmlFor="ov-system" className="text-sm font-medium">{t('filters.system')}</label>
          <select id="ov-system" name="system" defaultValue={q.system ?? ''} className={input} {...aria('system')}>
            <option value="">{t('filters.allSystems')}</option>
            {OVERSIGHT_SYSTEM_KEYS.map((s) => (
              <option key={s} value={s}>
                {t(`systems.${s}`)}
              </option>
            ))}
          </select>
          {err('system')}
        </div>
        <div>
          <label htmlFor="ov-action" className="text-sm font-medium">{t('filters.action')}</label>
          <input id="ov-action" name="action" defaultValue={q.action} className={input} {...aria('action')} />
          {err('action')}
        </div>
        <div>
          <label htmlFor="ov-actor" className="text-sm font-medium">{t('filters.actor')}</label>
          <select id="ov-actor" name="actor" defaultValue={q.actor ?? ''} className={input} {...aria('actor')}>
            <option value="">{t('filters.allActors')}</option>
            <option value="users">{t('filters.users')}</option>
            <option value="system">{t('filters.system')}</option>
          </select>
          {err('actor')}
        </div>
        <div>
          <label htmlFor="ov-from" className="text-sm font-medium">{t('filters.from')}</label>
          <input id="ov-from" name="from" type="date" defaultValue={q.from} className={input} {...aria('period')} />
        </div>
        <div>
          <label htmlFor="ov-to" className="text-sm font-medium">{t('filters.to')}</label>
          <input id="ov-to" name="to" type="date" defaultValue={q.to} className={input} {...aria('period')} />
          {err('period')}
        </div>
        <div className="flex gap-3 sm:col-span-2 lg:col-span-3">
          <button type="submit" className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
            {t('filters.apply')}
          </button>
          <Link href="/admin/oversight" className="rounded border border-slate-500 px-4 py-2">
            {t('filters.reset')}
          </Link>
        </div>
      </form>

      {rows.length === 0 ? (
        <p data-testid="oversight-empty">{t('empty')}</p>
      ) : (
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('caption')}>
          <table className="w-full min-w-[52rem] border-collapse text-left text-sm" data-testid="oversight-table">
            <caption className="sr-only">{t('caption')}</caption>
            <thead>
              <tr className="border-b border-slate-400">
                <th scope="col" className="p-2">{t('columns.at')}</th>
                <th scope="col" className="p-2">{t('columns.actor')}</th>
                <th scope="col" className="p-2">{t('columns.system')}</th>
                <th scope="col" className="p-2">{t('columns.action')}</th>
                <th scope="col" className="p-2">{t('columns.entity')}</th>
                <th scope="col" className="p-2">{t('columns.basis')}</th>
                <th scope="col" className="p-2">{t('columns.signed')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.seq} className="border-b border-slate-200 align-top">
                  <td className="p-2 whitespace-nowrap">
                    <time dateTime={r.at.toISOString()}>{formatAstana(r.at, locale as TimeLocale, { seconds: true })}</time>
                  </td>
                  <td className="p-2">
                    {r.actorUserId || r.actorIin ? (
                      <>
                        {r.actorName ?? '—'}
                        {r.actorIin && <div className="font-mono text-slate-700">{r.actorIin}</div>}
                        {r.actorRole && <div className="text-slate-700">{r.actorRole}</div>}
                      </>
                    ) : (
                      <span className="italic">{t('automatic')}</span>
                    )}
                  </td>
                  <td className="p-2">{r.system ? t(`systems.${r.system}`) : '—'}</td>
                  <td className="p-2 font-mono">{r.action}</td>
                  <td className="p-2">
                    <span className="font-mono">{r.entityType}</span>
                    {r.entityId && <div className="break-all font-mono text-slate-700">{r.entityId}</div>}
                  </td>
                  <td className="p-2">{r.basis ?? '—'}</td>
                  <td className="p-2">{r.signatureId ? t('signedYes') : t('signedNo')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t('caption')} className="flex gap-4">
        {beforeSeq !== undefined && (
          <Link href={keep.size ? `?${keep}` : '/admin/oversight'} className="text-sky-800 underline">
            {t('newest')}
          </Link>
        )}
        {nextBeforeSeq && (
          <Link href={`?${new URLSearchParams([...keep, ['before', String(nextBeforeSeq)]])}`} className="text-sky-800 underline">
            {t('older')}
          </Link>
        )}
      </nav>
    </div>
  );
}
