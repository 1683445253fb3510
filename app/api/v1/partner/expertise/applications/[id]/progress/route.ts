import { json } from '@/lib/http/route';
import { progressPushSchema, pushProgress } from '@/lib/partner/expertise';
import { partnerRoute } from '@/lib/partner/http';

/** E-21: progress of the review from the expert IS, signed by the organisation's EDS; idempotent by clientId. */
export const dynamic = 'force-dynamic';

export const POST = partnerRoute<typeof progressPushSchema, undefined, { id: string }>(
  { kind: 'expert_is', operation: 'expertise.push.progress', body: progressPushSchema },
  async ({ db, partner, params, body, note }) => {
    note.clientId = body.clientId;
    note.applicationId = /^[0-9a-f-]{36}$/i.test(params.id) ? params.id : null;
    const r = await pushProgress(db, partner, params.id, body);
    return json(r.body, { status: r.status });
  },
);
