import type { Metadata } from 'next';
import { asc } from 'drizzle-orm';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { deadlineConfigs } from '@/db/schema';
import { AccessDenied } from '@/components/admin/access-denied';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { ApplicationWizard } from '@/components/expertise/wizard';
import { checkAccess } from '@/lib/actions/guard';
import { getUploadSettings } from '@/lib/documents/settings';
import { AppError } from '@/lib/errors';
import { getApplicationForApplicant, listSelectableExpertOrgs, type ApplicationView } from '@/lib/expertise';
import { certifyDocumentAction, saveDraftAction, submitApplicationAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('expertiseApp'))('wizard.title') };
}

type Search = Record<string, string | string[] | undefined>;

/** E-16/E-17/E-19: the new application wizard (?draft=<id> continues a draft). */
export default async function NewApplicationPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('expertise.apply');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const db = getDb();
  const [t, sp] = await Promise.all([getTranslations('expertiseApp'), searchParams]);
  const draftParam = typeof sp.draft === 'string' ? sp.draft : null;
  let view: ApplicationView | null = null;
  if (draftParam) {
    try {
      view = await getApplicationForApplicant(db, access.principal, draftParam);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'not_found') throw e;
    }
  }
  const draft = view && view.application.status === 'draft' ? view : null;
  const [orgs, categories, upload, demoKeys] = await Promise.all([
    listSelectableExpertOrgs(db),
    db.select({ value: deadlineConfigs.category, label: deadlineConfigs.label }).from(deadlineConfigs).orderBy(asc(deadlineConfigs.label)),
    getUploadSettings(db),
    demoSignKeys(),
  ]);
  const a = draft?.application;
  const initial = a
    ? Object.fromEntries(
        Object.entries({
          objectName: a.objectName,
          region: a.region,
          address: a.address,
          category: a.category,
          workKind: a.workKind,
          financingSource: a.financingSource,
          expertOrgId: a.expertOrgId,
        }).filter(([, v]) => v !== null),
      )
    : {};

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold md:text-3xl">{t('wizard.title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('wizard.intro')}</p>
      </header>
      <ApplicationWizard
        draftId={draft?.application.id ?? null}
        initial={initial}
        categories={categories}
        orgs={orgs.map((o) => ({ orgId: o.orgId, name: o.name }))}
        certified={(draft?.documents ?? [])
          .filter((d) => d.issuedBy === 'applicant' && !d.annulledAt)
          .map((d) => ({ slot: d.slot, fileName: d.fileName, size: d.size, sha256: d.sha256, version: d.version }))}
        upload={upload}
        demoKeys={demoKeys}
        actions={{ saveDraft: saveDraftAction, certify: certifyDocumentAction, submit: submitApplicationAction }}
      />
    </div>
  );
}
