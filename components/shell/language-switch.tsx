import { getLocale, getTranslations } from 'next-intl/server';
import { setLocale } from '@/lib/actions/locale';
import { locales } from '@/lib/i18n/config';

/** kk / ru / en: a real form whose buttons post the chosen language to a server action (works without JS). */
export async function LanguageSwitch() {
  const [t, current] = await Promise.all([getTranslations('shell'), getLocale()]);
  return (
    <form action={setLocale} aria-label={t('language')} className="flex items-center gap-1">
      <span className="sr-only">{t('language')}:</span>
      {locales.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          lang={l}
          aria-pressed={l === current}
          className="rounded px-2 py-1 text-sm underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white aria-pressed:bg-white aria-pressed:font-semibold aria-pressed:text-sky-900"
        >
          {t(`languages.${l}`)}
        </button>
      ))}
    </form>
  );
}
