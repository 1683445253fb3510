/**
 * the operator's calendar edits as signed-action definitions. Kept out of the 'use server'
 * module (which may export only async functions) so that tests can run them through runSignedAction and the
 * page can hand the signed names to the forms.
 */
import { toAuditActor } from '@/lib/auth/policy';
import type { SignedActionDef } from '@/lib/auth/signed-action';
import { addCalendarDaySchema, removeCalendarDaySchema, updateCalendarDaySchema } from '@/lib/time/calendar-schemas';
import { addCalendarDay, removeCalendarDay, updateCalendarDay, type CalendarWriteResult } from '@/lib/time/calendar-store';

/** What the admin page shows after a change: the day and how many open deadlines move because of it. */
export type CalendarChange = { date: string; moved: string[] };

/** The names the operator's signatures cover (and the nonces are bound to). */
export const CALENDAR_ACTION_NAMES = { add: 'calendar.add', update: 'calendar.update', remove: 'calendar.remove' } as const;

const change = (date: string, r: CalendarWriteResult): CalendarChange => ({ date, moved: r.moved.map((m) => m.label) });

export const addCalendarDayDef: SignedActionDef<typeof addCalendarDaySchema, CalendarChange> = {
  schema: addCalendarDaySchema,
  action: 'calendar.manage',
  name: CALENDAR_ACTION_NAMES.add,
  fn: async ({ tx, principal, input, signatureId, requestId }) =>
    change(input.date, await addCalendarDay(tx, toAuditActor(principal), input, { signatureId, requestId })),
};

export const updateCalendarDayDef: SignedActionDef<typeof updateCalendarDaySchema, CalendarChange> = {
  schema: updateCalendarDaySchema,
  action: 'calendar.manage',
  name: CALENDAR_ACTION_NAMES.update,
  fn: async ({ tx, principal, input, signatureId, requestId }) =>
    change(input.date, await updateCalendarDay(tx, toAuditActor(principal), input, { signatureId, requestId })),
};

export const removeCalendarDayDef: SignedActionDef<typeof removeCalendarDaySchema, CalendarChange> = {
  schema: removeCalendarDaySchema,
  action: 'calendar.manage',
  name: CALENDAR_ACTION_NAMES.remove,
  fn: async ({ tx, principal, input, signatureId, requestId }) =>
    change(input.date, await removeCalendarDay(tx, toAuditActor(principal), input, { signatureId, requestId })),
};
