import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import type { Locale } from '@/lib/i18n/config';
import { upcomingWindows, type MaintenanceWindow } from '@/lib/incidents/maintenance';
import { bannerIncidents, type BannerIncident } from '@/lib/incidents/service';
import { formatAstana } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';

async function load(): Promise<{ incidents: BannerIncident[]; windows: MaintenanceWindow[] } | null> {
  try {
    const db = getDb();
    const at = now();
    const [incidents, windows] = await Promise.all([bannerIncidents(db, at), upcomingWindows(db, at)]);
    return { incidents, windows };
  } catch (e) {
    // The banner must never take the page down.
    console.error('[banner] incidents unavailable', e);
    return null;
  }
}

/**
 * I-12: the notice of a confirmed high failure (planned fix; then the actual fix and the extensions), and I-18
 * upcoming maintenance, on every page.
 */
export async function SiteBanner() {
  const data = await load();
  if (!data || (!data.incidents.length && !data.windows.length)) return null;
  const [t, locale] = await Promise.all([getTranslations('incidents'), getLocale()]);
  const l: Locale = locale === 'ru' || locale === 'en' ? locale : 'kk';
  return (
    <div className="border-b border-amber-500 bg-amber-50 text-slate-900" role="region" aria-label={t('banner.label')} data-testid="site-banner">
      <ul className="mx-auto max-w-6xl space-y-1 px-4 py-2 text-sm">
        {data.incidents.map((i) => (
          <li key={i.id} data-testid="banner-incident" data-incident-id={i.id}>
            <span className="font-semibold">{i.fixedAt ? t('banner.fixedTitle') : t('banner.failureTitle')}</span>{' '}
            {i.fixedAt
              ? t('banner.fixed', { component: t(`component.${i.component}`), number: i.number ?? '—', at: formatAstana(i.fixedAt, l), days: i.extensionDays ?? 0 })
              : t('banner.failure', { component: t(`component.${i.component}`), number: i.number ?? '—', at: i.plannedFixAt ? formatAstana(i.plannedFixAt, l) : '—' })}
          </li>
        ))}
        {data.windows.map((w) => (
          <li key={w.id} data-testid="banner-maintenance">
            <span className="font-semibold">{t('banner.maintenanceTitle')}</span>{' '}
            {t('banner.maintenance', { component: t(`component.${w.component}`), start: formatAstana(w.startsAt, l), end: formatAstana(w.endsAt, l) })}{' '}
            <Link href="/maintenance" className="text-sky-800 underline">
              {t('banner.more')}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
