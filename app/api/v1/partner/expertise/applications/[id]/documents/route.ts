import { json } from '@/lib/http/route';
import { documentPushSchema, PUSH_MAX_BYTES, pushDocument } from '@/lib/partner/expertise';
import { partnerRoute } from '@/lib/partner/http';

/** E-21 / E-47: a document for the applicant's signature, signed by the organisation's EDS; idempotent by clientId. */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = partnerRoute<typeof documentPushSchema, undefined, { id: string }>(
  { kind: 'expert_is', operation: 'expertise.push.document', body: documentPushSchema, maxBytes: PUSH_MAX_BYTES },
  async ({ db, partner, params, body, note }) => {
    note.clientId = body.clientId;
    note.applicationId = /^[0-9a-f-]{36}$/i.test(params.id) ? params.id : null;
    const r = await pushDocument(db, partner, params.id, body);
    return json(r.body, { status: r.status });
  },
);
