import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** What an admin page shows instead of its content when the server refused access (never a 500). */
export async function AccessDenied({ reason }: { reason: 'unauthenticated' | 'forbidden' }) {
  const t = await getTranslations('admin.guard');
  const title = reason === 'unauthenticated' ? t('unauthenticatedTitle') : t('forbiddenTitle');
  return (
    <section aria-labelledby="access-title" className="max-w-xl space-y-3 rounded-lg border border-amber-400 bg-amber-50 p-4" data-testid="access-denied" data-reason={reason}>
      <h1 id="access-title" className="text-2xl font-bold">
        {title}
      </h1>
      {reason === 'unauthenticated' ? (
        <>
          <p>{t('unauthenticatedText')}</p>
          <Link href="/signin" className="inline-block rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
            {t('signIn')}
          </Link>
        </>
      ) : (
        <p>{t('forbiddenText')}</p>
      )}
    </section>
  );
}
