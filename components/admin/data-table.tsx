import type { ReactNode } from 'react';
import { EmptyState } from './page-header';

/** One column of a DataTable: its header and how a row's cell is drawn. */
export type Column<T> = {
  /** Unique within the table (the React key). */
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Numbers: header and cells right-aligned. */
  numeric?: boolean;
  /** Extra classes for this column's cells, e.g. 'font-mono', 'whitespace-nowrap', 'tabular-nums'. */
  className?: string;
  /** The cell that names the row (th scope="row"), for screen readers moving along a row. */
  rowHeader?: boolean;
};

/** Data attributes a row carries for scripts and tests (data-bin, data-state …). */
export type RowData = { [name: `data-${string}`]: string | number | undefined };

// Literal classes, so that Tailwind finds them.
const MIN_WIDTH = { 36: 'min-w-[36rem]', 40: 'min-w-[40rem]', 44: 'min-w-[44rem]', 48: 'min-w-[48rem]', 52: 'min-w-[52rem]' } as const;

/**
 * A data table as the admin pages draw it: a (screen-reader) caption, column headers, one row per item. On a
 * phone the table keeps its minimum width and scrolls sideways inside a focusable region named by the caption
 * (keyboard users scroll it too). With no rows it shows `empty` instead. Server-safe: no hooks, no state.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  rowData,
  minWidthRem,
  testId,
  empty,
  emptyTestId,
}: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  rowData?: (row: T) => RowData;
  /** The width below which the table scrolls instead of squeezing its columns. */
  minWidthRem?: keyof typeof MIN_WIDTH;
  testId?: string;
  empty?: ReactNode;
  emptyTestId?: string;
}) {
  if (rows.length === 0 && empty !== undefined) return <EmptyState testId={emptyTestId}>{empty}</EmptyState>;
  const cellClass = (c: Column<T>) => ['p-2', c.numeric && 'text-right', c.rowHeader && 'font-medium', c.className].filter(Boolean).join(' ');
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
      <table className={`w-full ${minWidthRem ? MIN_WIDTH[minWidthRem] : ''} border-collapse text-left text-sm`} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-400">
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'p-2 text-right' : 'p-2'}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className="border-b border-slate-200 align-top" {...rowData?.(row)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.key} scope="row" className={cellClass(c)}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.key} className={cellClass(c)}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
