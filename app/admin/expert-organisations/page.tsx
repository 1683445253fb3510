import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { BlockOrgForm, ReconfirmForm } from '@/components/admin/accreditation-forms';
import { BackToAdmin } from '@/components/admin/back-link';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import { ADMIN_ACTION_NAMES } from '@/lib/registration/admin-actions';
import { listExpertOrganisationsForAdmin } from '@/lib/registration/expert-orgs';
import { formatAstana, formatIsoDate, type TimeLocale } from '@/lib/time/astana';
import { blockOrganisationAction, reconfirmAccreditationAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminExpertOrgs'))('title') };
}

/** E-12..E-14, E-41, E-42: the operator's view of expert organisations; oversight sees it read-only. */
export default async function ExpertOrganisationsAdminPage() {
  const access = await checkAccess('registrations.read');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const canEdit = can(access.principal, 'registrations.review');
  const [t, locale, orgs, demoKeys] = await Promise.all([
    getTranslations('adminExpertOrgs'),
    getLocale(),
    listExpertOrganisationsForAdmin(getDb()),
    canEdit ? demoSignKeys() : Promise.resolve(null),
  ]);
  const at = (d: Date) => formatAstana(d, locale as TimeLocale);

  return (
    <div className="space-y-6">
      <BackToAdmin />
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
        {!canEdit && <p className="font-medium">{t('readOnly')}</p>}
        <Link href="/expertise/organisations" className="text-sky-800 underline">
          {t('publicList')}
        </Link>
      </header>
      {orgs.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <ul className="space-y-4" data-testid="expert-orgs">
          {orgs.map((o) => (
            <li key={o.orgId} className="space-y-3 rounded-lg border border-slate-300 p-4" data-bin={o.bin} data-listed={o.listed}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="text-lg font-semibold">
                  {o.name} <span className="font-mono text-base font-normal text-slate-700">{o.bin}</span>
                </h2>
                <span className={o.blocked ? 'rounded bg-red-100 px-2 py-0.5 text-red-900' : o.listed ? 'rounded bg-green-100 px-2 py-0.5 text-green-900' : 'rounded bg-amber-100 px-2 py-0.5 text-amber-900'}>
                  {o.blocked ? t('blocked') : o.listed ? t('listed') : t('notListed')}
                </span>
              </div>
              <ul className="space-y-1 text-sm text-slate-800">
                <li>
                  {o.certificateNumber && o.issuedOn && o.validUntil
                    ? t('certificate', { number: o.certificateNumber, from: formatIsoDate(o.issuedOn), to: formatIsoDate(o.validUntil) })
                    : t('noCertificate')}
                </li>
                {o.registeredAt && <li>{t('accreditedSince', { at: at(o.registeredAt) })}</li>}
                {o.isUserSince && <li>{t('isUser', { at: at(o.isUserSince) })}</li>}
                {o.isAccessEndedAt && <li>{t('isEnded', { at: at(o.isAccessEndedAt) })}</li>}
                {o.blocked && o.blockedAt && o.blockGround && <li className="font-medium text-red-900">{t('blockedOn', { at: at(o.blockedAt), ground: t(`grounds.${o.blockGround}`) })}</li>}
                {o.blocked && o.blockBasis && <li>{t('basis', { basis: o.blockBasis })}</li>}
              </ul>
              {o.blocked ? (
                <p className="text-sm text-slate-700">{t('unblockNote')}</p>
              ) : canEdit ? (
                <div className="grid gap-3 lg:grid-cols-2">
                  <details className="rounded border border-slate-200 p-3">
                    <summary className="cursor-pointer font-medium text-sky-800 underline">{t('block.heading')}</summary>
                    <div className="mt-3">
                      <BlockOrgForm orgId={o.orgId} action={blockOrganisationAction} actionName={ADMIN_ACTION_NAMES.block} demoKeys={demoKeys} />
                    </div>
                  </details>
                  <details className="rounded border border-slate-200 p-3">
                    <summary className="cursor-pointer font-medium text-sky-800 underline">{t('reconfirm.heading')}</summary>
                    <div className="mt-3">
                      <ReconfirmForm orgId={o.orgId} action={reconfirmAccreditationAction} actionName={ADMIN_ACTION_NAMES.reconfirm} demoKeys={demoKeys} />
                    </div>
                  </details>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
