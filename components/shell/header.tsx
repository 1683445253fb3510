import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { UserMenu } from '@/components/eds/user-menu';
import { getPrincipal } from '@/lib/auth/principal';
import { now } from '@/lib/time/clock';
import type { TimeLocale } from '@/lib/time/astana';
import { AstanaClock } from './astana-clock';
import { LanguageSwitch } from './language-switch';
import { SiteNav } from './site-nav';
import { SYSTEMS } from './systems';


export async function SiteHeader() {
  const [t, tApp, locale, principal] = await Promise.all([
    getTranslations('shell'),
    getTranslations('app'),
    getLocale(),
    getPrincipal(),
  ]);
  const items = [
    ...SYSTEMS.map((s) => ({ href: `/${s}`, label: t(`nav.${s}`) })),
    { href: '/admin', label: t('nav.admin') },
  ];
  return (
    <header className="border-b border-slate-300 bg-white">
      <div className="bg-sky-900 text-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-1">
          <AstanaClock initialMs={now().getTime()} locale={locale as TimeLocale} label={t('clockLabel')} />
          <LanguageSwitch />
        </div>
      </div>
      <div className="relative mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="text-xl font-bold text-sky-900">
          {tApp('name')}
        </Link>
        <div className="flex items-center gap-2">
          <SiteNav items={items} label={t('mainNav')} menuLabel={t('menu')} />
          {principal ? (
            <>
              <Link href="/cabinet" className="rounded px-3 py-2 text-sm font-medium text-sky-900 underline">
                {t('cabinet')}
              </Link>
              <UserMenu />
            </>
          ) : (
            <Link href="/signin" className="rounded bg-sky-800 px-3 py-2 text-sm font-medium text-white hover:bg-sky-900">
              {t('signIn')}
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
