import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema/audit';
import { signatures } from '@/db/schema/eds';
import { organisations, userRoles, users } from '@/db/schema/identity';
import { notifications } from '@/db/schema/notify';
import { registrationRequests } from '@/db/schema/registration';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { issueChallenge, newBindingId } from './challenge';
import { signInWithEds } from './eds-sign-in';

const t = useTestDb();
let pki: TestPki;
const T0 = new Date('2026-03-10T09:00:00Z');
const savedMode = process.env.EDS_TEST_MODE;
let ip = 0;

beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
  setClock(T0);
  pki = await ensureTestPki(t.db);
}, 300_000);
afterAll(() => {
  process.env.EDS_TEST_MODE = savedMode;
  resetEnvCache();
  setClock(null);
});

async function signIn(name: DemoKeyName) {
  const bindingId = newBindingId();
  const ch = await issueChallenge(t.db, bindingId);
  const f = pki.keys[name].auth;
  const cms = await signCmsDetached(await openP12(f.p12, f.password), new Uint8Array(Buffer.from(ch.nonce, 'base64')), { signingTime: T0 });
  const r = await signInWithEds(t.db, { challengeId: ch.id, cms, bindingId, ip: `10.9.0.${++ip}` });
  if (!r.ok) throw new Error(r.message);
  return r.user;
}

/** An organisation whose registration (status given) was submitted by someone else than the first head. */
async function registeredOrg(bin: string, name: string, status: 'submitted' | 'confirmed') {
  const [org] = await t.db.insert(organisations).values({ bin, name }).returning();
  const [clerk] = await t.db.insert(users).values({ iin: `9901${bin.slice(4)}`, fullName: 'CLERK', orgId: org.id }).returning();
  const [sig] = await t.db
    .insert(signatures)
    .values({ signerIin: clerk.iin, certDer: 'AA==', certFingerprint: 'x', certSerial: '01', purpose: 'sign', cms: 'AA==', contentSha256: 'x', verifiedAt: T0, verdict: {} })
    .returning();
  await t.db.insert(registrationRequests).values({
    kind: 'construction_user',
    applicantUserId: clerk.id,
    applicantOrgId: org.id,
    personType: 'legal_entity',
    subjectKey: `bin:${bin}:${status}`,
    formData: {},
    attachments: [],
    signatureId: sig.id,
    status,
    submittedAt: T0,
  });
  return org;
}

const firstHeadGrants = (userId: string) =>
  t.db.select().from(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.role, 'first_head'), isNull(userRoles.revokedAt)));

describe('X-12 first head recognised by the certificate at sign-in', () => {
  it('X-12 a GOST AUTH key with the first-head role and the BIN of a confirmed organisation gets first_head (system grant, sign-in signature as evidence, notified)', async () => {
    const key = pki.keys.gost_first_head;
    const org = await registeredOrg(key.bin!, key.organization!, 'confirmed');
    const user = await signIn('gost_first_head');
    const grants = await firstHeadGrants(user.id);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ orgId: org.id, grantedBy: null });
    const [evidence] = await t.db.select().from(signatures).where(eq(signatures.id, grants[0].signatureId!));
    expect(evidence).toMatchObject({ purpose: 'auth', subject: 'auth.sign_in', signerIin: key.iin, signerBin: key.bin });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'role.grant_first_head'), eq(auditLog.entityId, user.id)));
    expect(audit).toMatchObject({ actorRole: 'system', signatureId: evidence.id });
    expect(await t.db.select().from(notifications).where(and(eq(notifications.userId, user.id), eq(notifications.kind, 'role.granted')))).toHaveLength(1);

    // Signing in again grants and notifies nothing more.
    await signIn('gost_first_head');
    expect(await firstHeadGrants(user.id)).toHaveLength(1);
    expect(await t.db.select().from(notifications).where(and(eq(notifications.userId, user.id), eq(notifications.kind, 'role.granted')))).toHaveLength(1);
  });

  it('X-12 no grant when the organisation is not confirmed yet, nor for a certificate without the first-head role', async () => {
    const head = pki.keys.first_head;
    await registeredOrg(head.bin!, head.organization!, 'submitted');
    const user = await signIn('first_head');
    expect(await firstHeadGrants(user.id)).toHaveLength(0);
    // The employee of the same organisation, once it is confirmed, still gets nothing (no first-head OID).
    await t.db.update(registrationRequests).set({ status: 'confirmed' }).where(eq(registrationRequests.subjectKey, `bin:${head.bin}:submitted`));
    const employee = await signIn('employee');
    expect(await t.db.select().from(userRoles).where(eq(userRoles.userId, employee.id))).toHaveLength(0);
    // ...while the first head, now that it is confirmed, does.
    expect(await firstHeadGrants((await signIn('first_head')).id)).toHaveLength(1);
  });
});
