import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import type { LocalizedText } from '@/db/schema/registration';
import { FORM_KINDS, type FormKind } from '@/db/schema/registration-values';
import { AccessDenied } from '@/components/admin/access-denied';
import { PublishFormForm } from '@/components/admin/accreditation-forms';
import { BackToAdmin } from '@/components/admin/back-link';
import { DataTable, type Column } from '@/components/admin/data-table';
import { FilterForm, FilterSelect } from '@/components/admin/filter-form';
import { PageHeader, PageSection } from '@/components/admin/page-header';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { checkAccess } from '@/lib/actions/guard';
import { ADMIN_ACTION_NAMES } from '@/lib/registration/admin-actions';
import { countAcceptancesByVersion, listFormAcceptances, listFormVersions, type FormDocument } from '@/lib/registration/forms';
import { astanaDateOf, formatAstana, type TimeLocale } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { publishFormAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('formsAdmin'))('title') };
}

type Search = Record<string, string | string[] | undefined>;

const textIn = (x: LocalizedText, locale: string) => (locale === 'en' ? x.en : locale === 'ru' ? x.ru : x.kk) ?? x.ru ?? x.kk;

/** Which version of one kind is in force now: the latest whose date has come (as getFormInForce decides). */
function stateOf(versions: FormDocument[], at: Date): Map<string, 'inForce' | 'scheduled' | 'superseded'> {
  const started = versions.filter((v) => v.inForceFrom.getTime() <= at.getTime());
  const current = [...started].sort((a, b) => b.inForceFrom.getTime() - a.inForceFrom.getTime() || b.version - a.version)[0];
  return new Map(versions.map((v) => [v.id, v.inForceFrom.getTime() > at.getTime() ? 'scheduled' : v.id === current?.id ? 'inForce' : 'superseded']));
}

/** E-7: versioned forms — versions per kind, publishing a new one (signed), and who accepted which version. */
export default async function FormsAdminPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('forms.manage');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const db = getDb();
  const [t, locale, sp, demoKeys, counts] = await Promise.all([getTranslations('formsAdmin'), getLocale(), searchParams, demoSignKeys(), countAcceptancesByVersion(db)]);
  const askedKind = Array.isArray(sp.kind) ? sp.kind[0] : sp.kind;
  const kindFilter = (FORM_KINDS as readonly string[]).includes(askedKind ?? '') ? (askedKind as FormKind) : undefined;
  const at = now();
  const [versionsByKind, acceptances] = await Promise.all([
    Promise.all(FORM_KINDS.map(async (kind) => ({ kind, versions: await listFormVersions(db, kind) }))),
    listFormAcceptances(db, { kind: kindFilter, limit: 200 }),
  ]);
  const fmt = (d: Date) => formatAstana(d, locale as TimeLocale);
  const kindName = (k: FormKind) => t(`kinds.${k}`);

  const acceptanceColumns: Column<(typeof acceptances)[number]>[] = [
    { key: 'user', header: t('columns.user'), cell: (a) => a.userName },
    { key: 'iin', header: t('columns.iin'), className: 'font-mono tabular-nums', cell: (a) => a.userIin },
    { key: 'organisation', header: t('columns.organisation'), cell: (a) => (a.orgName ? `${a.orgName} (${a.orgBin})` : '—') },
    { key: 'form', header: t('columns.form'), cell: (a) => kindName(a.kind) },
    { key: 'version', header: t('columns.version'), className: 'tabular-nums', cell: (a) => a.version },
    { key: 'acceptedAt', header: t('columns.acceptedAt'), className: 'whitespace-nowrap', cell: (a) => fmt(a.acceptedAt) },
  ];

  return (
    <div className="space-y-8">
      <BackToAdmin />
      <PageHeader title={t('title')} intro={t('intro')} />

      <PageSection id="publish-heading" title={t('publishHeading')} boxed>
        <PublishFormForm today={astanaDateOf(at)} action={publishFormAction} actionName={ADMIN_ACTION_NAMES.publishForm} demoKeys={demoKeys} />
      </PageSection>

      {versionsByKind.map(({ kind, versions }) => {
        const state = stateOf(versions, at);
        const columns: Column<FormDocument>[] = [
          { key: 'version', header: t('columns.version'), className: 'tabular-nums', cell: (v) => v.version },
          {
            key: 'title',
            header: t('columns.title'),
            cell: (v) => (
              <>
                {textIn(v.title, locale)}
                <details>
                  <summary className="cursor-pointer text-sky-800 underline">{t('showText')}</summary>
                  <p className="mt-1 max-w-2xl whitespace-pre-wrap">{textIn(v.body, locale)}</p>
                </details>
              </>
            ),
          },
          { key: 'inForceFrom', header: t('columns.inForceFrom'), className: 'whitespace-nowrap', cell: (v) => fmt(v.inForceFrom) },
          { key: 'state', header: t('columns.state'), cell: (v) => t(`state.${state.get(v.id)!}`) },
          { key: 'acceptances', header: t('columns.acceptances'), numeric: true, className: 'tabular-nums', cell: (v) => counts.get(v.id) ?? 0 },
        ];
        return (
          <section key={kind} aria-labelledby={`kind-${kind}`} className="space-y-2" data-kind={kind}>
            <h2 id={`kind-${kind}`} className="text-lg font-semibold">
              {kindName(kind)}
            </h2>
            <DataTable
              caption={t('versionsCaption', { kind: kindName(kind) })}
              columns={columns}
              rows={versions}
              rowKey={(v) => v.id}
              rowData={(v) => ({ 'data-version': v.version, 'data-state': state.get(v.id) })}
              minWidthRem={40}
              empty={t('noVersions')}
            />
          </section>
        );
      })}

      <PageSection id="acceptances-heading" title={t('acceptancesHeading')}>
        <FilterForm submitLabel={t('show')} reset={kindFilter ? { href: '/admin/forms', label: t('allKinds') } : null}>
          <FilterSelect
            id="acc-kind"
            name="kind"
            label={t('filterKind')}
            defaultValue={kindFilter ?? ''}
            anyLabel={t('allKinds')}
            options={FORM_KINDS.map((k) => ({ value: k, label: kindName(k) }))}
          />
        </FilterForm>
        <DataTable
          caption={t('acceptancesCaption')}
          columns={acceptanceColumns}
          rows={acceptances}
          rowKey={(a) => a.id}
          minWidthRem={44}
          testId="acceptances-table"
          empty={t('noAcceptances')}
        />
      </PageSection>
    </div>
  );
}
