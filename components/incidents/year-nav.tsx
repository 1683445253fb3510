import Link from 'next/link';
import { astanaDateOf } from '@/lib/time/astana';

/** The plan year asked for in the address (`?year=`), else the current Astana year. */
export function planYear(param: string | string[] | undefined, at: Date): number {
  const raw = Number(Array.isArray(param) ? param[0] : param);
  return Number.isInteger(raw) && raw >= 2024 && raw <= 2100 ? raw : Number(astanaDateOf(at).slice(0, 4));
}

/** Links to the previous, this and the next year's plan on `path` (the shown year marked as the current page). */
export function YearNav({ path, year, label, children }: { path: string; year: number; label: string; children?: React.ReactNode }) {
  return (
    <nav className="flex gap-3" aria-label={label}>
      {[year - 1, year, year + 1].map((y) => (
        <Link key={y} href={`${path}?year=${y}`} aria-current={y === year ? 'page' : undefined} className={y === year ? 'font-semibold' : 'text-sky-800 underline'}>
          {y}
        </Link>
      ))}
      {children}
    </nav>
  );
}
