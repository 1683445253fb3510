import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** Shown instead of a registration page to a visitor who has not signed in (X-3: registration starts with EDS). */
export async function SignInPrompt({ title, callbackUrl }: { title: string; callbackUrl: string }) {
  const t = await getTranslations('registration');
  return (
    <section aria-labelledby="reg-signin" className="max-w-xl space-y-3 rounded-lg border border-amber-400 bg-amber-50 p-4" data-testid="registration-signin">
      <h1 id="reg-signin" className="text-2xl font-bold">
        {title}
      </h1>
      <p>{t('signInRequired')}</p>
      <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="inline-block rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
        {t('signInLink')}
      </Link>
    </section>
  );
}
