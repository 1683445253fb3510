import { json } from '@/lib/http/route';
import { PUSH_MAX_BYTES, pushResult, resultPushSchema } from '@/lib/partner/expertise';
import { partnerRoute } from '@/lib/partner/http';

/** E-21 / E-50: the result (the signed conclusion and its outcome), held until the payment; idempotent by clientId. */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = partnerRoute<typeof resultPushSchema, undefined, { id: string }>(
  { kind: 'expert_is', operation: 'expertise.push.result', body: resultPushSchema, maxBytes: PUSH_MAX_BYTES },
  async ({ db, partner, params, body, note }) => {
    note.clientId = body.clientId;
    note.applicationId = /^[0-9a-f-]{36}$/i.test(params.id) ? params.id : null;
    const r = await pushResult(db, partner, params.id, body);
    return json(r.body, { status: r.status });
  },
);
