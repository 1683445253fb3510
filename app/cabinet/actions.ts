'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { runAction, type ActionResult } from '@/lib/actions';
import { requirePermission } from '@/lib/auth/policy';
import { markRead } from '@/lib/notify';

const markReadSchema = z.object({ id: z.union([z.literal('all'), z.uuid()]) });

/**
 * marks the user's own notification (or all of them) read. Deliberately NOT a signed action (X-4 covers
 * "actions that change data"): a read mark is the user's own view state, not data of the portal's records —
 * nothing anyone relies on changes, and asking for an EDS signature to dismiss a notice would be absurd. It is
 * still limited to the session user's own notifications (markRead filters on user id, X-11).
 */
export async function markNotificationReadAction(formData: FormData): Promise<ActionResult<{ changed: number }>> {
  return runAction(markReadSchema, formData, async ({ id }) => {
    const p = await requirePermission('cabinet.access');
    const changed = await markRead(getDb(), p.userId, id === 'all' ? 'all' : [id]);
    revalidatePath('/cabinet');
    return { changed };
  });
}

/** The same as a plain form action (progressive enhancement: works without JavaScript). */
export async function markNotificationReadForm(formData: FormData): Promise<void> {
  await markNotificationReadAction(formData);
}
