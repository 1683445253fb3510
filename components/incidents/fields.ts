import type { FieldSpec } from './signed-form';

/**
 * A moment asked as two fields of a signed form: `<prefix>Date` and `<prefix>Time` (Astana time; the hint, when
 * given, says so under the date). Server-safe: the pages build their field lists with it.
 */
export function dateTimeFields(prefix: string, dateLabel: string, timeLabel: string, hint?: string): FieldSpec[] {
  return [
    { name: `${prefix}Date`, label: dateLabel, kind: 'date', ...(hint ? { hint } : {}) },
    { name: `${prefix}Time`, label: timeLabel, kind: 'time' },
  ];
}
