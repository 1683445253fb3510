import { json } from '@/lib/http/route';
import { cadastreListQuerySchema, CONFIDENTIAL_HEADERS, listForCadastre } from '@/lib/partner/cadastre';
import { partnerRoute } from '@/lib/partner/http';

/** E-56: the applications whose design documentation the cadastre may take (consented, positive, electronic). */
export const dynamic = 'force-dynamic';

export const GET = partnerRoute({ kind: 'cadastre', operation: 'cadastre.list', query: cadastreListQuerySchema }, async ({ db, partner, query }) =>
  json(await listForCadastre(db, partner, query), { headers: CONFIDENTIAL_HEADERS }),
);
