import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { checkAccess } from '@/lib/actions/guard';
import { listForAuthority } from '@/lib/partner/environment';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('partner.env'))('authorityTitle') };
}

/** E-49 / X-11: the applications expert organisations sent to this authority. */
export default async function AuthorityInbox() {
  const access = await checkAccess('environment.exchange');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale] = await Promise.all([getTranslations('partner.env'), getLocale()]);
  const items = await listForAuthority(getDb(), access.principal);
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold md:text-3xl">{t('authorityTitle')}</h1>
        <p className="text-slate-700">{t('authorityIntro')}</p>
      </header>
      {items.length === 0 ? (
        <p>{t('inboxEmpty')}</p>
      ) : (
        <ul className="space-y-2" data-testid="env-inbox">
          {items.map((i) => (
            <li key={i.applicationId} className="rounded border border-slate-300 p-3">
              <Link href={`/expertise/environment/${i.applicationId}`} className="font-medium text-sky-900 underline">
                {i.number ?? '—'} — {i.objectName}
              </Link>
              <p className="text-sm text-slate-700">
                {i.region} · {formatAstana(i.lastAt, locale as TimeLocale)} · {i.pending > 0 ? t('pending', { count: i.pending }) : t('allAnswered')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
