import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { EmptyState, PageHeader, PageSection } from '@/components/admin/page-header';
import { BackToAdmin } from '@/components/admin/back-link';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { CreateKeyForm, RevokeKeyForm } from '@/components/partner/integrations-admin';
import { checkAccess } from '@/lib/actions/guard';
import { listApiKeys, listKeyCandidates } from '@/lib/partner/keys';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { createApiKeyAction, revokeApiKeyAction } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('partner.admin'))('title') };
}

/** I-INT-1..3: API keys of integrated systems (expert ISs, the State Urban-Planning Cadastre). */
export default async function IntegrationsPage() {
  const access = await checkAccess('integrations.manage');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale] = await Promise.all([getTranslations('partner.admin'), getLocale()]);
  const db = getDb();
  const [keys, orgs, demoKeys] = await Promise.all([listApiKeys(db, access.principal), listKeyCandidates(db), demoSignKeys()]);
  const at = now();
  const fmt = (d: Date | null) => (d ? formatAstana(d, locale as TimeLocale) : '—');
  const state = (k: (typeof keys)[number]) =>
    k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt.getTime() <= at.getTime() ? 'expired' : 'active';

  return (
    <div className="space-y-8">
      <BackToAdmin />
      <PageHeader title={t('title')} intro={t('intro')} />

      <PageSection id="keys-new" title={t('createTitle')} boxed>
        <CreateKeyForm orgs={orgs} action={createApiKeyAction} demoKeys={demoKeys} />
      </PageSection>

      <PageSection id="keys-list" title={t('listTitle')}>
        {keys.length === 0 ? (
          <EmptyState>{t('empty')}</EmptyState>
        ) : (
          <ul className="space-y-3" data-testid="api-keys">
            {keys.map((k) => (
              <li key={k.id} className="space-y-2 rounded-lg border border-slate-300 p-3" data-key-prefix={k.prefix}>
                <p className="font-medium">
                  {k.name} · <span className="font-mono">btp_{k.prefix}_…</span> · {t(`kinds.${k.kind}`)} ·{' '}
                  <span data-testid="key-state">{t(`state.${state(k)}`)}</span>
                </p>
                <dl className="grid gap-x-4 text-sm sm:grid-cols-2">
                  <div>
                    <dt className="inline font-medium">{t('org')}:</dt> <dd className="inline">{k.orgName} ({k.orgBin})</dd>
                  </div>
                  <div>
                    <dt className="inline font-medium">{t('createdAt')}:</dt> <dd className="inline">{fmt(k.createdAt)}</dd>
                  </div>
                  <div>
                    <dt className="inline font-medium">{t('validUntil')}:</dt> <dd className="inline">{fmt(k.expiresAt)}</dd>
                  </div>
                  <div>
                    <dt className="inline font-medium">{t('lastUsed')}:</dt> <dd className="inline">{fmt(k.lastUsedAt)}</dd>
                  </div>
                  {k.revokedAt && (
                    <div className="sm:col-span-2">
                      <dt className="inline font-medium">{t('revoked')}:</dt>{' '}
                      <dd className="inline">
                        {fmt(k.revokedAt)} — {k.revokeReason}
                      </dd>
                    </div>
                  )}
                </dl>
                {!k.revokedAt && <RevokeKeyForm keyId={k.id} prefix={k.prefix} action={revokeApiKeyAction} demoKeys={demoKeys} />}
              </li>
            ))}
          </ul>
        )}
      </PageSection>
    </div>
  );
}
