import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PAGE_KIND_NAMES, TERM_OF } from '@/components/registration/kinds';
import { getPrincipal } from '@/lib/auth/principal';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('registration'))('title') };
}

/** C-6 / E-8 / E-12 / P-6 / P-7: what to register as. Public; the forms themselves need an EDS sign-in. */
export default async function RegisterIndex() {
  const [t, principal] = await Promise.all([getTranslations('registration'), getPrincipal()]);
  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
        {principal ? (
          <p>
            <Link href="/cabinet#cab-registrations" className="text-sky-800 underline">
              {t('myRegistrations')}
            </Link>
          </p>
        ) : (
          <p className="text-slate-700">{t('signInFirst')}</p>
        )}
      </header>
      <ul className="grid gap-4 md:grid-cols-2">
        {PAGE_KIND_NAMES.map((k) => {
          const term = TERM_OF[k];
          return (
            <li key={k} className="space-y-2 rounded-lg border border-slate-300 p-4" data-testid={`kind-${k}`}>
              <h2 className="text-lg font-semibold">
                <Link href={`/register/${k}`} className="text-sky-800 underline-offset-2 hover:underline">
                  {t(`kinds.${k}.title`)}
                </Link>
              </h2>
              <p className="text-slate-700">{t(`kinds.${k}.text`)}</p>
              <p className="text-sm text-slate-700">{term ? t('termLine', { days: term.days, rule: term.rule }) : t(`kinds.${k}.rule`)}</p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
