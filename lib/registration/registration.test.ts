import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BLOCK_GROUNDS,
  expertOrgRegistry,
  formAcceptances,
  formDocuments,
  notifications,
  registrationRequests,
  userRoles,
  type AttachmentType,
  type FormKind,
} from '@/db/schema';
import type { DemoKeyName, TestPki } from '@/lib/eds/test-pki';
import { jobHandler, registeredPeriodics } from '@/lib/jobs/queue';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import {
  acceptForm,
  blockExpertOrganisation,
  confirmRegistration,
  createCharge,
  createTariff,
  getAcceptance,
  getFormInForce,
  listAccreditedOrganisations,
  listCharges,
  listRegistrationQueue,
  publishForm,
  reconfirmAccreditation,
  refuseRegistration,
  signResponsibleObligation,
  submitRegistration,
  type SubmitRegistrationInput,
} from './index';
import './jobs';
import { pkiOf, sha, signAs, userOf, type TestActor } from './test-fixtures';

const t = useTestDb();
let pki: TestPki;
let operator: TestActor;
const FRI_17 = astanaInstant('2026-04-10', '17:00'); // a Friday

const ALL_FORMS: FormKind[] = [
  'user_agreement_construction',
  'user_agreement_expertise',
  'expert_org_agreement',
  'questionnaire',
  'instructions',
  'procurement_consent',
  'procurement_undertaking',
  'nda_obligation',
];

beforeAll(async () => {
  setClock(astanaInstant('2026-04-01', '09:00'));
  pki = await pkiOf(t.db);
  operator = await userOf(t.db, pki, 'operator', ['operator']);
  for (const kind of ALL_FORMS) {
    await publishForm(t.db, operator, { kind, title: { kk: `${kind} kk`, ru: `${kind} ru` }, body: { kk: 'Мәтін', ru: 'Текст' } });
  }
}, 300_000);

const accept = async (who: TestActor, name: DemoKeyName, kind: FormKind) =>
  (await acceptForm(t.db, who, { kind }, { signatureId: await signAs(t.db, pki, name, `accept:${kind}`) })).id;

async function files(name: DemoKeyName, types: AttachmentType[]) {
  const out = [];
  for (const type of types) out.push({ type, sha256: sha(), name: `${type}.pdf`, signatureId: await signAs(t.db, pki, name, `file:${type}`) });
  return out;
}

async function submit(who: TestActor, name: DemoKeyName, input: SubmitRegistrationInput) {
  return submitRegistration(t.db, who, input, { signatureId: await signAs(t.db, pki, name, `registration:${input.kind}`) });
}

const LEGAL: AttachmentType[] = ['state_registration', 'tax', 'bank_details'];

describe('E-7 versioned forms', () => {
  it('E-7 a user signs the version in force and the record keeps which; a superseded version is refused; versions are immutable', async () => {
    setClock(astanaInstant('2026-04-02', '10:00'));
    const user = await userOf(t.db, pki, 'individual');
    const v1 = (await getFormInForce(t.db, 'instructions'))!;
    const v2 = await publishForm(t.db, operator, {
      kind: 'instructions',
      title: { kk: 'Нұсқаулық 2', ru: 'Инструкция 2' },
      body: { kk: 'Жаңа', ru: 'Новая' },
      inForceFrom: astanaInstant('2026-04-03', '00:00'),
    });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const a1 = await acceptForm(t.db, user, { kind: 'instructions', formDocumentId: v1.id }, { signatureId: await signAs(t.db, pki, 'individual', 'i1') });
    expect((await getAcceptance(t.db, a1.id))!.form.version).toBe(1);

    setClock(astanaInstant('2026-04-03', '09:00'));
    await expect(
      acceptForm(t.db, user, { kind: 'instructions', formDocumentId: v1.id }, { signatureId: await signAs(t.db, pki, 'individual', 'i2') }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const a2 = await acceptForm(t.db, user, { kind: 'instructions' }, { signatureId: await signAs(t.db, pki, 'individual', 'i3') });
    expect((await getAcceptance(t.db, a2.id))!.form.version).toBe(2);
    // The first acceptance still names version 1.
    expect((await getAcceptance(t.db, a1.id))!.formDocumentId).toBe(v1.id);

    await expect(t.db.update(formDocuments).set({ body: { kk: 'x', ru: 'x' } }).where(eq(formDocuments.id, v1.id))).rejects.toThrow();
    await expect(t.db.delete(formAcceptances).where(eq(formAcceptances.id, a1.id))).rejects.toThrow();
    // A signature is someone else's: refused.
    await expect(acceptForm(t.db, user, { kind: 'instructions' }, { signatureId: await signAs(t.db, pki, 'employee', 'x') })).rejects.toMatchObject({
      code: 'signature_invalid',
    });
  });
});

describe('C-6 / C-7 construction users', () => {
  it('C-6 a request submitted on Friday 17:00 is due Monday (1 working day, explained), overdue on Tuesday', async () => {
    setClock(FRI_17);
    const ind = await userOf(t.db, pki, 'individual');
    const input: SubmitRegistrationInput = {
      kind: 'construction_user',
      personType: 'individual',
      formData: { fullName: ind.fullName, phone: '+77010000000' },
      attachments: await files('individual', ['identity_document']),
      acceptanceIds: [await accept(ind, 'individual', 'user_agreement_construction')],
    };
    const { request, duplicate } = await submit(ind, 'individual', input);
    expect(duplicate).toBe(false);
    expect(request.dueDate).toBe('2026-04-13');
    expect(request.dueAt!.getTime()).toBe(astanaInstant('2026-04-14', '00:00').getTime() - 1);
    expect(request.dueExplanation).toMatchObject({ rule: 'C-6', key: 'deadline.working_days', skipped: [{ date: '2026-04-11', reason: 'weekend' }, { date: '2026-04-12', reason: 'weekend' }] });

    setClock(astanaInstant('2026-04-13', '18:00'));
    let q = await listRegistrationQueue(t.db, operator, { kind: 'construction_user' });
    expect(q.find((x) => x.id === request.id)).toMatchObject({ overdue: false });
    setClock(astanaInstant('2026-04-14', '09:00'));
    q = await listRegistrationQueue(t.db, operator, { kind: 'construction_user' });
    expect(q.find((x) => x.id === request.id)).toMatchObject({ overdue: true, applicantName: ind.fullName });

    // A repeated submission while pending is recognised.
    const again = await submit(ind, 'individual', { ...input, acceptanceIds: [await accept(ind, 'individual', 'user_agreement_construction')] });
    expect(again).toMatchObject({ duplicate: true, request: { id: request.id } });
  });

  it('C-6 the attachments and the signed agreement are required', async () => {
    setClock(FRI_17);
    const sr = await userOf(t.db, pki, 'signing_rights');
    await expect(
      submit(sr, 'signing_rights', {
        kind: 'construction_user',
        personType: 'legal_entity',
        attachments: await files('signing_rights', ['state_registration', 'bank_details']),
        acceptanceIds: [await accept(sr, 'signing_rights', 'user_agreement_construction')],
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', fields: { 'attachments.tax': 'required' } });
    await expect(
      submit(sr, 'signing_rights', { kind: 'construction_user', personType: 'legal_entity', attachments: await files('signing_rights', LEGAL) }),
    ).rejects.toMatchObject({ code: 'validation_failed', fields: { 'forms.user_agreement_construction': 'required' } });
    // A legal entity's complete request is accepted and, once confirmed, grants construction_user in the organisation.
    const { request } = await submit(sr, 'signing_rights', {
      kind: 'construction_user',
      personType: 'legal_entity',
      attachments: await files('signing_rights', LEGAL),
      acceptanceIds: [await accept(sr, 'signing_rights', 'user_agreement_construction')],
    });
    await confirmRegistration(t.db, operator, request.id);
    const roles = await t.db.select().from(userRoles).where(and(eq(userRoles.userId, sr.userId), eq(userRoles.role, 'construction_user')));
    expect(roles).toHaveLength(1);
    expect(roles[0].orgId).toBe(sr.orgId);
    const [n] = await t.db.select().from(notifications).where(and(eq(notifications.userId, sr.userId), eq(notifications.kind, 'registration.confirmed')));
    expect(n.title).toBeTruthy();
    await expect(confirmRegistration(t.db, operator, request.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('C-7 the only refusal ground is "already registered"', async () => {
    const ind = await userOf(t.db, pki, 'individual');
    const [pending] = await t.db.select().from(registrationRequests).where(and(eq(registrationRequests.applicantUserId, ind.userId), eq(registrationRequests.kind, 'construction_user')));
    await expect(refuseRegistration(t.db, operator, pending.id, { ground: 'data_incorrect', reason: 'typo' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(refuseRegistration(t.db, ind, pending.id, { ground: 'already_registered' })).rejects.toMatchObject({ code: 'forbidden' });
    const r = await refuseRegistration(t.db, operator, pending.id, { ground: 'already_registered' });
    expect(r).toMatchObject({ status: 'refused', refusalGround: 'already_registered' });
    const ns = await t.db.select().from(notifications).where(and(eq(notifications.userId, ind.userId), eq(notifications.kind, 'registration.rejected')));
    expect(ns).toHaveLength(1);
  });
});

describe('E-8 / E-9 expertise applicants', () => {
  it('E-8 the operator has 3 working days (Friday 17:00 → Wednesday) and the queue is sorted by due', async () => {
    setClock(FRI_17);
    const ind = await userOf(t.db, pki, 'individual');
    const { request } = await submit(ind, 'individual', {
      kind: 'expertise_applicant',
      personType: 'individual',
      attachments: await files('individual', ['identity_document']),
      acceptanceIds: [await accept(ind, 'individual', 'user_agreement_expertise')],
    });
    expect(request.dueDate).toBe('2026-04-15');
    expect(request.dueExplanation).toMatchObject({ rule: 'E-8' });
    const q = await listRegistrationQueue(t.db, operator);
    const dues = q.filter((x) => x.dueAt).map((x) => x.dueAt!.getTime());
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
  });

  it('E-9 refusal grounds: already registered, incorrect or mismatching data — the last two need a reason', async () => {
    const ind = await userOf(t.db, pki, 'individual');
    const [pending] = await t.db.select().from(registrationRequests).where(and(eq(registrationRequests.applicantUserId, ind.userId), eq(registrationRequests.kind, 'expertise_applicant')));
    await expect(refuseRegistration(t.db, operator, pending.id, { ground: 'data_mismatch' })).rejects.toMatchObject({ code: 'validation_failed', fields: { reason: 'required' } });
    await expect(refuseRegistration(t.db, operator, pending.id, { ground: 'no_reason_at_all', reason: 'x' })).rejects.toMatchObject({ code: 'validation_failed' });
    const r = await refuseRegistration(t.db, operator, pending.id, { ground: 'data_mismatch', reason: 'The IIN in the form differs from the identity document.' });
    expect(r).toMatchObject({ status: 'refused', refusalGround: 'data_mismatch', refusalReason: 'The IIN in the form differs from the identity document.' });
  });
});

describe('E-12..E-14, E-41, E-42 expert organisations', () => {
  let head: TestActor;
  const registerExpertOrg = async (validUntil: string, number: string) => {
    const { request } = await submit(head, 'expert_head', {
      kind: 'expert_organisation',
      personType: 'legal_entity',
      formData: { questionnaire: { experts: 12, sections: ['architecture', 'structures'] } },
      accreditation: { certificateNumber: number, issuedOn: '2025-01-15', validUntil },
      attachments: await files('expert_head', [...LEGAL, 'accreditation_certificate', 'questionnaire']),
      acceptanceIds: [await accept(head, 'expert_head', 'expert_org_agreement'), await accept(head, 'expert_head', 'questionnaire')],
    });
    return request;
  };

  it('E-12 a confirmed registration (3 working days) adds the organisation to the public list and makes its user expert_head', async () => {
    setClock(FRI_17);
    head = await userOf(t.db, pki, 'expert_head');
    expect(await listAccreditedOrganisations(t.db)).toEqual([]);
    const request = await registerExpertOrg('2027-12-31', 'KZ-ACC-0001');
    expect(request.dueDate).toBe('2026-04-15');
    expect(request.dueExplanation).toMatchObject({ rule: 'E-12' });
    await confirmRegistration(t.db, operator, request.id);
    const list = await listAccreditedOrganisations(t.db);
    expect(list).toEqual([
      { orgId: head.orgId, name: pki.keys.expert_head.organization, bin: pki.keys.expert_head.bin, certificateNumber: 'KZ-ACC-0001', issuedOn: '2025-01-15', validUntil: '2027-12-31', registeredAt: FRI_17 },
    ]);
    const roles = await t.db.select().from(userRoles).where(and(eq(userRoles.userId, head.userId), eq(userRoles.role, 'expert_head')));
    expect(roles).toHaveLength(1);
  });

  it('E-41 / E-42 registered as an expert IS user 3 working days after signing the agreement; access ends when blocked', async () => {
    setClock(FRI_17);
    const agreementId = await accept(head, 'expert_head', 'expert_org_agreement');
    setClock(astanaInstant('2026-04-13', '11:00')); // submitted on Monday, counted from Friday's signing
    const { request } = await submit(head, 'expert_head', { kind: 'expert_is_user', personType: 'legal_entity', acceptanceIds: [agreementId] });
    expect(request.dueDate).toBe('2026-04-15');
    expect(request.dueExplanation).toMatchObject({ rule: 'E-41' });
    await confirmRegistration(t.db, operator, request.id);
    let [reg] = await t.db.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, head.orgId!));
    expect(reg.isUserSince).not.toBeNull();
    expect(reg.isAccessEndedAt).toBeNull();

    // A non-accredited organisation cannot become an expert IS user.
    const fh = await userOf(t.db, pki, 'first_head');
    await expect(
      submit(fh, 'first_head', { kind: 'expert_is_user', personType: 'legal_entity', acceptanceIds: [await accept(fh, 'first_head', 'expert_org_agreement')] }),
    ).rejects.toMatchObject({ code: 'forbidden' });

    await blockExpertOrganisation(t.db, operator, head.orgId!, { ground: 'agreement_terminated', basis: 'Agreement No 7 terminated on 2026-04-13' });
    [reg] = await t.db.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, head.orgId!));
    expect(reg.isAccessEndedAt).not.toBeNull();
  });

  it('E-13 / E-14 each blocking ground removes the organisation from the list; only a new E-12 registration unblocks it', async () => {
    setClock(astanaInstant('2026-04-14', '10:00'));
    let n = 2;
    for (const ground of BLOCK_GROUNDS) {
      // Unblock by repeating E-12, then block on this ground.
      const reg = await t.db.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, head.orgId!));
      if (reg[0].blocked) {
        expect(await listAccreditedOrganisations(t.db)).toEqual([]);
        await expect(reconfirmAccreditation(t.db, operator, head.orgId!, { certificateNumber: 'X', issuedOn: '2026-01-01', validUntil: '2028-01-01' })).rejects.toMatchObject({
          code: 'conflict',
        });
        await confirmRegistration(t.db, operator, (await registerExpertOrg('2027-12-31', `KZ-ACC-000${n++}`)).id);
      }
      expect((await listAccreditedOrganisations(t.db)).map((o) => o.orgId)).toEqual([head.orgId]);
      await blockExpertOrganisation(t.db, operator, head.orgId!, { ground, basis: `basis for ${ground}` });
      expect(await listAccreditedOrganisations(t.db)).toEqual([]);
      const [row] = await t.db.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, head.orgId!));
      expect(row).toMatchObject({ blocked: true, blockGround: ground });
    }
  });

  it('E-13 the daily job blocks an organisation whose accreditation expired without reconfirmation, on the day', async () => {
    setClock(astanaInstant('2026-04-14', '10:00'));
    await confirmRegistration(t.db, operator, (await registerExpertOrg('2026-04-20', 'KZ-ACC-0100')).id);
    expect(registeredPeriodics().find((p) => p.name === 'registration.accreditation_expiry')?.schedule).toEqual({ dailyAt: '00:10' });
    const run = async (at: Date) => {
      setClock(at);
      return jobHandler('registration.accreditation_expiry')!(
        { slot: 'x', scheduledFor: at.toISOString() },
        { db: t.db, now: at, jobId: 1, name: 'registration.accreditation_expiry', attempt: 1, maxAttempts: 3 },
      );
    };
    expect(await run(astanaInstant('2026-04-20', '23:59'))).toEqual({ blocked: 0 });
    expect((await listAccreditedOrganisations(t.db)).map((o) => o.orgId)).toEqual([head.orgId]);
    expect(await run(astanaInstant('2026-04-21', '00:10'))).toEqual({ blocked: 1 });
    expect(await listAccreditedOrganisations(t.db)).toEqual([]);
    const [row] = await t.db.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, head.orgId!));
    expect(row.blockGround).toBe('not_reconfirmed');
  });

  it('E-15 tariffs agreed with the Vedomstvo and charges per organisation per period', async () => {
    setClock(astanaInstant('2026-04-22', '10:00'));
    const tariff = await createTariff(t.db, operator, { service: 'Portal use', rate: '12500.50', unit: 'month', validFrom: '2026-01-01', agreedWithVedomstvo: 'Letter No 01-12/345 of 2025-12-20' });
    const c = await createCharge(t.db, operator, { orgId: head.orgId!, tariffId: tariff.id, period: '2026-04', quantity: '2' });
    expect(c.amount).toBe('25001.00');
    await expect(createCharge(t.db, operator, { orgId: head.orgId!, tariffId: tariff.id, period: '2026-04', quantity: '1' })).rejects.toMatchObject({ code: 'duplicate' });
    await expect(createCharge(t.db, operator, { orgId: head.orgId!, tariffId: tariff.id, period: '2026-03', quantity: '1' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { period: 'before_registration' },
    });
    const fh = await userOf(t.db, pki, 'first_head');
    await expect(createCharge(t.db, operator, { orgId: fh.orgId!, tariffId: tariff.id, period: '2026-04', quantity: '1' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createTariff(t.db, head, { service: 'x', rate: '1', unit: 'month', validFrom: '2026-01-01', agreedWithVedomstvo: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await listCharges(t.db, { orgId: head.orgId! })).toMatchObject([{ period: '2026-04', amount: '25001.00', service: 'Portal use', rate: '12500.50' }]);
  });
});

describe('P-6 / P-7 procurement', () => {
  it('P-6 the consent and the undertaking must both be signed', async () => {
    setClock(FRI_17);
    const fh = await userOf(t.db, pki, 'first_head');
    const base = { kind: 'procurement_applicant' as const, personType: 'legal_entity' as const, attachments: await files('first_head', LEGAL) };
    await expect(submit(fh, 'first_head', { ...base, acceptanceIds: [await accept(fh, 'first_head', 'procurement_consent')] })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { 'forms.procurement_undertaking': 'required' },
    });
    const { request } = await submit(fh, 'first_head', {
      ...base,
      acceptanceIds: [await accept(fh, 'first_head', 'procurement_consent'), await accept(fh, 'first_head', 'procurement_undertaking')],
    });
    expect(request.dueAt).toBeNull();
    await confirmRegistration(t.db, operator, request.id);
    const roles = await t.db.select().from(userRoles).where(and(eq(userRoles.userId, fh.userId), eq(userRoles.role, 'procurement_applicant')));
    expect(roles).toHaveLength(1);
  });

  it('P-7 each named responsible person signs the non-disclosure obligation before confirmation', async () => {
    setClock(FRI_17);
    const emp = await userOf(t.db, pki, 'employee');
    const sr = await userOf(t.db, pki, 'signing_rights');
    const ind = await userOf(t.db, pki, 'individual');
    const fh = await userOf(t.db, pki, 'first_head');
    const { request } = await submit(emp, 'employee', {
      kind: 'procurement_authorised',
      personType: 'legal_entity',
      responsiblePersons: [
        { iin: sr.iin, fullName: sr.fullName, position: 'Deputy director' },
        { iin: ind.iin, fullName: ind.fullName, position: 'Lawyer' },
      ],
    });
    await expect(confirmRegistration(t.db, operator, request.id)).rejects.toMatchObject({ code: 'conflict' });
    await signResponsibleObligation(t.db, sr, request.id, { signatureId: await signAs(t.db, pki, 'signing_rights', 'nda') });
    await expect(confirmRegistration(t.db, operator, request.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(signResponsibleObligation(t.db, fh, request.id, { signatureId: await signAs(t.db, pki, 'first_head', 'nda') })).rejects.toMatchObject({ code: 'forbidden' });
    const p = await signResponsibleObligation(t.db, ind, request.id, { signatureId: await signAs(t.db, pki, 'individual', 'nda') });
    expect((await getAcceptance(t.db, p.acceptanceId!))!.form.kind).toBe('nda_obligation');
    const q = await listRegistrationQueue(t.db, operator, { kind: 'procurement_authorised' });
    expect(q.find((x) => x.id === request.id)?.responsible).toEqual({ named: 2, signed: 2 });
    await confirmRegistration(t.db, operator, request.id);
    const roles = await t.db.select().from(userRoles).where(and(eq(userRoles.userId, emp.userId), eq(userRoles.role, 'procurement_authorised')));
    expect(roles).toHaveLength(1);
    const audit = await t.db.execute(sql`select count(*)::int as n from audit_log where entity_id = ${request.id}`);
    expect((audit as unknown as { n: number }[])[0].n).toBe(4);
  });
});
