import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import type { LocalizedText } from '@/db/schema/registration';
import { AccessDenied } from '@/components/admin/access-denied';
import { PublishFormForm } from '@/components/admin/accreditation-forms';
import { BackToAdmin } from '@/components/admin/back-link';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { checkAccess } from '@/lib/actions/guard';
import { ADMIN_ACTION_NAMES } from '@/lib/registration/admin-actions';
import { FORM_KIND_OPTIONS } from '@/lib/registration/admin-schemas';
import { countAcceptancesByVersion, listFormAcceptances, listFormVersions, type FormDocument } from '@/lib/registration/forms';
import { astanaDateOf, formatAstana, type TimeLocale } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { publishFormAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('formsAdmin'))('title') };
}

type Search = Record<string, string | string[] | undefined>;
type Kind = (typeof FORM_KIND_OPTIONS)[number];

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
  const kindFilter = (FORM_KIND_OPTIONS as readonly string[]).includes(askedKind ?? '') ? (askedKind as Kind) : undefined;
  const at = now();
  const [versionsByKind, acceptances] = await Promise.all([
    Promise.all(FORM_KIND_OPTIONS.map(async (kind) => ({ kind, versions: await listFormVersions(db, kind) }))),
    listFormAcceptances(db, { kind: kindFilter, limit: 200 }),
  ]);
  const fmt = (d: Date) => formatAstana(d, locale as TimeLocale);

  return (
    <div className="space-y-8">
      <BackToAdmin />
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
      </header>

      <section aria-labelledby="publish-heading" className="rounded-lg border border-slate-300 p-4">
        <h2 id="publish-heading" className="mb-3 text-xl font-semibold">
          {t('publishHeading')}
        </h2>
        <PublishFormForm today={astanaDateOf(at)} action={publishFormAction} actionName={ADMIN_ACTION_NAMES.publishForm} demoKeys={demoKeys} />
      </section>

      {versionsByKind.map(({ kind, versions }) => {
        const state = stateOf(versions, at);
        const caption = t('versionsCaption', { kind: t(`kinds.${kind}`) });
        return (
          <section key={kind} aria-labelledby={`kind-${kind}`} className="space-y-2" data-kind={kind}>
            <h2 id={`kind-${kind}`} className="text-lg font-semibold">
              {t(`kinds.${kind}`)}
            </h2>
            {versions.length === 0 ? (
              <p>{t('noVersions')}</p>
            ) : (
              <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
                <table className="w-full min-w-[40rem] border-collapse text-left text-sm">
                  <caption className="sr-only">{caption}</caption>
                  <thead>
                    <tr className="border-b border-slate-400">
                      <th scope="col" className="p-2">{t('columns.version')}</th>
                      <th scope="col" className="p-2">{t('columns.title')}</th>
                      <th scope="col" className="p-2">{t('columns.inForceFrom')}</th>
                      <th scope="col" className="p-2">{t('columns.state')}</th>
                      <th scope="col" className="p-2 text-right">{t('columns.acceptances')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {versions.map((v) => (
                      <tr key={v.id} className="border-b border-slate-200 align-top" data-version={v.version} data-state={state.get(v.id)}>
                        <td className="p-2 tabular-nums">{v.version}</td>
                        <td className="p-2">
                          {textIn(v.title, locale)}
                          <details>
                            <summary className="cursor-pointer text-sky-800 underline">{t('showText')}</summary>
                            <p className="mt-1 max-w-2xl whitespace-pre-wrap">{textIn(v.body, locale)}</p>
                          </details>
                        </td>
                        <td className="p-2 whitespace-nowrap">{fmt(v.inForceFrom)}</td>
                        <td className="p-2">{t(`state.${state.get(v.id)!}`)}</td>
                        <td className="p-2 text-right tabular-nums">{counts.get(v.id) ?? 0}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}

      <section aria-labelledby="acceptances-heading" className="space-y-3">
        <h2 id="acceptances-heading" className="text-xl font-semibold">
          {t('acceptancesHeading')}
        </h2>
        <form method="get" className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="acc-kind" className="block text-sm font-medium">
              {t('filterKind')}
            </label>
            <select id="acc-kind" name="kind" defaultValue={kindFilter ?? ''} className="mt-1 rounded border border-slate-500 bg-white px-2 py-1">
              <option value="">{t('allKinds')}</option>
              {FORM_KIND_OPTIONS.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="rounded border border-slate-500 px-4 py-1.5">
            {t('show')}
          </button>
          {kindFilter && (
            <Link href="/admin/forms" className="px-2 py-1.5 text-sky-800 underline">
              {t('allKinds')}
            </Link>
          )}
        </form>
        {acceptances.length === 0 ? (
          <p>{t('noAcceptances')}</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('acceptancesCaption')}>
            <table className="w-full min-w-[44rem] border-collapse text-left text-sm" data-testid="acceptances-table">
              <caption className="sr-only">{t('acceptancesCaption')}</caption>
              <thead>
                <tr className="border-b border-slate-400">
                  <th scope="col" className="p-2">{t('columns.user')}</th>
                  <th scope="col" className="p-2">{t('columns.iin')}</th>
                  <th scope="col" className="p-2">{t('columns.organisation')}</th>
                  <th scope="col" className="p-2">{t('columns.form')}</th>
                  <th scope="col" className="p-2">{t('columns.version')}</th>
                  <th scope="col" className="p-2">{t('columns.acceptedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {acceptances.map((a) => (
                  <tr key={a.id} className="border-b border-slate-200">
                    <td className="p-2">{a.userName}</td>
                    <td className="p-2 font-mono tabular-nums">{a.userIin}</td>
                    <td className="p-2">{a.orgName ? `${a.orgName} (${a.orgBin})` : '—'}</td>
                    <td className="p-2">{t(`kinds.${a.kind}`)}</td>
                    <td className="p-2 tabular-nums">{a.version}</td>
                    <td className="p-2 whitespace-nowrap">{fmt(a.acceptedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
