import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import { ImportForm } from '@/components/water/import-form';
import { getDb } from '@/db/client';
import { checkAccess } from '@/lib/actions/guard';
import { AppError } from '@/lib/errors';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { MAX_IMPORT_BYTES, MAX_IMPORT_LINES } from '@/lib/water/weather/csv';
import { importTargets, recentImports } from '@/lib/water/weather/import';
import { placeName } from '@/lib/water/names';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('waterImport'))('title') };
}

/** Issue 6 part 5: CSV import of hourly history and weather for utilities and operators (W-16 scoped). */
export default async function WaterImportPage() {
  const access = await checkAccess('water.import');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const t = await getTranslations('waterImport');
  const locale = (await getLocale()) as TimeLocale;
  const db = getDb();
  let targets: Awaited<ReturnType<typeof importTargets>>;
  try {
    targets = await importTargets(db, access.principal);
  } catch (e) {
    if (e instanceof AppError && e.code === 'forbidden') return <AccessDenied reason="forbidden" />;
    throw e;
  }
  const recent = await recentImports(db, access.principal);
  const cell = 'border-b border-slate-200 px-2 py-1 text-left align-top';
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p>{t('intro', { maxMb: Math.round(MAX_IMPORT_BYTES / 1024 / 1024), maxLines: MAX_IMPORT_LINES })}</p>

      <ImportForm />

      <section aria-labelledby="formats-h" className="space-y-2">
        <h2 id="formats-h" className="text-lg font-semibold">{t('formats.title')}</h2>
        <p className="text-sm">{t('formats.common')}</p>
        <h3 className="font-medium">{t('kinds.history')}</h3>
        <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-sm" tabIndex={0}>
          {'object,metric,ts,value,unit\n<object id>,flow,2025-06-01 10:00,120.5,m3/h\n<object id>,consumption,2025-06-01 10:00,98,m3'}
        </pre>
        <p className="text-sm">{t('formats.history')}</p>
        <h3 className="font-medium">{t('kinds.weather')}</h3>
        <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-sm" tabIndex={0}>
          {'region,ts,temperature,precipitation,kind\n710000000,2025-06-01 10:00,21.5,0,observed\n710000000,2025-06-08 10:00,24,0.4,forecast'}
        </pre>
        <p className="text-sm">{t('formats.weather')}</p>
      </section>

      <section aria-labelledby="ids-h" className="space-y-2">
        <h2 id="ids-h" className="text-lg font-semibold">{t('ids.title')}</h2>
        <details>
          <summary className="cursor-pointer">{t('ids.objects', { n: targets.objects.length })}</summary>
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('ids.objectsTable')}>
            <table className="min-w-full text-sm">
              <thead>
                <tr>
                  <th className={cell}>{t('ids.entity')}</th>
                  <th className={cell}>{t('ids.name')}</th>
                  <th className={cell}>{t('ids.id')}</th>
                </tr>
              </thead>
              <tbody>
                {targets.objects.map((o) => (
                  <tr key={o.id}>
                    <td className={cell}>{o.entity}</td>
                    <td className={cell}>{o.name}</td>
                    <td className={`${cell} font-mono break-all`}>{o.id}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
        <details>
          <summary className="cursor-pointer">{t('ids.regions', { n: targets.regions.length })}</summary>
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('ids.regionsTable')}>
            <table className="min-w-full text-sm">
              <thead>
                <tr>
                  <th className={cell}>{t('ids.name')}</th>
                  <th className={cell}>{t('ids.code')}</th>
                </tr>
              </thead>
              <tbody>
                {targets.regions.map((r) => (
                  <tr key={r.id}>
                    <td className={cell}>{placeName(r, locale)}</td>
                    <td className={`${cell} font-mono`}>{r.code}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section aria-labelledby="recent-h" className="space-y-2">
        <h2 id="recent-h" className="text-lg font-semibold">{t('recent.title')}</h2>
        {recent.length === 0 ? (
          <p>{t('recent.none')}</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('recent.title')}>
            <table className="min-w-full text-sm" data-testid="recent-imports">
              <thead>
                <tr>
                  <th className={cell}>{t('recent.at')}</th>
                  <th className={cell}>{t('recent.kind')}</th>
                  <th className={cell}>{t('recent.file')}</th>
                  <th className={cell}>{t('recent.status')}</th>
                  <th className={cell}>{t('recent.counts')}</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((r) => (
                  <tr key={r.id}>
                    <td className={cell}>{formatAstana(r.importedAt, locale)}</td>
                    <td className={cell}>{t(`kinds.${r.kind}`)}</td>
                    <td className={`${cell} break-all`}>{r.fileName ?? '—'}</td>
                    <td className={cell}>{t(`status.${r.status as 'applied' | 'refused'}`)}</td>
                    <td className={cell}>
                      {r.status === 'applied'
                        ? t('recent.applied', { lines: r.lines, inserted: r.inserted, updated: r.updated })
                        : t('recent.refused', { errors: r.errorCount })}
                    </td>
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
