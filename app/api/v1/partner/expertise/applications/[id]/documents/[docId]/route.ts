import { appendAudit } from '@/lib/audit';
import { expertDocument, fileResponse, partnerAuditActor } from '@/lib/partner/expertise';
import { partnerRoute } from '@/lib/partner/http';

/** E-20: a document of one of the organisation's applications (the key authorises the download). */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = partnerRoute<undefined, undefined, { id: string; docId: string }>(
  { kind: 'expert_is', operation: 'expertise.document' },
  async ({ db, partner, params, note, requestId }) => {
    note.applicationId = /^[0-9a-f-]{36}$/i.test(params.id) ? params.id : null;
    const doc = await expertDocument(db, partner, params.id, params.docId);
    const res = await fileResponse(doc);
    await appendAudit(db, {
      actor: partnerAuditActor(partner),
      action: 'partner.expertise.document',
      entityType: 'application_document',
      entityId: doc.id,
      requestId,
      after: { applicationId: doc.applicationId, sha256: doc.sha256, size: doc.size },
    });
    return res;
  },
);
