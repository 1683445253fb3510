/**
 * The partner API through its real route handlers: real API keys, real EDS signatures of the test PKI, a real
 * database and file store. E-20, E-21, E-46, E-50, E-56, I-INT-1..3, X-11.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applicationDocuments,
  applicationEvents,
  applications,
  auditLog,
  expertOrgSettings,
  notifications,
  organisations,
  partnerApiKeys,
  partnerExchanges,
  partnerSignRequests,
  signatures,
} from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { sha256Hex } from '@/lib/canonical';
import { fileStore } from '@/lib/documents/store';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { addDraftDocument, getApplicationForApplicant, submitApplication } from '@/lib/expertise';
import { makeConfig, makeDraft, makeOrg, makeSig, makeUser } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { GET as feedGET } from '@/app/api/v1/partner/expertise/applications/route';
import { GET as docGET } from '@/app/api/v1/partner/expertise/applications/[id]/documents/[docId]/route';
import { POST as documentPOST } from '@/app/api/v1/partner/expertise/applications/[id]/documents/route';
import { POST as progressPOST } from '@/app/api/v1/partner/expertise/applications/[id]/progress/route';
import { POST as resultPOST } from '@/app/api/v1/partner/expertise/applications/[id]/results/route';
import { GET as cadastreListGET } from '@/app/api/v1/partner/cadastre/applications/route';
import { GET as cadastrePackageGET } from '@/app/api/v1/partner/cadastre/applications/[id]/route';
import { GET as cadastreDocGET } from '@/app/api/v1/partner/cadastre/applications/[id]/documents/[docId]/route';
import { documentsToSign } from '@/app/cabinet/data';
import { signPartnerDocument } from './applicant';
import { giveCadastreConsent } from './cadastre';
import { createApiKey, listApiKeys, revokeApiKey } from './keys';
import { partnerSignedContent } from './http';

const t = useTestDb();
const saved = { mode: process.env.EDS_TEST_MODE, dataDir: process.env.DATA_DIR };
let pki: TestPki;
let tmp: string;

let admin: Principal;
let applicant: Principal;
let expertOrgId: string;
let otherOrgId: string;
let cadastreOrgId: string;
let expertKey: string;
let otherKey: string;
let cadastreKey: string;

const BASE = 'http://localhost/api/v1/partner';

async function sign(keyName: DemoKeyName, body: Record<string, unknown>): Promise<string> {
  const file = pki.keys[keyName].sign;
  return signCmsDetached(await openP12(file.p12, file.password), partnerSignedContent(body), { signingTime: new Date() });
}

/** A body signed by `keyName` (default: the expert organisation's head). */
async function signed(body: Record<string, unknown>, keyName: DemoKeyName = 'expert_head') {
  return { ...body, signature: await sign(keyName, body) };
}

function get(url: string, key: string | null) {
  return new Request(url, { headers: key ? { authorization: `Bearer ${key}`, 'accept-language': 'en' } : { 'accept-language': 'en' } });
}
function post(url: string, key: string | null, body: unknown) {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
const params = <P>(p: P) => ({ params: Promise.resolve(p) });

async function events(applicationId: string, kind: string) {
  return t.db
    .select()
    .from(applicationEvents)
    .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, kind)));
}

async function auditCount(action: string): Promise<number> {
  const [r] = await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action));
  return r.n;
}

/** A registered application to the expert organisation, with a stored design document and a stored cost estimate. */
async function registered(orgId = expertOrgId) {
  const { draft } = await makeDraft(t.db, applicant, orgId);
  const design = await fileStore().put(`design ${draft.id}`);
  const estimate = await fileStore().put(`estimate ${draft.id}`);
  const designDoc = await addDraftDocument(t.db, applicant, draft.id, {
    slot: 'design_architecture',
    fileName: 'ar.pdf',
    ...design,
    signatureId: await makeSig(t.db, applicant),
  });
  const estimateDoc = await addDraftDocument(t.db, applicant, draft.id, {
    slot: 'cost_estimate',
    fileName: 'estimate.xlsx',
    ...estimate,
    isCostEstimate: true,
    signatureId: await makeSig(t.db, applicant),
  });
  const r = await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant) });
  return { app: r.application, designDoc, estimateDoc, design };
}

async function orgWithBin(bin: string, name: string, kind: string): Promise<string> {
  const [o] = await t.db.insert(organisations).values({ bin, name, kind }).returning();
  return o.id;
}

beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-partner-'));
  process.env.DATA_DIR = tmp;
  resetEnvCache();
  pki = await ensureTestPki(t.db);
  admin = await makeUser(t.db, ['admin']);
  applicant = await makeUser(t.db, ['applicant']);
  // The expert organisation whose EDS is the demo key 'expert_head' (its BIN), and one of ALATAU's BIN.
  expertOrgId = await orgWithBin(pki.keys.expert_head.bin!, 'ТОО "САРАПТАМА ОРТАЛЫҒЫ"', 'expert_organisation');
  otherOrgId = await orgWithBin(pki.keys.first_head.bin!, 'ТОО "АЛАТАУ ҚҰРЫЛЫС"', 'expert_organisation');
  for (const [orgId, code] of [
    [expertOrgId, 'SO'],
    [otherOrgId, 'AQ'],
  ]) {
    await t.db.insert(expertOrgSettings).values({ orgId, orgCode: code, numberTemplate: '{ORG}-{YYYY}-{SEQ:5}', accredited: true, blocked: false });
  }
  cadastreOrgId = await makeOrg(t.db, 'State Urban-Planning Cadastre', 'cadastre');
  await makeConfig(t.db, 'cat_working', 'working');
  expertKey = (await createApiKey(t.db, admin, { orgId: expertOrgId, kind: 'expert_is', name: 'Expert IS' })).key;
  otherKey = (await createApiKey(t.db, admin, { orgId: otherOrgId, kind: 'expert_is', name: 'Other IS' })).key;
  cadastreKey = (await createApiKey(t.db, admin, { orgId: cadastreOrgId, kind: 'cadastre', name: 'Cadastre AIS' })).key;
});

afterAll(() => {
  process.env.EDS_TEST_MODE = saved.mode;
  process.env.DATA_DIR = saved.dataDir;
  resetEnvCache();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('API keys (I-INT-1)', () => {
  it('I-INT-1 a key is shown once and stored only as its SHA-256; the list never carries it', async () => {
    const { key, row } = await createApiKey(t.db, admin, { orgId: expertOrgId, kind: 'expert_is', name: 'Spare', validUntil: '2099-12-31' });
    expect(key).toMatch(/^btp_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    expect(row.keyHash).toBe(sha256Hex(key));
    // The secret is base64url and may itself hold '_': take everything after `btp_<prefix>_`.
    const secret = key.slice('btp_'.length + 10 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(row)).not.toContain(secret);
    const list = await listApiKeys(t.db, admin);
    expect(list.find((k) => k.id === row.id)).toMatchObject({ prefix: key.split('_')[1], orgBin: pki.keys.expert_head.bin });
    expect(JSON.stringify(list)).not.toContain(row.keyHash);
    expect(await auditCount('partner.api_key.create')).toBeGreaterThanOrEqual(4);
  });

  it('I-INT-1 only integrations.manage issues keys', async () => {
    await expect(createApiKey(t.db, applicant, { orgId: expertOrgId, kind: 'expert_is', name: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('I-INT-1 no key or an unknown key → 401; the last use of a good key is recorded', async () => {
    const none = await feedGET(get(`${BASE}/expertise/applications`, null), params({}));
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthenticated');
    const forged = await feedGET(get(`${BASE}/expertise/applications`, expertKey.slice(0, -2) + 'xx'), params({}));
    expect(forged.status).toBe(401);
    const ok = await feedGET(get(`${BASE}/expertise/applications`, expertKey), params({}));
    expect(ok.status).toBe(200);
    const [row] = await t.db.select().from(partnerApiKeys).where(eq(partnerApiKeys.keyHash, sha256Hex(expertKey)));
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('I-INT-3 a revoked key is refused at once (403 api_key_revoked); a cadastre key is refused on the expert API', async () => {
    const { key, row } = await createApiKey(t.db, admin, { orgId: expertOrgId, kind: 'expert_is', name: 'To revoke' });
    expect((await feedGET(get(`${BASE}/expertise/applications`, key), params({}))).status).toBe(200);
    await revokeApiKey(t.db, admin, { keyId: row.id, reason: 'security incident' });
    const res = await feedGET(get(`${BASE}/expertise/applications`, key), params({}));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('api_key_revoked');
    // The refused exchange is logged against the revoked key.
    const logged = await t.db.select().from(partnerExchanges).where(eq(partnerExchanges.keyId, row.id));
    expect(logged.map((l) => [l.status, l.errorCode])).toEqual(expect.arrayContaining([[200, null], [403, 'api_key_revoked']]));
    await expect(revokeApiKey(t.db, admin, { keyId: row.id, reason: 'again' })).rejects.toMatchObject({ code: 'conflict' });
    const wrong = await feedGET(get(`${BASE}/expertise/applications`, cadastreKey), params({}));
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('api_key_wrong_kind');
  });

  it('I-INT-1 a validity term in the past is refused', async () => {
    await expect(createApiKey(t.db, admin, { orgId: expertOrgId, kind: 'expert_is', name: 'old', validUntil: '2020-01-01' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('E-20 the feed of applications', () => {
  it('E-20 a registered application appears in its organisation’s feed with its documents; other organisations do not see it', async () => {
    const { app, designDoc } = await registered();
    const res = await feedGET(get(`${BASE}/expertise/applications?limit=100`, expertKey), params({}));
    expect(res.status).toBe(200);
    const body = await res.json();
    const item = body.items.find((i: { application: { id: string } }) => i.application.id === app.id);
    expect(item.application).toMatchObject({ number: app.number, status: 'registered', objectName: 'School for 600 pupils' });
    const doc = item.documents.find((d: { id: string }) => d.id === designDoc.id);
    expect(doc).toMatchObject({ slot: 'design_architecture', sha256: designDoc.sha256, downloadUrl: `/api/v1/partner/expertise/applications/${app.id}/documents/${designDoc.id}` });
    const other = await (await feedGET(get(`${BASE}/expertise/applications?limit=100`, otherKey), params({}))).json();
    expect(other.items.map((i: { application: { id: string } }) => i.application.id)).not.toContain(app.id);
  });

  it('E-20 the feed pages with a cursor and brings back an application that changed after it', async () => {
    const a = await registered();
    const b = await registered();
    // Read everything so far.
    let cursor: string | null = null;
    let seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const url: string = `${BASE}/expertise/applications?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await (await feedGET(get(url, expertKey), params({}))).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen = [...seen, ...page.items.map((x: { application: { id: string } }) => x.application.id)];
      cursor = page.cursor;
      if (!page.nextCursor) break;
    }
    expect(seen).toEqual(expect.arrayContaining([a.app.id, b.app.id]));
    expect(new Set(seen).size).toBe(seen.length);
    const empty = await (await feedGET(get(`${BASE}/expertise/applications?cursor=${cursor}`, expertKey), params({}))).json();
    expect(empty.items).toEqual([]);
    // A change to `a` brings it back after the cursor.
    const pushed = await progressPOST(
      post(`${BASE}/expertise/applications/${a.app.id}/progress`, expertKey, await signed({ clientId: `feed-${a.app.id}`, stage: 'in_review' })),
      params({ id: a.app.id }),
    );
    expect(pushed.status).toBe(201);
    const again = await (await feedGET(get(`${BASE}/expertise/applications?cursor=${cursor}`, expertKey), params({}))).json();
    expect(again.items.map((x: { application: { id: string } }) => x.application.id)).toEqual([a.app.id]);
  });

  it('E-20 bad query → 422 with the field named', async () => {
    const res = await feedGET(get(`${BASE}/expertise/applications?limit=1000&cursor=abc`, expertKey), params({}));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(['limit', 'cursor']));
  });

  it('E-20 a document downloads with the key of the application’s organisation only (X-11: 404 for another)', async () => {
    const { app, designDoc } = await registered();
    const res = await docGET(get(`${BASE}/expertise/applications/${app.id}/documents/${designDoc.id}`, expertKey), params({ id: app.id, docId: designDoc.id }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`design ${app.id}`);
    expect(res.headers.get('x-content-sha256')).toBe(designDoc.sha256);
    const other = await docGET(get(`${BASE}/expertise/applications/${app.id}/documents/${designDoc.id}`, otherKey), params({ id: app.id, docId: designDoc.id }));
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('not_found');
  });
});

describe('E-21 pushes from the expert IS', () => {
  it('E-21 progress signed by the organisation lands in the timeline and the applicant’s cabinet; a repeat is recognised, not applied twice', async () => {
    const { app } = await registered();
    const body = await signed({ clientId: `progress-${app.id}`, stage: 'completeness_check', note: 'Checking the set' });
    const url = `${BASE}/expertise/applications/${app.id}/progress`;
    const first = await progressPOST(post(url, expertKey, body), params({ id: app.id }));
    expect(first.status).toBe(201);
    const a = await first.json();
    expect(a).toMatchObject({ duplicate: false, stage: 'completeness_check', applicationId: app.id });
    // The same push again (even re-signed): 200, the first answer, nothing applied twice.
    const again = await progressPOST(post(url, expertKey, await signed({ clientId: `progress-${app.id}`, stage: 'completeness_check', note: 'Checking the set' })), params({ id: app.id }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, pushId: a.pushId });
    expect(await events(app.id, 'partner_progress')).toHaveLength(1);
    const view = await getApplicationForApplicant(t.db, applicant, app.id);
    expect(view.events.map((e) => e.kind)).toContain('partner_progress');
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.userId, applicant.userId), eq(notifications.kind, 'partner.progress')));
    expect(notes.filter((n) => n.entityId === app.id)).toHaveLength(1);
    // The same clientId with other content is a conflict.
    const conflict = await progressPOST(post(url, expertKey, await signed({ clientId: `progress-${app.id}`, stage: 'in_review' })), params({ id: app.id }));
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error.code).toBe('idempotency_conflict');
    expect(await auditCount('partner.expertise.progress')).toBeGreaterThanOrEqual(1);
  });

  it('E-21 X-4 a body changed after signing → 422 signature_invalid; a signer of another organisation → 403 signer_not_key_org; unsigned → 422', async () => {
    const { app } = await registered();
    const url = `${BASE}/expertise/applications/${app.id}/progress`;
    const body = await signed({ clientId: `tamper-${app.id}`, stage: 'in_review' });
    const tampered = await progressPOST(post(url, expertKey, { ...body, stage: 'other' }), params({ id: app.id }));
    expect(tampered.status).toBe(422);
    const tj = await tampered.json();
    expect(tj.error.code).toBe('signature_invalid');
    expect(tj.error.fields.signature).toBe('payload_mismatch');
    const foreign = await progressPOST(post(url, expertKey, await signed({ clientId: `foreign-${app.id}`, stage: 'in_review' }, 'first_head')), params({ id: app.id }));
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe('signer_not_key_org');
    const revoked = await progressPOST(post(url, expertKey, await signed({ clientId: `revoked-${app.id}`, stage: 'in_review' }, 'revoked')), params({ id: app.id }));
    expect(revoked.status).toBe(422);
    expect((await revoked.json()).error.fields.signature).toBe('revoked');
    const unsigned = await progressPOST(post(url, expertKey, { clientId: `unsigned-${app.id}`, stage: 'in_review' }), params({ id: app.id }));
    expect(unsigned.status).toBe(422);
    expect((await unsigned.json()).error.fields).toHaveProperty('signature');
    expect(await events(app.id, 'partner_progress')).toHaveLength(0);
  });

  it('E-21 bad input → 4xx with a stable code: invalid JSON 400, wrong fields 422, unknown application 404', async () => {
    const { app } = await registered();
    const url = `${BASE}/expertise/applications/${app.id}/progress`;
    const bad = await progressPOST(post(url, expertKey, '{"clientId":'), params({ id: app.id }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_json');
    const fields = await progressPOST(post(url, expertKey, { clientId: 'x', stage: 'nope', signature: 'AA' }), params({ id: app.id }));
    expect(fields.status).toBe(422);
    expect(Object.keys((await fields.json()).error.fields)).toEqual(expect.arrayContaining(['clientId', 'stage']));
    const missing = '00000000-0000-4000-8000-000000000000';
    const unknown = await progressPOST(post(`${BASE}/expertise/applications/${missing}/progress`, expertKey, await signed({ clientId: 'unknown-app-1', stage: 'in_review' })), params({ id: missing }));
    expect(unknown.status).toBe(404);
  });

  it('E-21 X-11 another organisation’s key cannot push to the application (404), even signed by its own EDS', async () => {
    const { app } = await registered();
    const res = await progressPOST(
      post(`${BASE}/expertise/applications/${app.id}/progress`, otherKey, await signed({ clientId: `other-${app.id}`, stage: 'in_review' }, 'first_head')),
      params({ id: app.id }),
    );
    expect(res.status).toBe(404);
    expect(await events(app.id, 'partner_progress')).toHaveLength(0);
  });

  it('E-21 E-46 E-47 X-7 a document for the applicant’s signature is registered at its certification, reaches the cabinet and its to-sign list, and its signing shows in the feed', async () => {
    const { app } = await registered();
    const content = Buffer.from(`contract for ${app.id}`);
    const body = await signed({
      clientId: `doc-${app.id}`,
      document: { slot: 'contract', fileName: 'contract.pdf', sha256: sha256Hex(content), contentBase64: content.toString('base64') },
    });
    const res = await documentPOST(post(`${BASE}/expertise/applications/${app.id}/documents`, expertKey, body), params({ id: app.id }));
    expect(res.status).toBe(201);
    const r = await res.json();
    const [doc] = await t.db.select().from(applicationDocuments).where(eq(applicationDocuments.id, r.documentId));
    expect(doc).toMatchObject({ slot: 'contract', issuedBy: 'expert', sha256: sha256Hex(content), certifiedSignatureId: r.signatureId });
    // E-46: registered at the instant the organisation's EDS certified it.
    const [sig] = await t.db.select().from(signatures).where(eq(signatures.id, r.signatureId));
    expect(sig.signerBin).toBe(pki.keys.expert_head.bin);
    expect(sig.signedAt).not.toBeNull();
    expect(doc.registeredAt?.getTime()).toBe(sig.signedAt!.getTime());
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.userId, applicant.userId), eq(notifications.kind, 'partner.sign_request')));
    expect(notes.some((n) => n.entityId === app.id)).toBe(true);
    // X-7: it waits in the applicant's "documents to sign" list (and nobody else's) until signed.
    const toSign = await documentsToSign(t.db, applicant);
    expect(toSign).toContainEqual(expect.objectContaining({ kind: 'partner_document', id: r.signRequestId, applicationId: app.id, fileName: 'contract.pdf' }));
    expect((await documentsToSign(t.db, await makeUser(t.db, ['applicant']))).some((d) => d.id === r.signRequestId)).toBe(false);
    // The applicant signs it (the signature covers its digest).
    await expect(signPartnerDocument(t.db, applicant, { applicationId: app.id, requestId: r.signRequestId, sha256: '0'.repeat(64) }, await makeSig(t.db, applicant))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const sigId = await makeSig(t.db, applicant);
    await signPartnerDocument(t.db, applicant, { applicationId: app.id, requestId: r.signRequestId, sha256: doc.sha256 }, sigId);
    const [req] = await t.db.select().from(partnerSignRequests).where(eq(partnerSignRequests.id, r.signRequestId));
    expect(req.signatureId).toBe(sigId);
    expect((await documentsToSign(t.db, applicant)).some((d) => d.id === r.signRequestId)).toBe(false);
    const feed = await (await feedGET(get(`${BASE}/expertise/applications?limit=100`, expertKey), params({}))).json();
    const item = feed.items.find((i: { application: { id: string } }) => i.application.id === app.id);
    expect(item.signRequests[0]).toMatchObject({ id: r.signRequestId, signatureId: sigId });
    // A wrong digest of the pushed file is refused before anything is stored.
    const wrong = await documentPOST(
      post(
        `${BASE}/expertise/applications/${app.id}/documents`,
        expertKey,
        await signed({ clientId: `doc2-${app.id}`, document: { slot: 'invoice', fileName: 'i.pdf', sha256: '1'.repeat(64), contentBase64: content.toString('base64') } }),
      ),
      params({ id: app.id }),
    );
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error.fields).toHaveProperty(['document.sha256']);
  });

  it('E-21 E-50 a result holds the conclusion until a pushed payment confirmation releases it', async () => {
    const { app } = await registered();
    const content = Buffer.from(`conclusion ${app.id}`);
    const res = await resultPOST(
      post(
        `${BASE}/expertise/applications/${app.id}/results`,
        expertKey,
        await signed({ clientId: `result-${app.id}`, outcome: 'positive', document: { fileName: 'conclusion.pdf', sha256: sha256Hex(content), contentBase64: content.toString('base64') } }),
      ),
      params({ id: app.id }),
    );
    expect(res.status).toBe(201);
    let view = await getApplicationForApplicant(t.db, applicant, app.id);
    expect(view.application.status).toBe('conclusion_signed');
    expect(view.conclusion).toMatchObject({ exists: true, held: true, document: null });
    const paid = await progressPOST(
      post(`${BASE}/expertise/applications/${app.id}/progress`, expertKey, await signed({ clientId: `paid-${app.id}`, stage: 'payment_confirmed', note: 'Payment order 17' })),
      params({ id: app.id }),
    );
    expect(paid.status).toBe(201);
    view = await getApplicationForApplicant(t.db, applicant, app.id);
    expect(view.application.status).toBe('conclusion_released');
    expect(view.conclusion.document?.sha256).toBe(sha256Hex(content));
  });

  it('I-INT every exchange is logged, refused ones with their error code', async () => {
    const rows = await t.db.select().from(partnerExchanges);
    expect(rows.some((r) => r.status === 401 && r.errorCode === 'unauthenticated' && r.keyId === null)).toBe(true);
    expect(rows.some((r) => r.status === 409 && r.errorCode === 'idempotency_conflict' && r.clientId?.startsWith('progress-'))).toBe(true);
    expect(rows.some((r) => r.status === 201 && r.operation === 'expertise.push.result' && r.orgId === expertOrgId && r.bodySha256)).toBe(true);
    expect(rows.some((r) => r.status === 403 && r.errorCode === 'signer_not_key_org')).toBe(true);
    expect(rows.every((r) => r.requestId.length > 0)).toBe(true);
  });
});

describe('E-56 the State Urban-Planning Cadastre', () => {
  async function concluded(outcome: 'positive' | 'negative') {
    const r = await registered();
    const content = Buffer.from(`conclusion ${outcome} ${r.app.id}`);
    const res = await resultPOST(
      post(
        `${BASE}/expertise/applications/${r.app.id}/results`,
        expertKey,
        await signed({ clientId: `cad-${r.app.id}`, outcome, document: { fileName: 'c.pdf', sha256: sha256Hex(content), contentBase64: content.toString('base64') } }),
      ),
      params({ id: r.app.id }),
    );
    expect(res.status).toBe(201);
    return r;
  }

  it('E-56 I-INT-2 no consent → 403 consent_required; nothing is transferred', async () => {
    const { app } = await concluded('positive');
    const before = await auditCount('partner.cadastre.transfer');
    const res = await cadastrePackageGET(get(`${BASE}/cadastre/applications/${app.id}`, cadastreKey), params({ id: app.id }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('consent_required');
    expect(await auditCount('partner.cadastre.transfer')).toBe(before);
  });

  it('E-56 I-INT-2 with the rights holder’s signed consent the design documentation without the cost estimate is transferred, confidential, audited', async () => {
    const { app, designDoc, estimateDoc } = await concluded('positive');
    await giveCadastreConsent(t.db, applicant, app.id, await makeSig(t.db, applicant));
    const list = await cadastreListGET(get(`${BASE}/cadastre/applications?limit=100`, cadastreKey), params({}));
    expect(list.status).toBe(200);
    expect((await list.json()).items.map((i: { id: string }) => i.id)).toContain(app.id);
    const before = await auditCount('partner.cadastre.transfer');
    const res = await cadastrePackageGET(get(`${BASE}/cadastre/applications/${app.id}`, cadastreKey), params({ id: app.id }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-confidentiality')).toBe('confidential');
    const pkg = await res.json();
    expect(pkg.classification).toBe('confidential');
    const ids = pkg.documents.map((d: { id: string }) => d.id);
    expect(ids).toContain(designDoc.id);
    expect(ids).not.toContain(estimateDoc.id);
    expect(pkg.documents.every((d: { slot: string }) => d.slot !== 'cost_estimate')).toBe(true);
    const file = await cadastreDocGET(get(`${BASE}/cadastre/applications/${app.id}/documents/${designDoc.id}`, cadastreKey), params({ id: app.id, docId: designDoc.id }));
    expect(file.status).toBe(200);
    expect(file.headers.get('x-confidentiality')).toBe('confidential');
    expect(await file.text()).toBe(`design ${app.id}`);
    const estimate = await cadastreDocGET(get(`${BASE}/cadastre/applications/${app.id}/documents/${estimateDoc.id}`, cadastreKey), params({ id: app.id, docId: estimateDoc.id }));
    expect(estimate.status).toBe(404);
    expect(await auditCount('partner.cadastre.transfer')).toBe(before + 2);
    // The expert IS key is not the cadastre's.
    const wrong = await cadastrePackageGET(get(`${BASE}/cadastre/applications/${app.id}`, expertKey), params({ id: app.id }));
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('api_key_wrong_kind');
  });

  it('E-56 a negative conclusion cannot be consented to (409) and stays unavailable', async () => {
    const { app } = await concluded('negative');
    await expect(giveCadastreConsent(t.db, applicant, app.id, await makeSig(t.db, applicant))).rejects.toMatchObject({ code: 'not_transferable' });
    const res = await cadastrePackageGET(get(`${BASE}/cadastre/applications/${app.id}`, cadastreKey), params({ id: app.id }));
    expect(res.status).toBe(403);
  });

  it('E-56 X-11 only the rights holder consents', async () => {
    const { app } = await concluded('positive');
    const stranger = await makeUser(t.db, ['applicant']);
    await expect(giveCadastreConsent(t.db, stranger, app.id, await makeSig(t.db, stranger))).rejects.toMatchObject({ code: 'not_found' });
    const first = await giveCadastreConsent(t.db, applicant, app.id, await makeSig(t.db, applicant));
    const second = await giveCadastreConsent(t.db, applicant, app.id, await makeSig(t.db, applicant));
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, consentedAt: first.consentedAt });
  });
});

describe('drafts stay private', () => {
  it('E-20 a draft is in no feed', async () => {
    const { draft } = await makeDraft(t.db, applicant, expertOrgId);
    const feed = await (await feedGET(get(`${BASE}/expertise/applications?limit=100`, expertKey), params({}))).json();
    expect(feed.items.map((i: { application: { id: string } }) => i.application.id)).not.toContain(draft.id);
    const [row] = await t.db.select().from(applications).where(eq(applications.id, draft.id));
    expect(row.status).toBe('draft');
  });
});
