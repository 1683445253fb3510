/**
 * E-49: the expert organisation exchanges documents with environmental-protection authorities through the
 * workspace; every message is an EDS-signed action (real signatures, test PKI); the authority sees only the
 * applications sent to it.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { applicationEvents, auditLog, environmentalMessages, expertOrgSettings, notifications, organisations, uploads, userRoles, users } from '@/db/schema';
import { issueActionNonce } from '@/lib/auth/action-nonce';
import { loadPrincipal, type Principal } from '@/lib/auth/principal';
import { runSignedAction, type SignedActionDef } from '@/lib/auth/signed-action';
import { canonicalJson } from '@/lib/canonical';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { submitApplication } from '@/lib/expertise';
import { makeConfig, makeDraft, makeOrg, makeSig, makeUser, sha } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { envAnswerDef, envSendDef } from './actions-core';
import { AUTHORITY_ORG_KIND, exchangeForExpert, getForAuthority, listAuthorities, listForAuthority, messageFile } from './environment';

const t = useTestDb();
const savedMode = process.env.EDS_TEST_MODE;
let pki: TestPki;
let expert: Principal;
let otherExpert: Principal;
let applicant: Principal;
let authorityA: Principal;
let authorityB: Principal;
let authorityAOrg: string;
let authorityBOrg: string;
let expertOrgId: string;

/** A user holding the demo key's IIN, in `orgId`, with `roles` there. */
async function demoUser(name: DemoKeyName, orgId: string, roles: string[]): Promise<Principal> {
  const key = pki.keys[name];
  const [u] = await t.db.insert(users).values({ iin: key.iin, fullName: key.fullName, orgId }).returning();
  await t.db.insert(userRoles).values(roles.map((role) => ({ userId: u.id, role, orgId })));
  return (await loadPrincipal(t.db, u.id, u.sessionVersion))!;
}

/** What <SignButton> does: a nonce, the SIGN key over canonicalJson({ action, input, nonce }), the server action. */
async function run<S extends z.ZodType, T>(def: SignedActionDef<S, T>, p: Principal, keyName: DemoKeyName, input: unknown) {
  const n = await issueActionNonce(t.db, p.userId, def.name);
  const file = pki.keys[keyName].sign;
  const cms = await signCmsDetached(await openP12(file.p12, file.password), new TextEncoder().encode(canonicalJson({ action: def.name, input, nonce: n.nonce })));
  return runSignedAction(t.db, p, def, { input, nonceId: n.nonceId, cms });
}

async function registeredApp(orgId = expertOrgId) {
  const { draft } = await makeDraft(t.db, applicant, orgId);
  return (await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant) })).application;
}

beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
  pki = await ensureTestPki(t.db);
  const [eo] = await t.db.insert(organisations).values({ bin: pki.keys.expert_head.bin!, name: 'Expert org', kind: 'expert_organisation' }).returning();
  expertOrgId = eo.id;
  await t.db.insert(expertOrgSettings).values({ orgId: expertOrgId, orgCode: 'EO', numberTemplate: '{ORG}-{YYYY}-{SEQ:5}', accredited: true, blocked: false });
  expert = await demoUser('expert_head', expertOrgId, ['expert']);
  const otherOrg = await makeOrg(t.db, 'Other expert org', 'expert_organisation');
  otherExpert = await makeUser(t.db, ['expert'], otherOrg);
  applicant = await makeUser(t.db, ['applicant']);
  authorityAOrg = await makeOrg(t.db, 'Ecology department of Astana', AUTHORITY_ORG_KIND);
  authorityBOrg = await makeOrg(t.db, 'Ecology department of Almaty', AUTHORITY_ORG_KIND);
  // The demo 'individual' key stands for an official of authority A.
  authorityA = await demoUser('individual', authorityAOrg, ['environmental_authority']);
  authorityB = await makeUser(t.db, ['environmental_authority'], authorityBOrg);
  await makeConfig(t.db, 'cat_working', 'working');
});
afterAll(() => {
  process.env.EDS_TEST_MODE = savedMode;
  resetEnvCache();
});

describe('E-49 environmental-protection authorities', () => {
  it('E-49 the expert sends a signed document to an authority; the authority answers (signed); both show in the exchange and the timeline', async () => {
    const app = await registeredApp();
    expect((await listAuthorities(t.db)).map((a) => a.id)).toEqual(expect.arrayContaining([authorityAOrg, authorityBOrg]));
    const fileSha = sha();
    const [up] = await t.db
      .insert(uploads)
      .values({ tusId: `tus-${fileSha.slice(0, 12)}`, ownerUserId: expert.userId, fileName: 'eia.pdf', size: 10, sha256: fileSha, storageKey: `sha256/${fileSha}` })
      .returning();
    const sent = await run(envSendDef, expert, 'expert_head', {
      applicationId: app.id,
      authorityOrgId: authorityAOrg,
      subject: 'Environmental impact assessment',
      file: { uploadId: up.id, fileName: 'eia.pdf', size: 10, sha256: fileSha },
    });
    expect(sent).toMatchObject({ ok: true });
    const messageId = (sent as { ok: true; data: { messageId: string } }).data.messageId;

    const list = await listForAuthority(t.db, authorityA);
    expect(list).toEqual([expect.objectContaining({ applicationId: app.id, number: app.number, pending: 1 })]);
    const answered = await run(envAnswerDef, authorityA, 'individual', { replyToId: messageId, subject: 'No objections', body: 'Agreed.' });
    expect(answered).toMatchObject({ ok: true });

    const view = await getForAuthority(t.db, authorityA, app.id);
    expect(view.messages.map((m) => [m.direction, m.subject])).toEqual([
      ['to_authority', 'Environmental impact assessment'],
      ['to_expert', 'No objections'],
    ]);
    expect((await listForAuthority(t.db, authorityA))[0].pending).toBe(0);
    const forExpert = await exchangeForExpert(t.db, expert, app.id);
    expect(forExpert).toHaveLength(2);
    const kinds = (await t.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app.id))).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['env_sent', 'env_answered']));
    const note = await t.db.select().from(notifications).where(and(eq(notifications.userId, expert.userId), eq(notifications.kind, 'partner.env_answer')));
    expect(note).toHaveLength(1);
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.entityType, 'environmental_message'));
    expect(audits.map((a) => a.action).sort()).toEqual(['partner.environment.answer', 'partner.environment.send']);
    expect(audits.every((a) => a.signatureId !== null)).toBe(true);
    // Either side may fetch the file; nobody else.
    expect((await messageFile(t.db, authorityA, messageId)).id).toBe(messageId);
    expect((await messageFile(t.db, expert, messageId)).id).toBe(messageId);
    await expect(messageFile(t.db, authorityB, messageId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(messageFile(t.db, applicant, messageId)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('E-49 X-11 another authority sees nothing of an application not sent to it, and cannot answer for it', async () => {
    const app = await registeredApp();
    const sent = await run(envSendDef, expert, 'expert_head', { applicationId: app.id, authorityOrgId: authorityAOrg, subject: 'Request' });
    const messageId = (sent as { ok: true; data: { messageId: string } }).data.messageId;
    expect((await listForAuthority(t.db, authorityB)).map((i) => i.applicationId)).not.toContain(app.id);
    await expect(getForAuthority(t.db, authorityB, app.id)).rejects.toMatchObject({ code: 'not_found' });
    const r = await run(envAnswerDef, authorityA, 'individual', { replyToId: messageId, subject: 'ok' });
    expect(r.ok).toBe(true);
    // B answering A's message: refused as if the message did not exist (B signs with a stored signature path: domain call).
    const { answerFromAuthority } = await import('./environment');
    await expect(answerFromAuthority(t.db, authorityB, { replyToId: messageId, subject: 'hijack' }, await makeSig(t.db, authorityB))).rejects.toMatchObject({ code: 'not_found' });
    // An applicant or an expert is not an authority.
    await expect(listForAuthority(t.db, applicant)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('E-49 X-11 only an expert of the application’s organisation sends, only to an authority; signed by the sender', async () => {
    const app = await registeredApp();
    const { sendToAuthority } = await import('./environment');
    await expect(sendToAuthority(t.db, otherExpert, { applicationId: app.id, authorityOrgId: authorityAOrg, subject: 'x' }, await makeSig(t.db, otherExpert))).rejects.toMatchObject({
      code: 'not_found',
    });
    const notAuthority = await run(envSendDef, expert, 'expert_head', { applicationId: app.id, authorityOrgId: expertOrgId, subject: 'x' });
    expect(notAuthority).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { authorityOrgId: expect.any(String) } } });
    // Signed with someone else's key: refused, nothing stored.
    const wrongKey = await run(envSendDef, expert, 'first_head', { applicationId: app.id, authorityOrgId: authorityAOrg, subject: 'x' });
    expect(wrongKey).toMatchObject({ ok: false, error: { code: 'signer_mismatch' } });
    const blank = await run(envSendDef, expert, 'expert_head', { applicationId: app.id, authorityOrgId: authorityAOrg, subject: '' });
    expect(blank).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await t.db.select().from(environmentalMessages).where(eq(environmentalMessages.applicationId, app.id))).toHaveLength(0);
  });
});
