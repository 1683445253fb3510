import { json } from '@/lib/http/route';
import { cadastrePackage, CONFIDENTIAL_HEADERS } from '@/lib/partner/cadastre';
import { partnerRoute } from '@/lib/partner/http';

/** E-56: the design documentation package (without the cost-estimate part), confidential; 403 without consent. */
export const dynamic = 'force-dynamic';

export const GET = partnerRoute<undefined, undefined, { id: string }>({ kind: 'cadastre', operation: 'cadastre.package' }, async ({ db, partner, params, note, requestId }) => {
  note.applicationId = /^[0-9a-f-]{36}$/i.test(params.id) ? params.id : null;
  return json(await cadastrePackage(db, partner, params.id, requestId), { headers: CONFIDENTIAL_HEADERS });
});
