/**
 * Input of the operator's calendar edits, shared by the admin forms and lib/time/calendar-store.ts.
 * Every edit carries a reason (the decree or order), which goes into the audit journal as its basis.
 */
import { z } from 'zod';
import { isIsoDate } from './astana';
import { supportIntervalsProblem } from './business-hours';
import { CALENDAR_EXCEPTION_KINDS } from './calendar';

const required = (what: string) => z.string().trim().min(1, `${what} is required`);

export const isoDateSchema = z
  .string()
  .trim()
  .refine((v) => isIsoDate(v), 'must be a date YYYY-MM-DD');

export const calendarDayKindSchema = z.enum(CALENDAR_EXCEPTION_KINDS);

export const calendarDayInputSchema = z.object({
  date: isoDateSchema,
  kind: calendarDayKindSchema,
  name: required('name').max(200),
  reason: required('reason').max(1000),
  preliminary: z.boolean().default(false),
});
export type CalendarDayInput = z.input<typeof calendarDayInputSchema>;

/** Add a day: the date must not be in the table yet. */
export const addCalendarDaySchema = calendarDayInputSchema;
/** Update the day at `date` (a date cannot be moved: remove it and add another). */
export const updateCalendarDaySchema = calendarDayInputSchema;
export const removeCalendarDaySchema = z.object({ date: isoDateSchema, reason: required('reason').max(1000) });
export type RemoveCalendarDayInput = z.input<typeof removeCalendarDaySchema>;

const hhmm = z.string().trim().regex(/^\d{2}:\d{2}$/, 'must be a time HH:mm');

export const supportIntervalsSchema = z
  .array(z.object({ start: hhmm, end: hhmm }))
  .superRefine((intervals, ctx) => {
    const problem = supportIntervalsProblem(intervals);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const updateSupportCalendarSchema = z.object({
  system: required('system').max(50),
  name: required('name').max(200).optional(),
  intervals: supportIntervalsSchema,
  reason: required('reason').max(1000),
});
export type UpdateSupportCalendarInput = z.input<typeof updateSupportCalendarSchema>;
