import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import type { Column } from './data-table';

/** Columns the journals of users' actions share (the audit log, the oversight view). */

/** When: Astana time to the second, machine-readable in `dateTime`. */
export function atColumn<T extends { at: Date }>(header: string, locale: TimeLocale): Column<T> {
  return {
    key: 'at',
    header,
    className: 'whitespace-nowrap',
    cell: (r) => <time dateTime={r.at.toISOString()}>{formatAstana(r.at, locale, { seconds: true })}</time>,
  };
}

/** What: the entity's type and, under it, its id. */
export function entityColumn<T extends { entityType: string; entityId: string | null }>(header: string): Column<T> {
  return {
    key: 'entity',
    header,
    cell: (r) => (
      <>
        <span className="font-mono">{r.entityType}</span>
        {r.entityId && <div className="break-all font-mono text-slate-700">{r.entityId}</div>}
      </>
    ),
  };
}
