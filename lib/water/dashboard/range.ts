/**
 * The dashboards' time ranges (W-2, W-27). Ranges up to 7 days read the hourly rollups, longer ones the daily
 * rollups (Astana calendar days). Pure: callers pass `at`.
 */
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { HOUR_MS, addDays, astanaDateOf, astanaMidnight, isIsoDate } from '@/lib/time/astana';

export const RANGE_KEYS = ['24h', '7d', '30d', 'custom'] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];
export type Granularity = 'hour' | 'day';
export type TimeRange = { key: RangeKey; from: Date; to: Date; granularity: Granularity; hours: number };

/** Longest custom range (days). */
export const MAX_RANGE_DAYS = 366;

const rangeSchema = z.object({
  range: z.enum(RANGE_KEYS).default('24h'),
  from: z.string().refine(isIsoDate, 'not a date').optional(),
  to: z.string().refine(isIsoDate, 'not a date').optional(),
});

export type RangeInput = { range?: string | null; from?: string | null; to?: string | null };

/** The range from query parameters (`range=24h|7d|30d|custom`, custom with `from`/`to` Astana dates, inclusive). */
export function resolveRange(input: RangeInput, at: Date): TimeRange {
  const parsed = rangeSchema.safeParse({
    range: input.range || undefined,
    from: input.from || undefined,
    to: input.to || undefined,
  });
  if (!parsed.success) throw new AppError('validation_failed', 'The time range is not valid.', { range: 'not valid' });
  const { range, from, to } = parsed.data;
  // Ranges end at the end of the current hour (hourly) or of the current Astana day (daily).
  const hourEnd = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  const dayEnd = astanaMidnight(addDays(astanaDateOf(at), 1));
  const make = (key: RangeKey, f: Date, t: Date, g: Granularity): TimeRange => ({
    key,
    from: f,
    to: t,
    granularity: g,
    hours: (t.getTime() - f.getTime()) / HOUR_MS,
  });
  if (range === '24h') return make('24h', new Date(hourEnd.getTime() - 24 * HOUR_MS), hourEnd, 'hour');
  if (range === '7d') return make('7d', new Date(hourEnd.getTime() - 168 * HOUR_MS), hourEnd, 'hour');
  if (range === '30d') return make('30d', astanaMidnight(addDays(astanaDateOf(at), -29)), dayEnd, 'day');
  if (!from || !to || to < from) {
    throw new AppError('validation_failed', 'A custom range needs from ≤ to (dates).', { from: 'required', to: 'required' });
  }
  const f = astanaMidnight(from);
  const t = astanaMidnight(addDays(to, 1));
  const days = (t.getTime() - f.getTime()) / (24 * HOUR_MS);
  if (days > MAX_RANGE_DAYS) throw new AppError('validation_failed', `A range is at most ${MAX_RANGE_DAYS} days.`, { to: 'too long' });
  return make('custom', f, t, days <= 7 ? 'hour' : 'day');
}

/** The range as query parameters (for links and the API). */
export function rangeQuery(r: Pick<TimeRange, 'key' | 'from' | 'to'>): string {
  if (r.key !== 'custom') return `range=${r.key}`;
  const to = new Date(r.to.getTime() - 1);
  return `range=custom&from=${astanaDateOf(r.from)}&to=${astanaDateOf(to)}`;
}
