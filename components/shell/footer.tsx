import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { loadSupportCalendar } from '@/lib/time/calendar-store';
import { SUPPORT_SYSTEMS, supportContacts } from './support';

type Hours = { system: (typeof SUPPORT_SYSTEMS)[number]; intervals: { start: string; end: string }[] };

/** each system's support hours, read from its support calendar. Null when the database cannot answer. */
async function loadHours(): Promise<Hours[] | null> {
  try {
    const db = getDb();
    const rows = await Promise.all(SUPPORT_SYSTEMS.map((s) => loadSupportCalendar(db, s)));
    return rows.flatMap((r, i) => (r ? [{ system: SUPPORT_SYSTEMS[i], intervals: [...r.intervals] }] : []));
  } catch (e) {
    // The footer must never take the page down; the message below tells the user.
    console.error('[footer] support calendars unavailable', e);
    return null;
  }
}

export async function SiteFooter() {
  const [t, hours] = await Promise.all([getTranslations('footer'), loadHours()]);
  const { phone, email } = supportContacts();
  return (
    <footer className="mt-12 border-t border-slate-300 bg-slate-100 text-slate-800">
      <div className="mx-auto grid max-w-6xl gap-6 px-4 py-8 md:grid-cols-2">
        <section aria-labelledby="footer-support">
          <h2 id="footer-support" className="text-base font-semibold">
            {t('support')}
          </h2>
          <dl className="mt-2 space-y-1 text-sm">
            <div>
              <dt className="inline font-medium">{t('phone')}: </dt>
              <dd className="inline">
                <a className="text-sky-800 underline" href={`tel:${phone.replace(/\s+/g, '')}`}>
                  {phone}
                </a>
              </dd>
            </div>
            <div>
              <dt className="inline font-medium">{t('email')}: </dt>
              <dd className="inline">
                <a className="text-sky-800 underline" href={`mailto:${email}`}>
                  {email}
                </a>
              </dd>
            </div>
          </dl>
          <p className="mt-2 text-sm">{t('emailNote')}</p>
        </section>
        <section aria-labelledby="footer-hours" data-testid="support-hours">
          <h2 id="footer-hours" className="text-base font-semibold">
            {t('hours')}
          </h2>
          {hours === null ? (
            <p className="mt-2 text-sm">{t('hoursUnavailable')}</p>
          ) : (
            <ul className="mt-2 space-y-1 text-sm">
              {hours.map((h) => (
                <li key={h.system}>
                  <span className="font-medium">{t(`systems.${h.system}`)}: </span>
                  {h.intervals.map((iv) => `${iv.start}–${iv.end}`).join(', ')}
                </li>
              ))}
            </ul>
          )}
          <p className="mt-2 text-sm">{t('hoursNote')}</p>
        </section>
      </div>
      <p className="border-t border-slate-300 py-3 text-center text-xs">{t('rights')}</p>
    </footer>
  );
}
