import { cadastreDocument, CONFIDENTIAL_HEADERS } from '@/lib/partner/cadastre';
import { fileResponse } from '@/lib/partner/expertise';
import { partnerRoute } from '@/lib/partner/http';

/** E-56: one document of the design documentation (never the cost estimate), confidential, audited. */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = partnerRoute<undefined, undefined, { id: string; docId: string }>(
  { kind: 'cadastre', operation: 'cadastre.document' },
  async ({ db, partner, params, note, requestId }) => {
    note.applicationId = /^[0-9a-f-]{36}$/i.test(params.id) ? params.id : null;
    const doc = await cadastreDocument(db, partner, params.id, params.docId, requestId);
    return fileResponse(doc, CONFIDENTIAL_HEADERS);
  },
);
