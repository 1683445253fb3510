import { getLocale, getTranslations } from 'next-intl/server';
import { envSendAction } from '@/app/expertise/environment/actions';
import { getDb } from '@/db/client';
import { demoSignKeys } from '@/components/eds/demo-keys';
import type { Principal } from '@/lib/auth/principal';
import { getUploadSettings } from '@/lib/documents/settings';
import { exchangeForExpert, listAuthorities } from '@/lib/partner/environment';
import type { TimeLocale } from '@/lib/time/astana';
import { EnvSendForm } from './environment-forms';
import { ExchangeList } from './exchange-list';

/** E-49: the workspace's section for the exchange with environmental-protection authorities. */
export async function EnvironmentSection({ applicationId, principal }: { applicationId: string; principal: Principal }) {
  const db = getDb();
  const [t, locale, messages, authorities, upload, demoKeys] = await Promise.all([
    getTranslations('partner.env'),
    getLocale(),
    exchangeForExpert(db, principal, applicationId),
    listAuthorities(db),
    getUploadSettings(db),
    demoSignKeys(),
  ]);
  return (
    <section aria-labelledby="env-h" className="space-y-3 rounded-lg border border-slate-300 p-4" data-testid="env-section">
      <h2 id="env-h" className="text-lg font-bold">
        {t('title')}
      </h2>
      <p className="text-sm text-slate-700">{t('intro')}</p>
      <ExchangeList messages={messages} locale={locale as TimeLocale} />
      <h3 className="font-semibold">{t('sendTitle')}</h3>
      <EnvSendForm applicationId={applicationId} authorities={authorities} upload={upload} demoKeys={demoKeys} action={envSendAction} />
    </section>
  );
}
