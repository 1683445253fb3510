import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  expertAccreditations,
  expertOrgRegistry,
  organisations,
  registrationRequests,
  userRoles,
  users,
} from '@/db/schema';
import { GET as organisationsRoute } from '@/app/api/v1/expertise/organisations/route';
import { listOversight, parseOversightQuery } from '@/lib/audit/oversight';
import { issueActionNonce } from '@/lib/auth/action-nonce';
import { can } from '@/lib/auth/policy';
import { loadPrincipal, type Principal } from '@/lib/auth/principal';
import { runSignedAction, type SignedActionDef } from '@/lib/auth/signed-action';
import { canonicalJson } from '@/lib/canonical';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import type { DemoKeyName, TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { jobHandler } from '@/lib/jobs/queue';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from '@/lib/time/astana';
import { now, setClock } from '@/lib/time/clock';
import { blockOrgDef, chargeDef, publishFormDef, reconfirmDef, tariffDef } from './admin-actions';
import { listAccreditedOrganisations, listCharges, listExpertOrganisationsForAdmin, listTariffs } from './expert-orgs';
import { acceptForm, getFormInForce, listFormAcceptances, publishForm } from './forms';
import './jobs';
import { confirmRegistration, submitRegistration } from './requests';
import { pkiOf, sha, signAs, userOf, type TestActor } from './test-fixtures';

/**
 * E-7, E-12..E-15, E-41, E-42, X-4, X-12, X-13, C-16: the operator's signed changes behind /admin/expert-organisations,
 * /admin/tariffs and /admin/forms, the public list (page and JSON) and the oversight view of the journal.
 */

const t = useTestDb();
let pki: TestPki;
let operatorActor: TestActor;
let operator: Principal;
const savedMode = process.env.EDS_TEST_MODE;
const T0 = astanaInstant('2026-05-04', '10:00'); // a Monday

async function principalOf(name: DemoKeyName, roles: string[]): Promise<Principal> {
  const a = await userOf(t.db, pki, name, roles);
  const [u] = await t.db.select().from(users).where(eq(users.id, a.userId));
  return (await loadPrincipal(t.db, u.id, u.sessionVersion))!;
}

/** What <SignButton> sends: a detached SIGN signature over { action, input, nonce }. */
async function signed(p: Principal, keyName: DemoKeyName, def: { name: string }, input: unknown) {
  const n = await issueActionNonce(t.db, p.userId, def.name);
  const file = pki.keys[keyName].sign;
  const key = await openP12(file.p12, file.password);
  const cms = await signCmsDetached(key, new TextEncoder().encode(canonicalJson({ action: def.name, input, nonce: n.nonce })), { signingTime: now() });
  return { input, nonceId: n.nonceId, cms };
}

async function run<S extends import('zod').ZodType, T>(p: Principal, key: DemoKeyName, def: SignedActionDef<S, T>, input: unknown) {
  return runSignedAction(t.db, p, def, await signed(p, key, def, input));
}

/** An accredited expert organisation as the registration seed writes it. */
async function accreditedOrg(bin: string, name: string, number: string, validUntil = '2030-01-15'): Promise<string> {
  const [org] = await t.db.insert(organisations).values({ bin, name, kind: 'expert_organisation' }).returning();
  const [acc] = await t.db.insert(expertAccreditations).values({ orgId: org.id, certificateNumber: number, issuedOn: '2025-01-15', validUntil }).returning();
  await t.db.insert(expertOrgRegistry).values({ orgId: org.id, accredited: true, registeredAt: astanaInstant('2026-01-05', '09:00'), currentAccreditationId: acc.id });
  return org.id;
}

async function getJson(q?: string, headers: Record<string, string> = {}) {
  const url = `http://localhost/api/v1/expertise/organisations${q !== undefined ? `?q=${encodeURIComponent(q)}` : ''}`;
  return organisationsRoute(new Request(url, { headers }));
}

let alpha: string;
let beta: string;

beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
  setClock(T0);
  pki = await pkiOf(t.db);
  operatorActor = await userOf(t.db, pki, 'operator', ['operator']);
  operator = await principalOf('operator', ['operator']);
  alpha = await accreditedOrg('100140000017', 'ТОО «Альфа Сараптама»', 'KZ-ACC-100');
  beta = await accreditedOrg('100140000028', 'ТОО «Бета Эксперт 100%»', 'KZ-ACC-200');
}, 300_000);
afterAll(() => {
  setClock(null);
  process.env.EDS_TEST_MODE = savedMode;
  resetEnvCache();
});

describe('E-12 E-13 the public list of accredited expert organisations', () => {
  it('E-12 the JSON lists accredited organisations by name with BIN, certificate and status, searchable; cached and revalidated by ETag', async () => {
    const res = await getJson();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
    const body = await res.json();
    expect(body).toMatchObject({ version: 1, query: null, count: 2 });
    expect(body.organisations).toEqual([
      { name: 'ТОО «Альфа Сараптама»', bin: '100140000017', certificate: { number: 'KZ-ACC-100', issuedOn: '2025-01-15', validUntil: '2030-01-15' }, status: 'accredited', registeredAt: '2026-01-05T04:00:00.000Z' },
      expect.objectContaining({ name: 'ТОО «Бета Эксперт 100%»', bin: '100140000028' }),
    ]);
    expect(JSON.stringify(body)).not.toContain(alpha); // no internal ids
    // Search by BIN, by certificate number, by part of the name (case-insensitive); % is literal.
    expect((await (await getJson('100140000028')).json()).organisations.map((o: { bin: string }) => o.bin)).toEqual(['100140000028']);
    expect((await (await getJson('kz-acc-1')).json()).count).toBe(1);
    expect((await (await getJson('альфа')).json()).count).toBe(1);
    expect((await (await getJson('100%')).json()).count).toBe(1);
    expect((await (await getJson('0%0')).json()).count).toBe(0);
    // Unchanged list: 304 with the same ETag.
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect((await getJson(undefined, { 'if-none-match': etag })).status).toBe(304);
    // A too long query is a 422 with the field named.
    const bad = await getJson('x'.repeat(201));
    expect(bad.status).toBe(422);
    expect((await bad.json()).error).toMatchObject({ code: 'validation_failed', fields: { q: expect.any(String) } });
  });

  it('E-13 E-42 X-4 the operator blocks an organisation with a signed action: it leaves the list and the JSON, the journal keeps the signature', async () => {
    const before = (await getJson()).headers.get('etag');
    const r = await run(operator, 'operator', blockOrgDef, { orgId: alpha, ground: 'agreement_breached', basis: 'Акт проверки № 12 от 30.04.2026' });
    expect(r).toEqual({ ok: true, data: { orgId: alpha, blocked: true } });
    expect((await listAccreditedOrganisations(t.db)).map((o) => o.orgId)).toEqual([beta]);
    const res = await getJson();
    expect((await res.json()).organisations.map((o: { bin: string }) => o.bin)).toEqual(['100140000028']);
    expect(res.headers.get('etag')).not.toBe(before);
    const admin = (await listExpertOrganisationsForAdmin(t.db)).find((o) => o.orgId === alpha)!;
    expect(admin).toMatchObject({ blocked: true, blockGround: 'agreement_breached', listed: false, blockBasis: 'Акт проверки № 12 от 30.04.2026' });
    const [row] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'expert_org.block'), eq(auditLog.entityId, alpha)));
    expect(row.signatureId).not.toBeNull();
    expect(row.basis).toContain('E-13 agreement_breached');
    // A ground outside E-13 / E-42 is refused beside the field, and nothing changes.
    const bad = await run(operator, 'operator', blockOrgDef, { orgId: beta, ground: 'dislike', basis: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { ground: expect.any(String) } } });
    expect((await listAccreditedOrganisations(t.db)).map((o) => o.orgId)).toEqual([beta]);
  });

  it('E-13 E-14 reconfirmation (signed) makes a new certificate current; a blocked organisation is unblocked only by repeating E-12', async () => {
    const ok = await run(operator, 'operator', reconfirmDef, { orgId: beta, certificateNumber: 'KZ-ACC-201', issuedOn: '2026-05-01', validUntil: '2031-05-01' });
    expect(ok).toEqual({ ok: true, data: { orgId: beta, blocked: false } });
    expect(await listAccreditedOrganisations(t.db)).toMatchObject([{ orgId: beta, certificateNumber: 'KZ-ACC-201', validUntil: '2031-05-01' }]);
    const blocked = await run(operator, 'operator', reconfirmDef, { orgId: alpha, certificateNumber: 'KZ-ACC-101', issuedOn: '2026-05-01', validUntil: '2031-05-01' });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const reversed = await run(operator, 'operator', reconfirmDef, { orgId: beta, certificateNumber: 'X', issuedOn: '2026-05-01', validUntil: '2026-04-01' });
    expect(reversed).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { validUntil: expect.any(String) } } });
    expect((await listAccreditedOrganisations(t.db)).map((o) => o.orgId)).toEqual([beta]);
  });
});

describe('E-15 tariffs and charges', () => {
  it('E-15 X-4 the operator sets a tariff and charges an organisation for a month, each signed and audited; duplicates are refused beside the field', async () => {
    const tariff = await run(operator, 'operator', tariffDef, {
      service: 'Порталды пайдалану',
      rate: '150000.00',
      unit: 'month',
      validFrom: '2026-01-01',
      validTo: '',
      agreedWithVedomstvo: 'Письмо Ведомства № 01-12/345 от 20.12.2025',
    });
    expect(tariff.ok).toBe(true);
    const tariffId = tariff.ok ? tariff.data.id : '';
    expect((await listTariffs(t.db)).map((x) => x.id)).toContain(tariffId);
    const charge = await run(operator, 'operator', chargeDef, { orgId: beta, tariffId, period: '2026-04', quantity: '1.5' });
    expect(charge).toMatchObject({ ok: true, data: { amount: '225000.00' } });
    expect(await listCharges(t.db, { orgId: beta })).toMatchObject([{ period: '2026-04', amount: '225000.00', service: 'Порталды пайдалану' }]);
    const again = await run(operator, 'operator', chargeDef, { orgId: beta, tariffId, period: '2026-04', quantity: '1' });
    expect(again).toMatchObject({ ok: false, error: { code: 'duplicate', fields: { period: 'duplicate' } } });
    const early = await run(operator, 'operator', chargeDef, { orgId: beta, tariffId, period: '2025-12', quantity: '1' });
    expect(early).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { period: 'before_registration' } } });
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'charge.create'));
    expect(rows).toHaveLength(1);
    expect(rows[0].signatureId).not.toBeNull();
    const tRow = await t.db.select().from(auditLog).where(eq(auditLog.action, 'tariff.create'));
    expect(tRow.map((r) => r.signatureId !== null)).toEqual([true]);
  });
});

describe('E-7 versioned forms', () => {
  it('E-7 X-4 the operator publishes a new version effective from a date (signed); each acceptance keeps the version the user signed', async () => {
    setClock(T0);
    await publishForm(t.db, operatorActor, { kind: 'instructions', title: { kk: 'Нұсқаулық', ru: 'Инструкция' }, body: { kk: 'v1', ru: 'v1' } });
    const u1 = await userOf(t.db, pki, 'individual');
    await acceptForm(t.db, u1, { kind: 'instructions' }, { signatureId: await signAs(t.db, pki, 'individual', 'accept:instructions') });

    const past = await run(operator, 'operator', publishFormDef, {
      kind: 'instructions', titleKk: 'Нұсқаулық 2', titleRu: 'Инструкция 2', titleEn: '', bodyKk: 'v2', bodyRu: 'v2', bodyEn: '', effectiveOn: '2026-05-03',
    });
    expect(past).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { effectiveOn: 'in_the_past' } } });
    const v2 = await run(operator, 'operator', publishFormDef, {
      kind: 'instructions', titleKk: 'Нұсқаулық 2', titleRu: 'Инструкция 2', titleEn: 'Instructions 2', bodyKk: 'v2 kk', bodyRu: 'v2 ru', bodyEn: 'v2 en', effectiveOn: '2026-05-06',
    });
    expect(v2).toMatchObject({ ok: true, data: { kind: 'instructions', version: 2 } });
    // Not in force before the Astana date.
    expect((await getFormInForce(t.db, 'instructions'))?.version).toBe(1);
    setClock(astanaInstant('2026-05-06', '00:00'));
    const inForce = await getFormInForce(t.db, 'instructions');
    expect(inForce).toMatchObject({ version: 2, title: { kk: 'Нұсқаулық 2', ru: 'Инструкция 2', en: 'Instructions 2' } });
    const u2 = await userOf(t.db, pki, 'employee');
    await acceptForm(t.db, u2, { kind: 'instructions' }, { signatureId: await signAs(t.db, pki, 'employee', 'accept:instructions') });
    const list = await listFormAcceptances(t.db, { kind: 'instructions' });
    expect(list.map((a) => [a.userName, a.version])).toEqual([
      [pki.keys.employee.fullName, 2],
      [pki.keys.individual.fullName, 1],
    ]);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'form.publish'));
    expect(audit).toBeDefined();
    expect((await t.db.select().from(auditLog).where(eq(auditLog.action, 'form.publish'))).filter((r) => r.signatureId).length).toBe(1);
    setClock(T0);
  });
});

describe('X-11 X-13 C-16 oversight and refusals', () => {
  it('X-11 X-13 the oversight body and an applicant may not block, set tariffs or publish forms: refused, nothing changes', async () => {
    const overseer = await principalOf('signing_rights', []);
    await t.db.insert(userRoles).values({ userId: overseer.userId, role: 'oversight', orgId: null });
    const o = await principalOf('signing_rights', []);
    expect(o.roles).toEqual(['oversight']);
    const applicant = await principalOf('first_head', ['applicant']);
    for (const [p, key] of [[o, 'signing_rights'], [applicant, 'first_head']] as const) {
      expect(await run(p, key, blockOrgDef, { orgId: beta, ground: 'revoked', basis: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await run(p, key, tariffDef, { service: 's', rate: '1', unit: 'u', validFrom: '2026-01-01', validTo: '', agreedWithVedomstvo: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(
        await run(p, key, publishFormDef, { kind: 'instructions', titleKk: 'a', titleRu: 'a', titleEn: '', bodyKk: 'a', bodyRu: 'a', bodyEn: '', effectiveOn: '2026-06-01' }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await listAccreditedOrganisations(t.db)).map((x) => x.orgId)).toEqual([beta]);
    // X-13: the oversight body monitors; an operator without the oversight or admin role does not; nor does an applicant.
    expect(can(o, 'oversight.monitor')).toBe(true);
    expect(can(operator, 'oversight.monitor')).toBe(false);
    expect(can(applicant, 'oversight.monitor')).toBe(false);
    expect(can(null, 'oversight.monitor')).toBe(false);
  });

  it('X-13 C-16 the journal is listed by user, by system and by action, and people are told apart from the scheduler', async () => {
    // A system (scheduler) action: the daily expiry job blocks an organisation whose certificate has expired.
    const gamma = await accreditedOrg('100140000039', 'ТОО «Гамма»', 'KZ-ACC-300', '2026-05-03');
    await jobHandler('registration.accreditation_expiry')!(
      { slot: 'x', scheduledFor: T0.toISOString() },
      { db: t.db, now: T0, jobId: 1, name: 'registration.accreditation_expiry', attempt: 1, maxAttempts: 3 },
    );
    const list = async (q: Parameters<typeof parseOversightQuery>[0]) => {
      const { filters, problems } = parseOversightQuery(q);
      expect(problems).toEqual([]);
      return (await listOversight(t.db, filters, { limit: 100 })).rows;
    };
    const byOperator = await list({ user: operator.iin });
    expect(byOperator.length).toBeGreaterThan(0);
    expect(byOperator.every((r) => r.actorIin === operator.iin)).toBe(true);
    const expertise = await list({ system: 'expertise' });
    expect(expertise.map((r) => r.action)).toEqual(expect.arrayContaining(['expert_org.block', 'expert_org.reconfirm', 'tariff.create', 'charge.create']));
    expect(expertise.every((r) => r.system === 'expertise')).toBe(true);
    expect((await list({ system: 'identity' })).some((r) => r.action === 'form.publish')).toBe(true);
    expect((await list({ action: 'charge.create' })).map((r) => r.action)).toEqual(['charge.create']);
    expect((await list({ system: 'expertise', action: 'expert_org.' })).every((r) => r.action.startsWith('expert_org.'))).toBe(true);
    const scheduler = await list({ actor: 'system' });
    expect(scheduler.map((r) => [r.action, r.entityId])).toContainEqual(['expert_org.block', gamma]);
    expect(scheduler.every((r) => r.actorUserId === null && r.actorIin === null)).toBe(true);
    expect((await list({ actor: 'users' })).every((r) => r.actorIin !== null || r.actorUserId !== null)).toBe(true);
    // Bad filters are named, not guessed.
    expect(parseOversightQuery({ user: 'bob', system: 'mars', action: 'DROP TABLE', from: '2026-05-05', to: '2026-05-01', actor: 'x' }).problems.sort()).toEqual(
      ['action', 'actor', 'period', 'system', 'user'],
    );
  });
});

describe('X-12 role grants of confirmed registrations', () => {
  it('X-12 X-8 confirming a registration grants its role through the shared role-grant writer: audited; a deactivated applicant is refused and the request stays pending', async () => {
    setClock(T0);
    await publishForm(t.db, operatorActor, { kind: 'user_agreement_expertise', title: { kk: 'Келісім', ru: 'Соглашение' }, body: { kk: 'м', ru: 'т' } });
    const submit = async (name: DemoKeyName) => {
      const who = await userOf(t.db, pki, name);
      const acceptance = await acceptForm(t.db, who, { kind: 'user_agreement_expertise' }, { signatureId: await signAs(t.db, pki, name, 'accept') });
      const { request } = await submitRegistration(
        t.db,
        who,
        {
          kind: 'expertise_applicant',
          personType: 'individual',
          attachments: [{ type: 'identity_document', sha256: sha(), name: 'id.pdf', signatureId: await signAs(t.db, pki, name, 'file') }],
          acceptanceIds: [acceptance.id],
        },
        { signatureId: await signAs(t.db, pki, name, 'registration') },
      );
      return { who, request };
    };
    const a = await submit('individual');
    await confirmRegistration(t.db, operatorActor, a.request.id);
    const grant = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'role.grant'), eq(auditLog.entityId, a.who.userId)));
    expect(grant).toHaveLength(1);
    expect(grant[0].after).toEqual({ role: 'applicant', orgId: null });
    expect(grant[0].basis).toBe('E-8 registration confirmed');

    const b = await submit('employee');
    await t.db.update(users).set({ status: 'deactivated' }).where(eq(users.id, b.who.userId));
    await expect(confirmRegistration(t.db, operatorActor, b.request.id)).rejects.toMatchObject({ code: 'conflict' });
    const [still] = await t.db.select().from(registrationRequests).where(eq(registrationRequests.id, b.request.id));
    expect(still.status).toBe('submitted');
    expect(await t.db.select().from(userRoles).where(eq(userRoles.userId, b.who.userId))).toEqual([]);
  });
});
