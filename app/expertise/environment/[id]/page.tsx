import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { EnvAnswerForm } from '@/components/partner/environment-forms';
import { ExchangeList } from '@/components/partner/exchange-list';
import { checkAccess } from '@/lib/actions/guard';
import { getUploadSettings } from '@/lib/documents/settings';
import { AppError } from '@/lib/errors';
import { getForAuthority, type AuthorityView } from '@/lib/partner/environment';
import type { TimeLocale } from '@/lib/time/astana';
import { envAnswerAction } from '../actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('partner.env'))('authorityTitle') };
}

/** E-49 / X-11: one application as the authority sees it (only what was sent to it) and its answers. */
export default async function AuthorityApplication({ params }: { params: Promise<{ id: string }> }) {
  const access = await checkAccess('environment.exchange');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [{ id }, t, locale] = await Promise.all([params, getTranslations('partner.env'), getLocale()]);
  const db = getDb();
  let view: AuthorityView;
  try {
    view = await getForAuthority(db, access.principal, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') {
      return (
        <section className="space-y-2">
          <h1 className="text-2xl font-bold">{t('notFound')}</h1>
          <Link href="/expertise/environment" className="underline">
            {t('authorityTitle')}
          </Link>
        </section>
      );
    }
    throw e;
  }
  const [upload, demoKeys] = await Promise.all([getUploadSettings(db), demoSignKeys()]);
  const a = view.application;
  const answered = new Set(view.messages.filter((m) => m.replyToId).map((m) => m.replyToId));
  const open = view.messages.filter((m) => m.direction === 'to_authority' && !answered.has(m.id));
  return (
    <div className="space-y-6">
      <Link href="/expertise/environment" className="text-sm underline">
        ← {t('authorityTitle')}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold md:text-3xl">
          {a.number ?? '—'} — {a.objectName}
        </h1>
        <p className="text-slate-700">
          {a.region} · {a.address}
        </p>
      </header>
      <section aria-labelledby="env-msgs" className="space-y-2">
        <h2 id="env-msgs" className="text-xl font-bold">
          {t('title')}
        </h2>
        <ExchangeList messages={view.messages} locale={locale as TimeLocale} />
      </section>
      {open.map((m) => (
        <section key={m.id} aria-labelledby={`ans-${m.id}`} className="space-y-2 rounded-lg border border-slate-300 p-4">
          <h2 id={`ans-${m.id}`} className="text-lg font-bold">
            {t('answerTo', { subject: m.subject })}
          </h2>
          <EnvAnswerForm replyToId={m.id} upload={upload} demoKeys={demoKeys} action={envAnswerAction} />
        </section>
      ))}
    </div>
  );
}
