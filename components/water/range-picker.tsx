import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { astanaDateOf, formatAstana, type TimeLocale } from '@/lib/time/astana';
import { RANGE_KEYS, type RangeKey } from '@/lib/water/dashboard/range';

/**
 * The time-range picker: preset links (24 h, 7 d, 30 d) and a custom range form (Astana dates). Plain links
 * and a GET form, so it works before the page's JavaScript loads.
 */
export function RangePicker({ path, range }: { path: string; range: { key: RangeKey; from: string; to: string } }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale() as TimeLocale;
  const lastDay = astanaDateOf(new Date(Date.parse(range.to) - 1));
  return (
    <section aria-label={t('range.label')} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-300 p-3">
      <ul className="flex flex-wrap gap-2" role="list">
        {RANGE_KEYS.filter((k) => k !== 'custom').map((k) => (
          <li key={k}>
            <Link
              href={`${path}?range=${k}`}
              aria-current={range.key === k ? 'true' : undefined}
              className={`inline-block rounded border px-3 py-1 text-sm ${range.key === k ? 'border-sky-800 bg-sky-800 text-white' : 'border-slate-400 text-slate-900 hover:bg-slate-100'}`}
            >
              {t(`range.${k}`)}
            </Link>
          </li>
        ))}
      </ul>
      <form method="get" action={path} className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="range" value="custom" />
        <label className="flex flex-col text-sm">
          {t('range.from')}
          <input type="date" name="from" required defaultValue={astanaDateOf(new Date(range.from))} className="rounded border border-slate-400 px-2 py-1" />
        </label>
        <label className="flex flex-col text-sm">
          {t('range.to')}
          <input type="date" name="to" required defaultValue={lastDay} className="rounded border border-slate-400 px-2 py-1" />
        </label>
        <button type="submit" className="rounded bg-sky-800 px-3 py-1 text-sm font-medium text-white hover:bg-sky-900">
          {t('range.custom')}: {t('range.apply')}
        </button>
      </form>
      <p className="w-full text-sm text-slate-700">
        {t('range.shown', {
          from: formatAstana(new Date(range.from), locale, { zone: false }),
          to: formatAstana(new Date(range.to), locale, { zone: false }),
        })}
      </p>
    </section>
  );
}
