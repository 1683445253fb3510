import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, expertOrgRegistry, notifications, uploads, userRoles, type FormKind } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import type { DemoKeyName, TestPki } from '@/lib/eds/test-pki';
import {
  confirmRegistration,
  findExistingRegistration,
  getRegistrationView,
  grantRole,
  listOrganisationMembers,
  listOrganisationRoleHistory,
  listRegistrationQueue,
  openRegistrationAttachment,
  publishForm,
  refuseRegistration,
  withdrawRole,
} from '@/lib/registration';
import { pkiOf, signAs, userOf, type TestActor } from '@/lib/registration/test-fixtures';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { PAGE_KIND_NAMES, TERM_OF, registrationFormSchema, type RegistrationFormValues } from '@/components/registration/kinds';
import { certifyAttachment, signForm, submitRegistrationForm } from './core';

const t = useTestDb();
let pki: TestPki;
let operator: TestActor;
let head: TestActor;
let employee: TestActor;

const FORMS: FormKind[] = ['user_agreement_construction', 'user_agreement_expertise', 'nda_obligation', 'expert_org_agreement'];

beforeAll(async () => {
  setClock(astanaInstant('2026-04-01', '09:00'));
  pki = await pkiOf(t.db);
  operator = await userOf(t.db, pki, 'operator', ['operator']);
  for (const kind of FORMS) await publishForm(t.db, operator, { kind, title: { kk: `${kind} kk`, ru: `${kind} ru` }, body: { kk: 'Мәтін', ru: 'Текст' } });
  // The demo keys of the new organisation: no roles, as the sign-in creates them.
  head = await userOf(t.db, pki, 'new_first_head');
  employee = await userOf(t.db, pki, 'new_employee');
}, 300_000);

const asPrincipal = (a: TestActor): Principal => ({ ...a, roles: [...a.roles] });

/** A finished upload of `who` (as the tus handler records it) certified with the key's EDS through the page's core. */
async function upload(who: TestActor, key: DemoKeyName, type: 'state_registration' | 'tax' | 'bank_details' | 'identity_document') {
  const body = crypto.randomBytes(64);
  const sha256 = crypto.createHash('sha256').update(body).digest('hex');
  const [row] = await t.db
    .insert(uploads)
    .values({ tusId: crypto.randomUUID(), ownerUserId: who.userId, fileName: `${type}.pdf`, size: body.length, sha256, storageKey: `sha256/${sha256}` })
    .returning();
  const sig = await signAs(t.db, pki, key, 'registration.attachment.certify');
  return certifyAttachment(t.db, asPrincipal(who), { type, uploadId: row.id, fileName: row.fileName, size: row.size, sha256 }, sig);
}

async function form(who: TestActor, key: DemoKeyName, kind: FormKind) {
  const { getFormInForce } = await import('@/lib/registration');
  const f = (await getFormInForce(t.db, kind))!;
  return signForm(t.db, asPrincipal(who), { kind, formDocumentId: f.id }, await signAs(t.db, pki, key, 'registration.form.sign'));
}

function values(v: Partial<RegistrationFormValues> & Pick<RegistrationFormValues, 'pageKind' | 'personType'>): RegistrationFormValues {
  return { phone: '+7 701 000 00 00', email: 'office@zhana-qala.kz', address: 'Астана, Мәңгілік Ел 1', bankName: 'Halyk', iban: 'KZ12 6010 0000 0000 0001', bic: 'HSBKKZKX', attachments: [], acceptances: {}, ...v };
}

async function submit(who: TestActor, key: DemoKeyName, v: RegistrationFormValues) {
  const parsed = registrationFormSchema.parse(v);
  return submitRegistrationForm(t.db, asPrincipal(who), parsed, await signAs(t.db, pki, key, 'registration.submit'));
}

describe('registration page cores and views', () => {
  it('E-41 /register offers the expert IS user kind: the agreement signed, no attachments or bank details; the queue shows the 3 working days from the signing', async () => {
    expect(PAGE_KIND_NAMES).toContain('expert-is');
    expect(TERM_OF['expert-is']).toEqual({ days: 3, rule: 'E-41' });
    const bare = { pageKind: 'expert-is' as const, personType: 'legal_entity' as const, bankName: '', iban: '', bic: '' };
    expect(registrationFormSchema.safeParse(values(bare)).error!.issues.map((i) => i.path.join('.'))).toEqual(['form_expert_org_agreement']);
    expect(registrationFormSchema.safeParse(values({ ...bare, personType: 'individual' })).error!.issues.some((i) => i.path[0] === 'personType')).toBe(true);

    const expert = await userOf(t.db, pki, 'expert_head', ['expert_head']);
    await t.db.insert(expertOrgRegistry).values({ orgId: expert.orgId!, accredited: true, registeredAt: astanaInstant('2026-01-15', '10:00') });
    setClock(astanaInstant('2026-04-10', '16:00')); // Friday: the agreement with the IS operator is signed
    const agreement = await form(expert, 'expert_head', 'expert_org_agreement');
    setClock(astanaInstant('2026-04-13', '09:30')); // Monday: the request is submitted
    const r = await submit(expert, 'expert_head', values({ ...bare, acceptances: { expert_org_agreement: agreement.acceptanceId } }));
    expect(r.kind).toBe('expert_is_user');
    // 3 working days from Friday's signing (not from Monday's submission): Mon, Tue, Wed → due by the end of Wednesday.
    expect(r.dueAt).toBe(new Date(astanaInstant('2026-04-16', '00:00').getTime() - 1).toISOString());
    const [item] = (await listRegistrationQueue(t.db, operator, { kind: 'expert_is_user' })).filter((q) => q.id === r.id);
    expect(item).toMatchObject({ dueDate: '2026-04-15', overdue: false, dueExplanation: expect.objectContaining({ rule: 'E-41' }) });
    await confirmRegistration(t.db, operator, r.id, { signatureId: await signAs(t.db, pki, 'operator', 'registration.confirm') });
    const [reg] = await t.db.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, expert.orgId!));
    expect(reg.isUserSince).not.toBeNull();
  });

  it('C-6 the form schema requires the legal entity’s documents, bank details and the signed agreement (the same schema as the server)', () => {
    const r = registrationFormSchema.safeParse(values({ pageKind: 'construction', personType: 'legal_entity', iban: '' }));
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['iban', 'attachment_state_registration', 'attachment_tax', 'attachment_bank_details', 'form_user_agreement_construction']));
    // C-6: an individual's bank details are optional; the identity document is required.
    const ind = registrationFormSchema.safeParse(values({ pageKind: 'construction', personType: 'individual', bankName: '', iban: '', bic: '' }));
    expect(ind.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['attachment_identity_document', 'form_user_agreement_construction']);
    // E-12 / P-7 are for legal entities only.
    expect(registrationFormSchema.safeParse(values({ pageKind: 'authorised', personType: 'individual' })).error!.issues.some((i) => i.path[0] === 'personType')).toBe(true);
  });

  it('C-6 / X-12 a new organisation’s first head registers it; the operator confirms; the first head gets the first_head role and grants an employee’s role (X-11: seen only by whom it concerns)', async () => {
    setClock(astanaInstant('2026-04-10', '17:00')); // Friday
    const attachments = [await upload(head, 'new_first_head', 'state_registration'), await upload(head, 'new_first_head', 'tax'), await upload(head, 'new_first_head', 'bank_details')];
    const agreement = await form(head, 'new_first_head', 'user_agreement_construction');
    expect(agreement.version).toBe(1);
    const r = await submit(head, 'new_first_head', values({ pageKind: 'construction', personType: 'legal_entity', attachments, acceptances: { user_agreement_construction: agreement.acceptanceId } }));
    expect(r.duplicate).toBe(false);
    // C-6: 1 working day: Friday 17:00 → due Monday.
    expect(r.dueAt).toBe(new Date(astanaInstant('2026-04-14', '00:00').getTime() - 1).toISOString());

    const queue = await listRegistrationQueue(t.db, operator, { kind: 'construction_user' });
    expect(queue.map((q) => q.id)).toContain(r.id);

    // the applicant and the operator see it; another user does not (not_found hides its existence).
    expect((await getRegistrationView(t.db, head, r.id)).forms.map((f) => [f.kind, f.version])).toEqual([['user_agreement_construction', 1]]);
    expect((await getRegistrationView(t.db, operator, r.id)).request.attachments).toHaveLength(3);
    await expect(getRegistrationView(t.db, employee, r.id)).rejects.toMatchObject({ code: 'not_found' });

    // an attachment download by staff is audited; others are refused.
    await expect(openRegistrationAttachment(t.db, employee, r.id, attachments[0].sha256)).rejects.toMatchObject({ code: 'forbidden' });
    const att = await openRegistrationAttachment(t.db, operator, r.id, attachments[0].sha256);
    expect(att.type).toBe('state_registration');
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'registration.attachment.download'), eq(auditLog.entityId, r.id)));
    expect(audit).toHaveLength(1);
    await expect(openRegistrationAttachment(t.db, operator, r.id, 'f'.repeat(64))).rejects.toMatchObject({ code: 'not_found' });

    // Before confirmation the head has no right to manage roles.
    await expect(listOrganisationMembers(t.db, head, head.orgId!)).rejects.toMatchObject({ code: 'forbidden' });

    setClock(astanaInstant('2026-04-13', '10:00'));
    await confirmRegistration(t.db, operator, r.id, { signatureId: await signAs(t.db, pki, 'operator', 'registration.confirm') });
    const roles = await t.db.select({ role: userRoles.role }).from(userRoles).where(and(eq(userRoles.userId, head.userId), isNull(userRoles.revokedAt)));
    expect(roles.map((x) => x.role).sort()).toEqual(['construction_user', 'first_head']);
    const notes = await t.db.select().from(notifications).where(eq(notifications.userId, head.userId));
    expect(notes.map((n) => n.kind)).toContain('registration.confirmed');

    // the first head (now with the role) grants the employee a role, signed; the history keeps it.
    const fh = { ...head, roles: ['construction_user', 'first_head'] };
    await grantRole(t.db, fh, { userIin: employee.iin, role: 'applicant', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'new_first_head', 'org.role.grant') });
    const members = await listOrganisationMembers(t.db, fh, head.orgId!);
    expect(members.find((m) => m.iin === employee.iin)?.roles).toEqual(['applicant']);
    await withdrawRole(t.db, fh, { userIin: employee.iin, role: 'applicant', orgId: head.orgId! }, { signatureId: await signAs(t.db, pki, 'new_first_head', 'org.role.withdraw') });
    const history = await listOrganisationRoleHistory(t.db, fh, head.orgId!);
    const applicantGrant = history.find((h) => h.role === 'applicant')!;
    expect([applicantGrant.userIin, applicantGrant.signed, applicantGrant.revokedAt !== null, applicantGrant.grantedByName]).toEqual([employee.iin, true, true, head.fullName]);
    // An employee is not the first head: refused.
    await expect(listOrganisationRoleHistory(t.db, { ...employee, roles: ['first_head'], orgId: operator.orgId }, head.orgId!)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('C-7 a subject already registered is refused as a duplicate; a pending request is found and returned', async () => {
    const again = [await upload(head, 'new_first_head', 'state_registration'), await upload(head, 'new_first_head', 'tax'), await upload(head, 'new_first_head', 'bank_details')];
    const agreement = await form(head, 'new_first_head', 'user_agreement_construction');
    await expect(
      submit(head, 'new_first_head', values({ pageKind: 'construction', personType: 'legal_entity', attachments: again, acceptances: { user_agreement_construction: agreement.acceptanceId } })),
    ).rejects.toMatchObject({ code: 'duplicate', fields: { kind: 'already_registered' } });
    expect(await findExistingRegistration(t.db, 'construction_user', `bin:${head.bin}`)).toMatchObject({ status: 'confirmed' });
  });

  it('E-8 / E-9 an individual’s request is refused with a reason, which the applicant reads; an attachment that is not the applicant’s own upload is refused', async () => {
    const ind = await userOf(t.db, pki, 'individual');
    const identity = await upload(ind, 'individual', 'identity_document');
    const agreement = await form(ind, 'individual', 'user_agreement_expertise');
    // Someone else's file (not uploaded by this applicant) cannot be attached even with the applicant's signature.
    const foreign = { ...identity, sha256: crypto.randomBytes(32).toString('hex') };
    await expect(
      submit(ind, 'individual', values({ pageKind: 'expertise', personType: 'individual', attachments: [foreign], acceptances: { user_agreement_expertise: agreement.acceptanceId } })),
    ).rejects.toMatchObject({ code: 'validation_failed', fields: { 'attachments.identity_document': 'not_uploaded' } });

    const r = await submit(ind, 'individual', values({ pageKind: 'expertise', personType: 'individual', bankName: '', iban: '', bic: '', attachments: [identity], acceptances: { user_agreement_expertise: agreement.acceptanceId } }));
    // A repeated submission while pending is recognised and returns the same request.
    const agreement2 = await form(ind, 'individual', 'user_agreement_expertise');
    const repeat = await submit(ind, 'individual', values({ pageKind: 'expertise', personType: 'individual', attachments: [identity], acceptances: { user_agreement_expertise: agreement2.acceptanceId } }));
    expect(repeat).toMatchObject({ id: r.id, duplicate: true });

    await expect(refuseRegistration(t.db, operator, r.id, { ground: 'data_mismatch' })).rejects.toMatchObject({ fields: { reason: 'required' } });
    await refuseRegistration(t.db, operator, r.id, { ground: 'data_mismatch', reason: 'The identity document is of another person.' }, { signatureId: await signAs(t.db, pki, 'operator', 'registration.refuse') });
    const view = await getRegistrationView(t.db, ind, r.id);
    expect([view.request.status, view.request.refusalGround, view.request.refusalReason, view.decidedByName]).toEqual([
      'refused',
      'data_mismatch',
      'The identity document is of another person.',
      operator.fullName,
    ]);
  });

  it('X-12 a legal entity registered by an employee (not the first head’s certificate) gives no first_head role', async () => {
    const alatauHead = await userOf(t.db, pki, 'employee'); // ТОО "АЛАТАУ ҚҰРЫЛЫС" employee certificate
    const attachments = [await upload(alatauHead, 'employee', 'state_registration'), await upload(alatauHead, 'employee', 'tax'), await upload(alatauHead, 'employee', 'bank_details')];
    const agreement = await form(alatauHead, 'employee', 'user_agreement_construction');
    const r = await submit(alatauHead, 'employee', values({ pageKind: 'construction', personType: 'legal_entity', attachments, acceptances: { user_agreement_construction: agreement.acceptanceId } }));
    await confirmRegistration(t.db, operator, r.id, { signatureId: await signAs(t.db, pki, 'operator', 'registration.confirm') });
    const roles = await t.db.select({ role: userRoles.role }).from(userRoles).where(and(eq(userRoles.userId, alatauHead.userId), isNull(userRoles.revokedAt)));
    expect(roles.map((x) => x.role)).toEqual(['construction_user']);
  });
});
