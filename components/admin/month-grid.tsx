import { DAY_MS, dayNumber, weekdayOfDay } from '@/lib/time/astana';
import type { WorkingCalendar } from '@/lib/time/calendar';

/**
 * a year's months with each day marked working or not (weekends, holidays, transferred days off;
 * working weekend days count as working). Dates are Astana calendar dates, formatted as UTC dates so the
 * server's time zone never shifts them.
 */
export function MonthGrid({ year, calendar, locale, labels }: { year: number; calendar: WorkingCalendar; locale: string; labels: { working: string; nonWorking: string; heading: string } }) {
  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  const weekdayName = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  // 2024-01-01 was a Monday: the header row Mon..Sun.
  const weekdays = Array.from({ length: 7 }, (_, i) => weekdayName.format(new Date(Date.UTC(2024, 0, 1 + i))));
  return (
    <section aria-labelledby="months-heading" className="space-y-3">
      <h2 id="months-heading" className="text-xl font-semibold">
        {labels.heading}
      </h2>
      <p className="flex flex-wrap gap-4 text-sm">
        <span className="inline-flex items-center gap-1">
          <span aria-hidden className="inline-block h-4 w-4 rounded border border-slate-400 bg-white" /> {labels.working}
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden className="inline-block h-4 w-4 rounded bg-rose-200" /> {labels.nonWorking}
        </span>
      </p>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {Array.from({ length: 12 }, (_, m) => {
          const first = dayNumber(`${year}-${String(m + 1).padStart(2, '0')}-01`);
          const days = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
          const lead = weekdayOfDay(first) - 1;
          const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: days }, (_, i) => first + i)];
          while (cells.length % 7) cells.push(null);
          const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
          return (
            <table key={m} className="w-full table-fixed border-collapse text-center text-sm">
              <caption className="pb-1 text-left font-medium capitalize">{monthName.format(new Date(first * DAY_MS))}</caption>
              <thead>
                <tr>
                  {weekdays.map((w) => (
                    <th key={w} scope="col" className="font-normal text-slate-700">
                      {w}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weeks.map((week, i) => (
                  <tr key={i}>
                    {week.map((d, j) => {
                      if (d === null) return <td key={j} />;
                      const working = calendar.isWorkingDayNumber(d);
                      return (
                        <td key={j} className={working ? 'p-0.5' : 'rounded bg-rose-200 p-0.5 font-semibold text-rose-950'} data-working={working}>
                          {new Date(d * DAY_MS).getUTCDate()}
                          <span className="sr-only"> {working ? labels.working : labels.nonWorking}</span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          );
        })}
      </div>
    </section>
  );
}
