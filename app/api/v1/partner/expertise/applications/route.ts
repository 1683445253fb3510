import { expertFeed, feedQuerySchema } from '@/lib/partner/expertise';
import { partnerRoute } from '@/lib/partner/http';
import { appendAudit } from '@/lib/audit';
import { partnerAuditActor } from '@/lib/partner/expertise';

/** E-20: the feed of new and changed applications of the key's expert organisation, with their documents. */
export const dynamic = 'force-dynamic';

export const GET = partnerRoute({ kind: 'expert_is', operation: 'expertise.feed', query: feedQuerySchema }, async ({ db, partner, query, requestId }) => {
  const page = await expertFeed(db, partner, query);
  if (page.items.length) {
    await appendAudit(db, {
      actor: partnerAuditActor(partner),
      action: 'partner.expertise.feed',
      entityType: 'organisation',
      entityId: partner.orgId,
      requestId,
      after: { applications: page.items.map((i) => i.application.id), cursor: query.cursor ?? null, nextCursor: page.nextCursor },
    });
  }
  return page;
});
