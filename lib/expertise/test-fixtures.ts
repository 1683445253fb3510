/** Test helpers for the expertise domain (real database rows; no mocks). */
import crypto from 'node:crypto';
import type { DbOrTx } from '@/db/client';
import { deadlineConfigs, expertOrgSettings, organisations, signatures, userRoles, users } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { addDraftDocument, createDraft, type DraftFields } from './applications';

let counter = 0;
const digits = (n: number) => String(100_000_000_000 + n + Math.floor(Math.random() * 1e9)).slice(-12);

export async function makeOrg(db: DbOrTx, name: string, kind = 'legal_entity'): Promise<string> {
  const [o] = await db.insert(organisations).values({ bin: digits(++counter), name, kind }).returning();
  return o.id;
}

export async function makeUser(db: DbOrTx, roles: string[], orgId: string | null = null): Promise<Principal> {
  const iin = digits(++counter);
  const [u] = await db.insert(users).values({ iin, fullName: `User ${iin}`, orgId }).returning();
  if (roles.length) await db.insert(userRoles).values(roles.map((role) => ({ userId: u.id, role, orgId })));
  return { userId: u.id, iin, bin: null, orgId, fullName: u.fullName, roles: [...roles].sort() };
}

/** A stored signature of `p` (as lib/eds would store it after verification). */
export async function makeSig(db: DbOrTx, p: Principal, signedAt: Date | null = null): Promise<string> {
  const [s] = await db
    .insert(signatures)
    .values({
      signerIin: p.iin,
      certDer: 'MIIB',
      certFingerprint: crypto.randomBytes(32).toString('hex'),
      certSerial: '01',
      purpose: 'sign',
      cms: 'MIIC',
      contentSha256: crypto.randomBytes(32).toString('hex'),
      signedAt,
      verifiedAt: signedAt ?? new Date(),
      verdict: { ok: true },
    })
    .returning();
  return s.id;
}

export async function makeExpertOrg(
  db: DbOrTx,
  code: string,
  opts: { accredited?: boolean; blocked?: boolean; template?: string } = {},
): Promise<{ orgId: string; expert: Principal }> {
  const orgId = await makeOrg(db, `Expert ${code}`, 'expert_organisation');
  await db.insert(expertOrgSettings).values({
    orgId,
    orgCode: code,
    numberTemplate: opts.template ?? '{ORG}-{YYYY}-{SEQ:5}',
    accredited: opts.accredited ?? true,
    blocked: opts.blocked ?? false,
  });
  const expert = await makeUser(db, ['expert'], orgId);
  return { orgId, expert };
}

export async function makeConfig(
  db: DbOrTx,
  category: string,
  unit: 'working' | 'calendar',
  days: { completeness?: number; remarks?: number; remedy?: number; conclusion?: number } = {},
): Promise<void> {
  await db
    .insert(deadlineConfigs)
    .values({
      category,
      label: category,
      completenessDays: days.completeness ?? 5,
      remarksDays: days.remarks ?? 20,
      remedyDays: days.remedy ?? 10,
      conclusionDays: days.conclusion ?? 45,
      unit,
      demo: true,
    })
    .onConflictDoNothing();
}

export const sha = () => crypto.randomBytes(32).toString('hex');

/** A complete draft with one certified document, addressed to `expertOrgId`. */
export async function makeDraft(db: DbOrTx, applicant: Principal, expertOrgId: string, over: DraftFields = {}) {
  const draft = await createDraft(db, applicant, {
    objectName: 'School for 600 pupils',
    region: 'Astana',
    address: 'Mangilik El 1',
    category: 'cat_working',
    workKind: 'new_construction',
    financingSource: 'budget',
    expertOrgId,
    ...over,
  });
  const doc = await addDraftDocument(db, applicant, draft.id, {
    slot: 'feasibility_study',
    fileName: 'fs.pdf',
    sha256: sha(),
    size: 1234,
    signatureId: await makeSig(db, applicant),
  });
  return { draft, doc };
}
