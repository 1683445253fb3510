import { demoSignKeys } from '@/components/eds/demo-keys';
import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { BackToAdmin } from '@/components/admin/back-link';
import { CalendarDayForm, RemoveDayForm } from '@/components/admin/calendar-forms';
import { MonthGrid } from '@/components/admin/month-grid';
import { addCalendarDayAction, removeCalendarDayAction, updateCalendarDayAction } from '@/lib/actions/calendar';
import { CALENDAR_ACTION_NAMES } from '@/lib/actions/calendar-signed';
import { checkAccess } from '@/lib/actions/guard';
import { astanaDateOf, DAY_MS, dayNumber, formatIsoDate } from '@/lib/time/astana';
import { WorkingCalendar } from '@/lib/time/calendar';
import { listCalendarDays } from '@/lib/time/calendar-store';
import { now } from '@/lib/time/clock';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('calendar'))('title') };
}

type Search = Record<string, string | string[] | undefined>;

/** EDS test mode: the demo SIGN keys for <SignButton> (their passwords are public demo data). */

export default async function CalendarAdminPage({ searchParams }: { searchParams: Promise<Search> }) {
  const access = await checkAccess('calendar.manage');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const [t, locale, sp] = await Promise.all([getTranslations('calendar'), getLocale(), searchParams]);
  const currentYear = Number(astanaDateOf(now()).slice(0, 4));
  const asked = Number(Array.isArray(sp.year) ? sp.year[0] : sp.year);
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : currentYear;
  const [days, demoKeys] = await Promise.all([listCalendarDays(getDb(), { year }), demoSignKeys()]);
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });

  return (
    <div className="space-y-8">
      <BackToAdmin />
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
      </header>

      <form method="get" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="cal-year" className="block text-sm font-medium">
            {t('year')}
          </label>
          <input id="cal-year" name="year" type="number" min={2000} max={2100} defaultValue={year} className="mt-1 w-28 rounded border border-slate-500 px-2 py-1" />
        </div>
        <button type="submit" className="rounded border border-slate-500 px-4 py-1.5">
          {t('show')}
        </button>
      </form>

      <section aria-labelledby="cal-list" className="space-y-3">
        <h2 id="cal-list" className="text-xl font-semibold">
          {t('listHeading', { year })}
        </h2>
        {days.length === 0 ? (
          <p>{t('empty')}</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-300" data-testid="calendar-days">
            {days.map((d) => (
              <li key={d.date} className="space-y-2 p-3" data-date={d.date}>
                <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                  <span className="font-semibold tabular-nums">
                    <time dateTime={d.date}>{formatIsoDate(d.date)}</time>
                  </span>
                  <span className="text-slate-700">{weekday.format(new Date(dayNumber(d.date) * DAY_MS))}</span>
                  <span className="rounded bg-slate-100 px-2 py-0.5 text-sm">{t(`kinds.${d.kind}`)}</span>
                  {d.preliminary && <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold uppercase text-amber-900">{t('preliminary')}</span>}
                </div>
                <p>{d.name}</p>
                {d.reason && (
                  <p className="text-sm text-slate-700">
                    {t('columns.reason')}: {d.reason}
                  </p>
                )}
                <details>
                  <summary className="cursor-pointer text-sm text-sky-800 underline">
                    {t('edit')}
                    <span className="sr-only"> {formatIsoDate(d.date)}</span>
                  </summary>
                  <div className="mt-3 space-y-6 border-l-2 border-slate-300 pl-3">
                    <CalendarDayForm
                      mode="edit"
                      initial={{ date: d.date, kind: d.kind, name: d.name, reason: '', preliminary: d.preliminary }}
                      action={updateCalendarDayAction}
                      actionName={CALENDAR_ACTION_NAMES.update}
                      demoKeys={demoKeys}
                    />
                    <div>
                      <h3 className="font-medium">{t('removeHeading', { date: formatIsoDate(d.date) })}</h3>
                      <RemoveDayForm date={d.date} action={removeCalendarDayAction} actionName={CALENDAR_ACTION_NAMES.remove} demoKeys={demoKeys} />
                    </div>
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="cal-add" className="space-y-3 rounded-lg border border-slate-300 p-4">
        <h2 id="cal-add" className="text-xl font-semibold">
          {t('addHeading')}
        </h2>
        <CalendarDayForm mode="add" action={addCalendarDayAction} actionName={CALENDAR_ACTION_NAMES.add} demoKeys={demoKeys} />
      </section>

      <MonthGrid
        year={year}
        calendar={new WorkingCalendar(days)}
        locale={locale}
        labels={{ working: t('working'), nonWorking: t('nonWorking'), heading: t('monthHeading') }}
      />
    </div>
  );
}
