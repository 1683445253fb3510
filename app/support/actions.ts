'use server';

import { getDb } from '@/db/client';
import { runAction } from '@/lib/actions';
import { requirePermission } from '@/lib/auth/policy';
import { answerInfo, reportIncident } from '@/lib/incidents/service';
import { answerInfoSchema, reportSchema } from '@/lib/incidents/schemas';

/** I-3: a signed-in user reports a technical failure (no EDS needed: the EDS itself may be what fails). */
export async function reportIncidentAction(input: unknown) {
  return runAction(reportSchema, input, async (data) => {
    const p = await requirePermission('incidents.report');
    const r = await getDb().transaction((tx) => reportIncident(tx, p, data));
    const { revalidatePath } = await import('next/cache');
    revalidatePath('/support');
    return { id: r.incident.id, duplicate: r.duplicate };
  });
}

/** I-7: the reporter answers the operator's request for information within 2 hours. */
export async function answerInfoAction(input: unknown) {
  return runAction(answerInfoSchema, input, async (data) => {
    const p = await requirePermission('incidents.report');
    const r = await getDb().transaction((tx) => answerInfo(tx, p, data));
    const { revalidatePath } = await import('next/cache');
    revalidatePath('/support');
    return { id: r.id, status: r.status };
  });
}
