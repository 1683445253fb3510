import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { ASTANA_TZ } from '@/lib/time/zone';
import { isLocale, LOCALE_COOKIE, negotiateLocale, type Locale } from './config';
import { messagesByLocale } from './messages';

/** The user's language: the cookie set by the language switch, else the browser's Accept-Language. */
export async function resolveLocale(): Promise<Locale> {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(fromCookie)) return fromCookie;
  return negotiateLocale((await headers()).get('accept-language'));
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return {
    locale,
    messages: messagesByLocale[locale],
    timeZone: ASTANA_TZ,
  };
});
