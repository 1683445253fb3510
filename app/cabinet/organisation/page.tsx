import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { organisations } from '@/db/schema/identity';
import { AccessDenied } from '@/components/admin/access-denied';
import { EmptyState, PageHeader, PageSection } from '@/components/admin/page-header';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { GrantRoleForm, WithdrawRoleButton } from '@/components/registration/org-roles';
import { SignInPrompt } from '@/components/registration/sign-in-prompt';
import { asTimeLocale } from '@/components/registration/format';
import { can, ROLES_GRANTABLE_BY_FIRST_HEAD } from '@/lib/auth/policy';
import { getPrincipal } from '@/lib/auth/principal';
import { listOrganisationMembers, listOrganisationRoleHistory } from '@/lib/registration';
import { formatAstana } from '@/lib/time/astana';
import { grantOrgRoleAction, withdrawOrgRoleAction } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('registration'))('org.title') };
}

const GRANTABLE = ROLES_GRANTABLE_BY_FIRST_HEAD as readonly string[];

/** the first head's page: the organisation's employees, their roles (granted / withdrawn with EDS), history. */
export default async function OrganisationRolesPage() {
  const t = await getTranslations('registration');
  const p = await getPrincipal();
  if (!p) return <SignInPrompt title={t('org.title')} callbackUrl="/cabinet/organisation" />;
  if (!p.orgId || !can(p, 'org.roles.manage', { orgId: p.orgId })) return <AccessDenied reason="forbidden" />;
  const db = getDb();
  const [locale, members, history, demoKeys, org] = await Promise.all([
    getLocale(),
    listOrganisationMembers(db, p, p.orgId),
    listOrganisationRoleHistory(db, p, p.orgId),
    demoSignKeys(),
    db.select({ name: organisations.name, bin: organisations.bin }).from(organisations).where(eq(organisations.id, p.orgId)),
  ]);
  const tl = asTimeLocale(locale);
  const roleName = (r: string) => (t.has(`role.${r}`) ? t(`role.${r}`) : r);
  return (
    <div className="space-y-6">
      <Link href="/cabinet" className="text-sm text-sky-800 underline">
        ← {t('org.backToCabinet')}
      </Link>
      <PageHeader
        title={t('org.title')}
        subtitle={
          <>
            {org[0]?.name} <span className="font-mono text-base">({t('form.bin')} {org[0]?.bin})</span>
          </>
        }
        intro={t('org.intro')}
      />

      <PageSection id="org-members" title={t('org.members')} intro={t('org.membersHint')} boxed>
        <ul className="divide-y divide-slate-200">
          {members.map((m) => (
            <li key={m.userId} className="space-y-1 py-3" data-testid="org-member" data-iin={m.iin}>
              <p className="font-medium">
                {m.fullName} <span className="font-mono text-sm">({m.iin})</span>
                {m.status === 'deactivated' ? <span className="ml-2 rounded bg-slate-700 px-1.5 py-0.5 text-xs text-white">{t('org.deactivated')}</span> : null}
              </p>
              <p className="text-sm text-slate-700">{m.lastSignInAt ? t('org.lastSignIn', { date: formatAstana(m.lastSignInAt, tl) }) : t('org.neverSignedIn')}</p>
              {m.roles.length === 0 ? (
                <p className="text-sm" data-testid="member-roles">
                  {t('org.noRoles')}
                </p>
              ) : (
                <ul className="space-y-1" data-testid="member-roles">
                  {m.roles.map((r) => (
                    <li key={r} className="flex flex-wrap items-start gap-3">
                      <span className="rounded bg-sky-100 px-2 py-0.5">{roleName(r)}</span>
                      {GRANTABLE.includes(r) && m.userId !== p.userId ? (
                        <WithdrawRoleButton orgId={p.orgId!} iin={m.iin} role={r} label={t('org.withdraw', { role: roleName(r) })} demoKeys={demoKeys} action={withdrawOrgRoleAction} />
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </PageSection>

      <PageSection id="org-grant" title={t('org.grantTitle')} intro={t('org.grantHint')} boxed>
        <GrantRoleForm
          orgId={p.orgId}
          members={members.filter((m) => m.userId !== p.userId).map((m) => ({ iin: m.iin, fullName: m.fullName, active: m.status === 'active', roles: m.roles }))}
          grantable={GRANTABLE}
          demoKeys={demoKeys}
          actions={{ grant: grantOrgRoleAction, withdraw: withdrawOrgRoleAction }}
        />
      </PageSection>

      <PageSection id="org-history" title={t('org.history')} boxed>
        {history.length === 0 ? (
          <EmptyState>{t('org.noHistory')}</EmptyState>
        ) : (
          <ul className="space-y-2" data-testid="role-history">
            {history.map((h) => (
              <li key={h.id} className="text-sm">
                <span className="font-medium">{h.userName}</span> — {roleName(h.role)}:{' '}
                {t('org.grantedLine', { date: formatAstana(h.grantedAt, tl), by: h.grantedByName ?? t('org.system') })}
                {h.signed ? ` · ${t('org.signedEds')}` : ''}
                {h.revokedAt ? ` · ${t('org.withdrawnLine', { date: formatAstana(h.revokedAt, tl), by: h.revokedByName ?? t('org.system') })}` : ''}
              </li>
            ))}
          </ul>
        )}
      </PageSection>
    </div>
  );
}
