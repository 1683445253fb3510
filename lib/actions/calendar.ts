'use server';

import { revalidatePath } from 'next/cache';
import { signedActionOf, type SignedActionResult, type SignedPayload } from '@/lib/auth/signed-action';
import { invalidateCalendarCache } from '@/lib/time/calendar-store';
import { addCalendarDayDef, removeCalendarDayDef, updateCalendarDayDef, type CalendarChange } from './calendar-signed';

/**
 * X-2 operator edits of the working calendar, each confirmed with the operator's SIGN key: signedAction
 * authorises ('calendar.manage'), validates with the form's zod schema, verifies the signature and runs the
 * store's write with its audit row (which carries the signature, X-9) in one transaction.
 */

const add = signedActionOf(addCalendarDayDef);
const update = signedActionOf(updateCalendarDayDef);
const remove = signedActionOf(removeCalendarDayDef);

/** After the commit: the store dropped its cache inside the transaction, so drop it again now that it is visible. */
function afterCommit<T>(r: SignedActionResult<T>): SignedActionResult<T> {
  if (r.ok) {
    invalidateCalendarCache();
    revalidatePath('/admin/calendar');
  }
  return r;
}

export async function addCalendarDayAction(payload: SignedPayload): Promise<SignedActionResult<CalendarChange>> {
  return afterCommit(await add(payload));
}

export async function updateCalendarDayAction(payload: SignedPayload): Promise<SignedActionResult<CalendarChange>> {
  return afterCommit(await update(payload));
}

export async function removeCalendarDayAction(payload: SignedPayload): Promise<SignedActionResult<CalendarChange>> {
  return afterCommit(await remove(payload));
}
