import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { SignIn, type DemoKeyOption } from '@/components/eds/sign-in';
import { SignOutButton } from '@/components/eds/sign-out-button';
import { getPrincipal } from '@/lib/auth/principal';
import { env } from '@/lib/env';
import { ensureTestPki } from '@/lib/eds/test-pki';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('signin');
  return { title: t('title') };
}

async function demoKeys(): Promise<DemoKeyOption[] | null> {
  if (!env().EDS_TEST_MODE) return null;
  const pki = await ensureTestPki(getDb());
  return Object.values(pki.keys).map((k) => ({
    name: k.name,
    description: k.description,
    fullName: k.fullName,
    password: k.auth.password,
  }));
}

/** sign-in with EDS (NCALayer; in EDS test mode also the demo key files). */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const t = await getTranslations('signin');
  const [{ callbackUrl }, principal, locale] = await Promise.all([searchParams, getPrincipal(), getLocale()]);

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      {principal ? (
        <section aria-labelledby="signed-in-heading" className="rounded border border-green-700 bg-green-50 p-4" data-testid="signed-in">
          <h2 id="signed-in-heading" className="text-lg font-semibold">
            {t('signedIn.title')}
          </h2>
          <p className="mt-2">{t('signedIn.as', { name: principal.fullName, iin: principal.iin })}</p>
          <div className="mt-4">
            <SignOutButton />
          </div>
        </section>
      ) : (
        <>
          <p>{t('intro')}</p>
          <ol className="list-decimal space-y-1 pl-6">
            <li>{t('steps.one')}</li>
            <li>{t('steps.two')}</li>
            <li>{t('steps.three')}</li>
          </ol>
          <SignIn demoKeys={await demoKeys()} callbackUrl={callbackUrl} locale={locale} />
        </>
      )}
    </div>
  );
}
