import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { SYSTEMS } from '@/components/shell/systems';

export default async function Home() {
  const [t, ts] = await Promise.all([getTranslations('home'), getTranslations('systems')]);
  return (
    <div className="space-y-8">
      <section aria-labelledby="home-title" className="space-y-3">
        <h1 id="home-title" className="text-2xl font-bold md:text-3xl">
          {t('title')}
        </h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
      </section>
      <section aria-labelledby="home-systems">
        <h2 id="home-systems" className="text-xl font-semibold">
          {t('systemsHeading')}
        </h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2">
          {SYSTEMS.map((s) => (
            <li key={s} className="rounded-lg border border-slate-300 p-4">
              <h3 className="text-lg font-semibold">
                <Link href={`/${s}`} className="text-sky-800 underline-offset-2 hover:underline">
                  {ts(`${s}.title`)}
                </Link>
              </h3>
              <p className="mt-1 text-slate-700">{ts(`${s}.short`)}</p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="home-signin" className="rounded-lg bg-slate-100 p-4">
        <h2 id="home-signin" className="text-xl font-semibold">
          {t('signInHeading')}
        </h2>
        <p className="mt-1 text-slate-700">{t('signInText')}</p>
        <Link href="/signin" className="mt-3 inline-block rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
          {t('signInLink')}
        </Link>
      </section>
    </div>
  );
}
