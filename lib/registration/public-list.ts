/**
 * E-12..E-14, E-41, E-42: the public list of accredited expert organisations in its published shape (the page and
 * GET /api/v1/expertise/organisations). Public data only: no internal ids.
 */
import type { DbOrTx } from '@/db/client';
import { now } from '@/lib/time/clock';
import { listAccreditedOrganisations } from './expert-orgs';

export type PublicOrganisationJson = {
  name: string;
  bin: string;
  certificate: { number: string; issuedOn: string; validUntil: string };
  status: 'accredited';
  registeredAt: string;
};

/** Version 1 of the JSON: { version, generatedAt, count, organisations[] } ordered by name. */
export type PublicOrganisationsBody = { version: 1; generatedAt: string; query: string | null; count: number; organisations: PublicOrganisationJson[] };

export async function publicOrganisationsBody(db: DbOrTx, opts: { q?: string } = {}): Promise<PublicOrganisationsBody> {
  const at = now();
  const rows = await listAccreditedOrganisations(db, at, { q: opts.q });
  const organisations = rows.map((r) => ({
    name: r.name,
    bin: r.bin,
    certificate: { number: r.certificateNumber, issuedOn: r.issuedOn, validUntil: r.validUntil },
    status: 'accredited' as const,
    registeredAt: r.registeredAt.toISOString(),
  }));
  return { version: 1, generatedAt: at.toISOString(), query: opts.q?.trim() || null, count: organisations.length, organisations };
}
