import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { publicOrganisationsBody } from '@/lib/registration/public-list';
import { formatAstana, formatIsoDate, type TimeLocale } from '@/lib/time/astana';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('expertOrgs'))('title') };
}

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;

/** E-12 / E-13: the public list of accredited expert organisations (no sign-in), searchable. */
export default async function AccreditedOrganisationsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const [t, locale, sp] = await Promise.all([getTranslations('expertOrgs'), getLocale(), searchParams]);
  const raw = Array.isArray(sp.q) ? sp.q[0] : sp.q;
  const q = raw?.trim().slice(0, 200) || undefined;
  const body = await publicOrganisationsBody(getDb(), { q });
  const apiHref = `/api/v1/expertise/organisations${q ? `?q=${encodeURIComponent(q)}` : ''}`;

  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
      </header>

      <form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 grow sm:max-w-md">
          <label htmlFor="org-q" className="block text-sm font-medium">
            {t('searchLabel')}
          </label>
          <input id="org-q" name="q" type="search" defaultValue={q} maxLength={200} className="mt-1 block w-full rounded border border-slate-500 px-2 py-1" />
        </div>
        <button type="submit" className="rounded bg-sky-800 px-4 py-1.5 font-medium text-white hover:bg-sky-900">
          {t('search')}
        </button>
        {q && (
          <Link href="/expertise/organisations" className="rounded border border-slate-500 px-4 py-1.5">
            {t('reset')}
          </Link>
        )}
      </form>

      <p aria-live="polite" data-testid="org-count">
        {t('count', { count: body.count })} · {t('asOf', { at: formatAstana(new Date(body.generatedAt), locale as TimeLocale) })}
      </p>

      {body.count === 0 ? (
        <p data-testid="org-empty">{t('empty')}</p>
      ) : (
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('caption')}>
          <table className="w-full min-w-[40rem] border-collapse text-left text-sm" data-testid="org-table">
            <caption className="sr-only">{t('caption')}</caption>
            <thead>
              <tr className="border-b border-slate-400">
                <th scope="col" className="p-2">{t('columns.name')}</th>
                <th scope="col" className="p-2">{t('columns.bin')}</th>
                <th scope="col" className="p-2">{t('columns.certificate')}</th>
                <th scope="col" className="p-2">{t('columns.issuedOn')}</th>
                <th scope="col" className="p-2">{t('columns.validUntil')}</th>
                <th scope="col" className="p-2">{t('columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {body.organisations.map((o) => (
                <tr key={o.bin} className="border-b border-slate-200 align-top" data-bin={o.bin}>
                  <th scope="row" className="p-2 font-medium">{o.name}</th>
                  <td className="p-2 font-mono tabular-nums">{o.bin}</td>
                  <td className="p-2">{o.certificate.number}</td>
                  <td className="p-2 whitespace-nowrap">
                    <time dateTime={o.certificate.issuedOn}>{formatIsoDate(o.certificate.issuedOn)}</time>
                  </td>
                  <td className="p-2 whitespace-nowrap">
                    <time dateTime={o.certificate.validUntil}>{formatIsoDate(o.certificate.validUntil)}</time>
                  </td>
                  <td className="p-2">
                    <span className="rounded bg-green-100 px-2 py-0.5 text-green-900">{t('statusAccredited')}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <p className="text-sm text-slate-700">
        {t('api')}{' '}
        <a href={apiHref} className="break-all font-mono text-sky-800 underline">
          {apiHref}
        </a>
      </p>
    </div>
  );
}
