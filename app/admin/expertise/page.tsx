import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { EmptyState, PageHeader, PageSection } from '@/components/admin/page-header';
import { BackToAdmin } from '@/components/admin/back-link';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { DeadlineConfigForm, OrgSettingsForm, UploadSettingsForm } from '@/components/expertise/admin-forms';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import { getUploadSettings } from '@/lib/documents/settings';
import { listDeadlineConfigs, listExpertOrgsForAdmin } from '@/lib/expertise/settings';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { previewNumberAction, setDeadlineConfigAction, setOrgSettingsAction, setUploadSettingsAction } from './actions';
import { EXPERTISE_ADMIN_ACTIONS } from './defs';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminExpertise'))('title') };
}

const MIB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MIB) * 100) / 100;

/** E-16 / E-18 / E-44: the operator's expertise settings; every change is signed and audited. */
export default async function ExpertiseAdminPage() {
  const access = await checkAccess('admin.access');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const db = getDb();
  const [t, locale, orgs, configs, upload] = await Promise.all([
    getTranslations('adminExpertise'),
    getLocale(),
    listExpertOrgsForAdmin(db),
    listDeadlineConfigs(db),
    getUploadSettings(db),
  ]);
  // Oversight sees the settings read-only; only the operator and the administrator edit them.
  const canEdit = can(access.principal, 'expertise.configure');
  const demoKeys = canEdit ? await demoSignKeys() : null;

  return (
    <div className="space-y-8">
      <BackToAdmin />
      <PageHeader title={t('title')} intro={t('intro')}>
        {!canEdit && <p className="rounded border border-amber-600 bg-amber-50 p-2 text-sm">{t('readOnly')}</p>}
      </PageHeader>

      <PageSection id="adm-orgs" title={t('orgsHeading')} intro={t('orgsIntro')}>
        {orgs.length === 0 ? (
          <EmptyState>{t('orgsEmpty')}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-300" data-testid="expert-orgs">
            {orgs.map((o) => (
              <li key={o.orgId} className="space-y-2 p-3" data-org={o.orgId}>
                <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                  <span className="font-semibold">{o.name}</span>
                  <span className="text-sm text-slate-700">
                    {t('bin')} {o.bin}
                  </span>
                  {o.settings ? (
                    <>
                      <span className="rounded bg-slate-100 px-2 py-0.5 font-mono text-sm">{o.settings.numberTemplate}</span>
                      {o.settings.accredited ? (
                        <span className="rounded bg-green-100 px-2 py-0.5 text-sm text-green-900">{t('accredited')}</span>
                      ) : (
                        <span className="rounded bg-slate-200 px-2 py-0.5 text-sm">{t('notAccredited')}</span>
                      )}
                      {o.settings.blocked && <span className="rounded bg-red-100 px-2 py-0.5 text-sm text-red-900">{t('blocked')}</span>}
                    </>
                  ) : (
                    <span className="rounded bg-amber-100 px-2 py-0.5 text-sm text-amber-900">{t('noSettings')}</span>
                  )}
                </div>
                <p className="text-sm">
                  {t('nextNumber')}: <span className="font-mono" data-testid="next-number">{o.nextNumber ?? '—'}</span>
                  {o.settings && <span className="text-slate-700"> · {t('updatedAt', { at: formatAstana(o.settings.updatedAt, locale as TimeLocale) })}</span>}
                </p>
                {canEdit && (
                  <details>
                    <summary className="cursor-pointer text-sm text-sky-800 underline">{t('edit')}</summary>
                    <div className="mt-3">
                      <OrgSettingsForm
                        initial={{
                          orgId: o.orgId,
                          orgCode: o.settings?.orgCode ?? '',
                          numberTemplate: o.settings?.numberTemplate ?? '{ORG}-{YYYY}-{SEQ:5}',
                          accredited: o.settings?.accredited ?? false,
                          blocked: o.settings?.blocked ?? false,
                        }}
                        nextNumber={o.nextNumber}
                        preview={previewNumberAction}
                        action={setOrgSettingsAction}
                        actionName={EXPERTISE_ADMIN_ACTIONS.org}
                        demoKeys={demoKeys}
                      />
                    </div>
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
      </PageSection>

      <PageSection id="adm-uploads" title={t('uploadsHeading')} intro={t('uploadsIntro')}>
        <p data-testid="upload-current">{t('uploadsCurrent', { part: mib(upload.chunkSizeBytes), max: mib(upload.maxFileBytes) })}</p>
        {canEdit && (
          <UploadSettingsForm
            initial={{ chunkSizeMiB: mib(upload.chunkSizeBytes), maxFileMiB: mib(upload.maxFileBytes) }}
            action={setUploadSettingsAction}
            actionName={EXPERTISE_ADMIN_ACTIONS.uploads}
            demoKeys={demoKeys}
          />
        )}
      </PageSection>

      <PageSection id="adm-deadlines" title={t('deadlinesHeading')} intro={t('deadlinesIntro')}>
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-300" data-testid="deadline-configs">
          {configs.map((c) => (
            <li key={c.category} className="space-y-2 p-3" data-category={c.category}>
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <span className="font-semibold">{c.label}</span>
                <span className="font-mono text-sm text-slate-700">{c.category}</span>
                {c.demo && (
                  <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold uppercase text-amber-900" data-testid="demo-mark">
                    {t('demo')}
                  </span>
                )}
              </div>
              <p className="text-sm">
                {t('durations', {
                  completeness: c.completenessDays,
                  remarks: c.remarksDays,
                  remedy: c.remedyDays,
                  conclusion: c.conclusionDays,
                  unit: t(`units.${c.unit}`),
                })}
              </p>
              {c.demo && <p className="text-sm text-amber-900">{t('demoHint')}</p>}
              {canEdit && (
                <details>
                  <summary className="cursor-pointer text-sm text-sky-800 underline">{t('edit')}</summary>
                  <div className="mt-3">
                    <DeadlineConfigForm
                      mode="edit"
                      initial={{
                        category: c.category,
                        label: c.label,
                        completenessDays: c.completenessDays,
                        remarksDays: c.remarksDays,
                        remedyDays: c.remedyDays,
                        conclusionDays: c.conclusionDays,
                        unit: c.unit,
                      }}
                      action={setDeadlineConfigAction}
                      actionName={EXPERTISE_ADMIN_ACTIONS.deadlines}
                      demoKeys={demoKeys}
                    />
                  </div>
                </details>
              )}
            </li>
          ))}
        </ul>
        {canEdit && (
          <details className="rounded-lg border border-slate-300 p-3">
            <summary className="cursor-pointer font-medium">{t('addCategory')}</summary>
            <div className="mt-3">
              <DeadlineConfigForm
                mode="add"
                initial={{ category: '', label: '', completenessDays: 5, remarksDays: 20, remedyDays: 10, conclusionDays: 45, unit: 'working' }}
                action={setDeadlineConfigAction}
                actionName={EXPERTISE_ADMIN_ACTIONS.deadlines}
                demoKeys={demoKeys}
              />
            </div>
          </details>
        )}
      </PageSection>
    </div>
  );
}
