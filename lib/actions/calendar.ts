'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db/client';
import { runAction, type ActionResult } from '@/lib/actions';
import { requirePermission, toAuditActor } from '@/lib/auth/policy';
import {
  addCalendarDaySchema,
  removeCalendarDaySchema,
  updateCalendarDaySchema,
  type CalendarDayInput,
  type RemoveCalendarDayInput,
} from '@/lib/time/calendar-schemas';
import { addCalendarDay, removeCalendarDay, updateCalendarDay } from '@/lib/time/calendar-store';

/** What the admin page shows after a change: the day and how many open deadlines move because of it. */
export type CalendarChange = { date: string; moved: string[] };

/**
 * X-2 operator edits of the working calendar. Each action authorises on the server, re-validates with the
 * same zod schema the form used, and lets the store write the change and its audit row.
 */
export async function addCalendarDayAction(input: CalendarDayInput): Promise<ActionResult<CalendarChange>> {
  return runAction(addCalendarDaySchema, input, async (data) => {
    const p = await requirePermission('calendar.manage');
    const r = await addCalendarDay(getDb(), toAuditActor(p), data);
    revalidatePath('/admin/calendar');
    return { date: data.date, moved: r.moved.map((m) => m.label) };
  });
}

export async function updateCalendarDayAction(input: CalendarDayInput): Promise<ActionResult<CalendarChange>> {
  return runAction(updateCalendarDaySchema, input, async (data) => {
    const p = await requirePermission('calendar.manage');
    const r = await updateCalendarDay(getDb(), toAuditActor(p), data);
    revalidatePath('/admin/calendar');
    return { date: data.date, moved: r.moved.map((m) => m.label) };
  });
}

export async function removeCalendarDayAction(input: RemoveCalendarDayInput): Promise<ActionResult<CalendarChange>> {
  return runAction(removeCalendarDaySchema, input, async (data) => {
    const p = await requirePermission('calendar.manage');
    const r = await removeCalendarDay(getDb(), toAuditActor(p), data);
    revalidatePath('/admin/calendar');
    return { date: data.date, moved: r.moved.map((m) => m.label) };
  });
}
