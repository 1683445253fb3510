import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploads } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { createDraft, getApplicationForApplicant } from '@/lib/expertise';
import { makeConfig, makeExpertOrg, makeSig, makeUser } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { certifyDocument, certifyDocumentSchema, currentManifest, submitManifestSchema, submitWithManifest } from './core';

const t = useTestDb();
let applicant: Principal;
let other: Principal;
let orgId: string;

const hex = () => crypto.randomBytes(32).toString('hex');

async function upload(owner: Principal, size = 1000) {
  const sha256 = hex();
  const [row] = await t.db
    .insert(uploads)
    .values({ tusId: crypto.randomUUID(), ownerUserId: owner.userId, fileName: 'ar.pdf', size, sha256, storageKey: `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}` })
    .returning();
  return row;
}

async function draft() {
  return createDraft(t.db, applicant, {
    objectName: 'Clinic',
    region: 'Astana',
    address: 'Kabanbay batyr 10',
    category: 'cat_w',
    workKind: 'new_construction',
    financingSource: 'budget',
    expertOrgId: orgId,
  });
}

beforeAll(async () => {
  await makeConfig(t.db, 'cat_w', 'working');
  ({ orgId } = await makeExpertOrg(t.db, 'GEX'));
  applicant = await makeUser(t.db, ['applicant']);
  other = await makeUser(t.db, ['applicant']);
});

describe('wizard actions', () => {
  it('E-17 a document is certified only from the applicant’s own upload with the signed digest', async () => {
    const app = await draft();
    const up = await upload(applicant);
    const base = { applicationId: app.id, slot: 'cost_estimate', uploadId: up.id, fileName: 'smeta.pdf', size: up.size, sha256: up.sha256 };
    // Someone else's upload is not found for this applicant.
    const foreign = await upload(other);
    await expect(
      certifyDocument(t.db, applicant, certifyDocumentSchema.parse({ ...base, uploadId: foreign.id, sha256: foreign.sha256 }), await makeSig(t.db, applicant)),
    ).rejects.toMatchObject({ code: 'not_found' });
    // A digest that is not the uploaded file's is refused.
    await expect(certifyDocument(t.db, applicant, certifyDocumentSchema.parse({ ...base, sha256: hex() }), await makeSig(t.db, applicant))).rejects.toBeInstanceOf(AppError);
    const doc = await certifyDocument(t.db, applicant, certifyDocumentSchema.parse(base), await makeSig(t.db, applicant));
    expect(doc).toMatchObject({ slot: 'cost_estimate', version: 1, sha256: up.sha256 });
    const view = await getApplicationForApplicant(t.db, applicant, app.id);
    expect(view.documents[0]).toMatchObject({ isCostEstimate: true, storageKey: up.storageKey, size: up.size });
    expect(await currentManifest(t.db, app.id)).toEqual([{ slot: 'cost_estimate', sha256: up.sha256 }]);
  });

  it('E-16 the submission is refused when the signed manifest differs from the documents, and registers when it matches', async () => {
    setClock(() => astanaInstant('2026-06-02', '10:00'));
    try {
      const app = await draft();
      const up = await upload(applicant);
      await certifyDocument(
        t.db,
        applicant,
        certifyDocumentSchema.parse({ applicationId: app.id, slot: 'feasibility_study', uploadId: up.id, fileName: 'fs.pdf', size: up.size, sha256: up.sha256 }),
        await makeSig(t.db, applicant),
      );
      const wrong = submitManifestSchema.parse({ applicationId: app.id, manifest: [{ slot: 'feasibility_study', sha256: hex() }] });
      await expect(submitWithManifest(t.db, applicant, wrong, await makeSig(t.db, applicant))).rejects.toMatchObject({ code: 'conflict' });
      const right = submitManifestSchema.parse({ applicationId: app.id, manifest: [{ slot: 'feasibility_study', sha256: up.sha256 }] });
      const r = await submitWithManifest(t.db, applicant, right, await makeSig(t.db, applicant));
      expect(r.duplicate).toBe(false);
      expect(r.application.status).toBe('registered');
      expect(r.application.number).toMatch(/^GEX-2026-\d{5}$/);
      expect(r.application.registrationDate).toBe('2026-06-02');
    } finally {
      setClock(null);
    }
  });
});
