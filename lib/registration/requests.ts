/**
 * Registration requests of every kind of participant (C-6, C-7, E-8, E-9, E-12, E-14, E-41, P-6, P-7): submission
 * with signed forms and attachments, the operator's queue with computed deadlines, confirmation and refusal.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import {
  ATTACHMENT_TYPES,
  expertOrgRegistry,
  formAcceptances,
  formDocuments,
  organisations,
  REGISTRATION_KINDS,
  REGISTRATION_STATUSES,
  registrationForms,
  registrationRequests,
  registrationResponsiblePersons,
  signatures,
  users,
  type AttachmentType,
  type FormKind,
  type RegistrationKind,
} from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import { insertRoleGrant } from '@/lib/auth/users';
import { AppError } from '@/lib/errors';
import { renderTemplate, userLocale, notify } from '@/lib/notify';
import { astanaDateOf } from '@/lib/time/astana';
import type { WorkingCalendar } from '@/lib/time/calendar';
import { loadWorkingCalendar } from '@/lib/time/calendar-store';
import { now } from '@/lib/time/clock';
import { computeDeadline, registerDeadlineSource, type Deadline, type DeadlineInput } from '@/lib/time/deadline';
import { actorSignature, auditActor, parseInput, requireRole, type Actor } from './common';
import { accreditationSchema, registerAccreditedTx } from './expert-orgs';
import { acceptFormTx } from './forms';
import { grantFirstHeadOnConfirmTx } from './views';

export type RegistrationRequest = typeof registrationRequests.$inferSelect;

/** The operator's term per kind (working days) and the rule it implements; P-6 / P-7 have none. */
export const REGISTRATION_TERMS: Partial<Record<RegistrationKind, { days: number; rule: string }>> = {
  construction_user: { days: 1, rule: 'C-6' },
  expertise_applicant: { days: 3, rule: 'E-8' },
  expert_organisation: { days: 3, rule: 'E-12' },
  expert_is_user: { days: 3, rule: 'E-41' },
};

/** The signed forms each kind needs; the first listed agreement is the request's agreement. */
export const REQUIRED_FORMS: Record<RegistrationKind, readonly FormKind[]> = {
  construction_user: ['user_agreement_construction'],
  expertise_applicant: ['user_agreement_expertise'],
  expert_organisation: ['expert_org_agreement', 'questionnaire'],
  expert_is_user: ['expert_org_agreement'],
  procurement_applicant: ['procurement_consent', 'procurement_undertaking'],
  procurement_authorised: [],
};

const AGREEMENT_KINDS: readonly FormKind[] = ['user_agreement_construction', 'user_agreement_expertise', 'expert_org_agreement'];

/** C-6 attachments: a legal entity's registration, tax and bank documents; an individual's identity document. */
export function requiredAttachments(kind: RegistrationKind, personType: 'individual' | 'legal_entity'): AttachmentType[] {
  if (kind === 'expert_is_user' || kind === 'procurement_authorised') return [];
  const base: AttachmentType[] = personType === 'legal_entity' ? ['state_registration', 'tax', 'bank_details'] : ['identity_document'];
  return kind === 'expert_organisation' ? [...base, 'accreditation_certificate', 'questionnaire'] : base;
}

/** The refusal grounds per kind: C-7 only "already registered"; E-9 adds incorrect / mismatching data. */
export const REFUSAL_GROUNDS: Record<RegistrationKind, readonly string[]> = {
  construction_user: ['already_registered'],
  expertise_applicant: ['already_registered', 'data_incorrect', 'data_mismatch'],
  expert_organisation: ['already_registered', 'data_incorrect', 'data_mismatch'],
  expert_is_user: ['already_registered', 'data_incorrect', 'data_mismatch'],
  procurement_applicant: ['already_registered', 'data_incorrect', 'data_mismatch'],
  procurement_authorised: ['already_registered', 'data_incorrect', 'data_mismatch'],
};

/** The role a confirmed request grants (E-41 grants none: it opens expert IS access). */
export const ROLE_OF_KIND: Record<RegistrationKind, string | null> = {
  construction_user: 'construction_user',
  expertise_applicant: 'applicant',
  expert_organisation: 'expert_head',
  expert_is_user: null,
  procurement_applicant: 'procurement_applicant',
  procurement_authorised: 'procurement_authorised',
};

const iin = z.string().regex(/^\d{12}$/, 'iin_12_digits');

export const attachmentSchema = z.object({
  type: z.enum(ATTACHMENT_TYPES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'sha256_hex'),
  name: z.string().trim().min(1).max(255),
  signatureId: z.uuid(),
});

export const submitRegistrationSchema = z.object({
  kind: z.enum(REGISTRATION_KINDS),
  personType: z.enum(['individual', 'legal_entity']),
  formData: z.record(z.string(), z.unknown()).default({}),
  attachments: z.array(attachmentSchema).max(50).default([]),
  /** Signed acceptances of the forms in force (acceptForm), not yet used by another request. */
  acceptanceIds: z.array(z.uuid()).max(10).default([]),
  /** E-12: the accreditation certificate. */
  accreditation: accreditationSchema.optional(),
  /** P-7: the responsible persons. */
  responsiblePersons: z
    .array(z.object({ iin, fullName: z.string().trim().min(1).max(300), position: z.string().trim().min(1).max(300) }))
    .max(50)
    .optional(),
});
export type SubmitRegistrationInput = z.input<typeof submitRegistrationSchema>;

function deadlineInputOf(kind: RegistrationKind, start: Date): DeadlineInput | null {
  const term = REGISTRATION_TERMS[kind];
  if (!term) return null;
  return { start, amount: term.days, unit: 'working_days', rule: { id: term.rule, key: `registration.deadline.${kind}` } };
}

export type SubmitResult = { request: RegistrationRequest; duplicate: boolean };

/**
 * C-6 / E-8 / E-12 / E-41 / P-6 / P-7: submits a registration request, signed by the applicant (`signatureId`).
 * A second submission while one of the same kind for the same subject is pending returns the pending one.
 */
export async function submitRegistration(db: DbOrTx, actor: Actor, input: SubmitRegistrationInput, opts: { signatureId: string }): Promise<SubmitResult> {
  const data = parseInput(submitRegistrationSchema, input);
  return db.transaction(async (tx) => {
    await actorSignature(tx, actor, opts.signatureId);
    const [user] = await tx
      .select({ orgId: users.orgId, status: users.status, bin: organisations.bin })
      .from(users)
      .leftJoin(organisations, eq(organisations.id, users.orgId))
      .where(eq(users.id, actor.userId));
    if (!user || user.status !== 'active') throw new AppError('forbidden', 'The account is not active.');

    const legal = data.personType === 'legal_entity';
    if (legal && (!user.orgId || !user.bin)) {
      throw new AppError('validation_failed', 'A legal entity registers with the EDS of its employee (a certificate with the BIN).', { personType: 'no_organisation' });
    }
    if (['expert_organisation', 'expert_is_user', 'procurement_authorised'].includes(data.kind) && !legal) {
      throw new AppError('validation_failed', 'This registration is for legal entities.', { personType: 'legal_entity_required' });
    }
    const orgId = legal ? user.orgId : null;
    const subjectKey = legal ? `bin:${user.bin}` : `iin:${actor.iin}`;

    const [pending] = await tx
      .select()
      .from(registrationRequests)
      .where(and(eq(registrationRequests.kind, data.kind), eq(registrationRequests.subjectKey, subjectKey), eq(registrationRequests.status, 'submitted')));
    if (pending) return { request: pending, duplicate: true };

    // Attachments: the required ones present, each certified by the applicant or a person of its organisation.
    const missing = requiredAttachments(data.kind, data.personType).filter((t) => !data.attachments.some((a) => a.type === t));
    if (missing.length) {
      throw new AppError('validation_failed', `Attach: ${missing.join(', ')}.`, Object.fromEntries(missing.map((m) => [`attachments.${m}`, 'required'])));
    }
    if (data.attachments.length) {
      const sigIds = [...new Set(data.attachments.map((a) => a.signatureId))];
      const sigs = await tx.select({ id: signatures.id, iin: signatures.signerIin, bin: signatures.signerBin }).from(signatures).where(inArray(signatures.id, sigIds));
      for (const id of sigIds) {
        const s = sigs.find((x) => x.id === id);
        if (!s || (s.iin !== actor.iin && !(legal && s.bin === user.bin))) {
          throw new AppError('signature_invalid', 'Each attachment must be certified with the EDS of the applicant or its employee.', { attachments: 'unsigned' });
        }
      }
    }

    // Signed forms: the actor's own acceptances, unused, covering what the kind requires.
    const acceptances = data.acceptanceIds.length
      ? await tx
          .select({ id: formAcceptances.id, userId: formAcceptances.userId, kind: formDocuments.kind, acceptedAt: formAcceptances.acceptedAt, used: registrationForms.registrationId })
          .from(formAcceptances)
          .innerJoin(formDocuments, eq(formDocuments.id, formAcceptances.formDocumentId))
          .leftJoin(registrationForms, eq(registrationForms.acceptanceId, formAcceptances.id))
          .where(inArray(formAcceptances.id, data.acceptanceIds))
      : [];
    if (acceptances.length !== new Set(data.acceptanceIds).size || acceptances.some((a) => a.userId !== actor.userId || a.used)) {
      throw new AppError('validation_failed', 'A signed form is not yours or was already used.', { acceptanceIds: 'invalid' });
    }
    const missingForms = REQUIRED_FORMS[data.kind].filter((k) => !acceptances.some((a) => a.kind === k));
    if (missingForms.length) {
      throw new AppError('validation_failed', `Sign: ${missingForms.join(', ')}.`, Object.fromEntries(missingForms.map((k) => [`forms.${k}`, 'required'])));
    }
    const agreement = acceptances.find((a) => AGREEMENT_KINDS.includes(a.kind) && REQUIRED_FORMS[data.kind].includes(a.kind));

    const at = now();
    if (data.kind === 'expert_organisation') {
      if (!data.accreditation) throw new AppError('validation_failed', 'Give the accreditation certificate.', { accreditation: 'required' });
      if (data.accreditation.validUntil < astanaDateOf(at)) {
        throw new AppError('validation_failed', 'The accreditation certificate has expired.', { 'accreditation.validUntil': 'expired' });
      }
    }
    if (data.kind === 'expert_is_user') {
      const [reg] = await tx.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, orgId!));
      if (!reg?.accredited || reg.blocked) throw new AppError('forbidden', 'Only a registered, unblocked accredited expert organisation becomes an expert IS user (E-41).');
    }
    if (data.kind === 'procurement_authorised') {
      const persons = data.responsiblePersons ?? [];
      if (!persons.length) throw new AppError('validation_failed', 'Name at least one responsible person (P-7).', { responsiblePersons: 'required' });
      if (new Set(persons.map((p) => p.iin)).size !== persons.length) {
        throw new AppError('validation_failed', 'A responsible person is named twice.', { responsiblePersons: 'duplicate' });
      }
    }

    // E-41 counts from the signing of the agreement with the IS operator; the others from the submission.
    const start = data.kind === 'expert_is_user' && agreement ? agreement.acceptedAt : at;
    const dInput = deadlineInputOf(data.kind, start);
    const deadline = dInput ? computeDeadline(await loadWorkingCalendar(tx), dInput) : null;

    const formData = data.kind === 'expert_organisation' ? { ...data.formData, accreditation: data.accreditation } : data.formData;
    const [row] = await tx
      .insert(registrationRequests)
      .values({
        kind: data.kind,
        applicantUserId: actor.userId,
        applicantOrgId: orgId,
        personType: data.personType,
        subjectKey,
        formData,
        attachments: data.attachments,
        agreementAcceptanceId: agreement?.id ?? null,
        signatureId: opts.signatureId,
        status: 'submitted',
        submittedAt: at,
        deadlineStartAt: deadline?.start ?? null,
        dueAt: deadline?.due ?? null,
        dueDate: deadline?.dueDate ?? null,
        dueExplanation: deadline?.explanation ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      // A concurrent submission of the same request won the race: return it.
      const [other] = await tx
        .select()
        .from(registrationRequests)
        .where(and(eq(registrationRequests.kind, data.kind), eq(registrationRequests.subjectKey, subjectKey), eq(registrationRequests.status, 'submitted')));
      return { request: other, duplicate: true };
    }
    if (acceptances.length) await tx.insert(registrationForms).values(acceptances.map((a) => ({ registrationId: row.id, acceptanceId: a.id })));
    if (data.kind === 'procurement_authorised') {
      await tx.insert(registrationResponsiblePersons).values(data.responsiblePersons!.map((p) => ({ registrationId: row.id, ...p })));
    }
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: 'registration.submit',
      entityType: 'registration_request',
      entityId: row.id,
      basis: `${REGISTRATION_TERMS[data.kind]?.rule ?? (data.kind === 'procurement_applicant' ? 'P-6' : 'P-7')} registration submitted`,
      after: { kind: row.kind, subjectKey, dueAt: row.dueAt?.toISOString() ?? null },
      signatureId: opts.signatureId,
    });
    return { request: row, duplicate: false };
  });
}

export type QueueItem = RegistrationRequest & {
  overdue: boolean;
  /** C-7 / E-9: a confirmed registration of the same kind and subject exists. */
  alreadyRegistered: boolean;
  applicantName: string;
  orgName: string | null;
  /** P-7: responsible persons named / signed. */
  responsible: { named: number; signed: number };
};

export const queueFilterSchema = z.object({ kind: z.enum(REGISTRATION_KINDS).optional(), status: z.enum(REGISTRATION_STATUSES).optional() });

/** The operator's queue, soonest due first (no deadline last), with the overdue flag. */
export async function listRegistrationQueue(db: DbOrTx, operator: Actor, filter: z.input<typeof queueFilterSchema> = {}): Promise<QueueItem[]> {
  requireRole(operator, ['operator', 'admin', 'oversight']);
  const f = parseInput(queueFilterSchema, filter);
  const confirmed = db
    .select({ one: sql`1` })
    .from(sql`registration_requests r2`)
    .where(sql`r2.kind = ${registrationRequests.kind} and r2.subject_key = ${registrationRequests.subjectKey} and r2.status = 'confirmed' and r2.id <> ${registrationRequests.id}`);
  const rows = await db
    .select({
      r: registrationRequests,
      applicantName: users.fullName,
      orgName: organisations.name,
      alreadyRegistered: sql<boolean>`exists ${confirmed}`,
      named: sql<number>`(select count(*)::int from registration_responsible_persons p where p.registration_id = ${registrationRequests.id})`,
      signed: sql<number>`(select count(p.signed_at)::int from registration_responsible_persons p where p.registration_id = ${registrationRequests.id})`,
    })
    .from(registrationRequests)
    .innerJoin(users, eq(users.id, registrationRequests.applicantUserId))
    .leftJoin(organisations, eq(organisations.id, registrationRequests.applicantOrgId))
    .where(and(f.kind ? eq(registrationRequests.kind, f.kind) : undefined, eq(registrationRequests.status, f.status ?? 'submitted')))
    .orderBy(sql`${registrationRequests.dueAt} asc nulls last`, asc(registrationRequests.submittedAt));
  const at = now().getTime();
  return rows.map((x) => ({
    ...x.r,
    overdue: x.r.status === 'submitted' && x.r.dueAt !== null && x.r.dueAt.getTime() < at,
    alreadyRegistered: Boolean(x.alreadyRegistered),
    applicantName: x.applicantName,
    orgName: x.orgName,
    responsible: { named: Number(x.named), signed: Number(x.signed) },
  }));
}

export async function getRegistration(db: DbOrTx, id: string): Promise<RegistrationRequest | null> {
  const [row] = await db.select().from(registrationRequests).where(eq(registrationRequests.id, id));
  return row ?? null;
}

async function lockPending(tx: DbOrTx, id: string): Promise<RegistrationRequest> {
  const [row] = await tx.select().from(registrationRequests).where(eq(registrationRequests.id, id)).for('update');
  if (!row) throw new AppError('not_found', 'No such registration request.');
  if (row.status !== 'submitted') throw new AppError('conflict', `The request was already ${row.status}.`);
  return row;
}

async function displayName(tx: DbOrTx, r: RegistrationRequest): Promise<string> {
  if (r.applicantOrgId) {
    const [o] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, r.applicantOrgId));
    if (o) return o.name;
  }
  const [u] = await tx.select({ name: users.fullName }).from(users).where(eq(users.id, r.applicantUserId));
  return u?.name ?? '';
}

/**
 * Confirms a request: grants the kind's role (C-6 construction_user, E-8 applicant, E-12 expert_head, P-6
 * procurement_applicant, P-7 procurement_authorised), registers an expert organisation as accredited (E-12; a
 * blocked one is unblocked — E-14), opens expert IS access (E-41), and notifies the applicant.
 */
export async function confirmRegistration(db: DbOrTx, operator: Actor, id: string, opts: { signatureId?: string } = {}): Promise<RegistrationRequest> {
  requireRole(operator, ['operator']);
  return db.transaction(async (tx) => {
    if (opts.signatureId) await actorSignature(tx, operator, opts.signatureId);
    const r = await lockPending(tx, id);
    const at = now();
    if (r.kind === 'procurement_authorised') {
      const persons = await tx.select().from(registrationResponsiblePersons).where(eq(registrationResponsiblePersons.registrationId, id));
      const unsigned = persons.filter((p) => !p.signedAt);
      if (unsigned.length) {
        throw new AppError('conflict', `Not every responsible person has signed the non-disclosure obligation (P-7): ${unsigned.map((p) => p.fullName).join(', ')}.`);
      }
    }
    if (r.kind === 'expert_organisation') {
      const acc = accreditationSchema.parse((r.formData as { accreditation?: unknown }).accreditation);
      if (acc.validUntil < astanaDateOf(at)) throw new AppError('conflict', 'The accreditation certificate has expired meanwhile.');
      await registerAccreditedTx(tx, r.applicantOrgId!, r.id, acc, at);
    }
    if (r.kind === 'expert_is_user') {
      const [reg] = await tx.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, r.applicantOrgId!)).for('update');
      if (!reg?.accredited || reg.blocked) throw new AppError('conflict', 'The organisation is not an unblocked accredited expert organisation (E-41).');
      await tx.update(expertOrgRegistry).set({ isUserSince: at, isAccessEndedAt: null, updatedAt: at }).where(eq(expertOrgRegistry.orgId, r.applicantOrgId!));
    }
    const role = ROLE_OF_KIND[r.kind];
    if (role) {
      // The one role-grant writer: idempotent, refuses a deactivated account, audits the grant.
      await insertRoleGrant(
        tx,
        { userId: r.applicantUserId, role, orgId: r.applicantOrgId, grantedBy: operator.userId, signatureId: opts.signatureId ?? null, at },
        { actor: auditActor(operator), action: 'role.grant', basis: `${REGISTRATION_TERMS[r.kind]?.rule ?? r.kind} registration confirmed`, signatureId: opts.signatureId ?? null },
      );
    }
    // the first head who signed the organisation's registration manages its roles (lib/registration/views.ts).
    await grantFirstHeadOnConfirmTx(tx, operator, r, opts.signatureId ?? null);
    const [row] = await tx
      .update(registrationRequests)
      .set({ status: 'confirmed', decidedAt: at, decidedBy: operator.userId })
      .where(eq(registrationRequests.id, id))
      .returning();
    await appendAudit(tx, {
      actor: auditActor(operator),
      action: 'registration.confirm',
      entityType: 'registration_request',
      entityId: id,
      basis: `${REGISTRATION_TERMS[r.kind]?.rule ?? r.kind} registration confirmed`,
      before: { status: 'submitted' },
      after: { status: 'confirmed', role },
      signatureId: opts.signatureId ?? null,
    });
    const locale = await userLocale(tx, r.applicantUserId);
    const msg = renderTemplate('registration.confirmed', locale, { organisation: await displayName(tx, r), at });
    await notify(tx, { userId: r.applicantUserId, kind: 'registration.confirmed', ...msg, link: '/cabinet', entityType: 'registration_request', entityId: id, idempotencyKey: `registration.confirmed:${id}` });
    return row;
  });
}

export const refuseSchema = z.object({ ground: z.string().min(1), reason: z.string().trim().max(2000).optional() });

/** C-7 / E-9: refuses a request on a ground its kind allows; incorrect or mismatching data need a reason. */
export async function refuseRegistration(
  db: DbOrTx,
  operator: Actor,
  id: string,
  input: z.input<typeof refuseSchema>,
  opts: { signatureId?: string } = {},
): Promise<RegistrationRequest> {
  requireRole(operator, ['operator']);
  const data = parseInput(refuseSchema, input);
  return db.transaction(async (tx) => {
    if (opts.signatureId) await actorSignature(tx, operator, opts.signatureId);
    const r = await lockPending(tx, id);
    if (!REFUSAL_GROUNDS[r.kind].includes(data.ground)) {
      const rule = r.kind === 'construction_user' ? 'C-7' : 'E-9';
      throw new AppError('validation_failed', `This ground is not allowed for this registration (${rule}).`, { ground: 'not_allowed' });
    }
    if (data.ground !== 'already_registered' && !data.reason) {
      throw new AppError('validation_failed', 'Say what is incorrect or does not match (E-9).', { reason: 'required' });
    }
    const at = now();
    const [row] = await tx
      .update(registrationRequests)
      .set({ status: 'refused', decidedAt: at, decidedBy: operator.userId, refusalGround: data.ground, refusalReason: data.reason ?? null })
      .where(eq(registrationRequests.id, id))
      .returning();
    await appendAudit(tx, {
      actor: auditActor(operator),
      action: 'registration.refuse',
      entityType: 'registration_request',
      entityId: id,
      basis: `${r.kind === 'construction_user' ? 'C-7' : 'E-9'} ${data.ground}`,
      before: { status: 'submitted' },
      after: { status: 'refused', ground: data.ground, reason: data.reason ?? null },
      signatureId: opts.signatureId ?? null,
    });
    const locale = await userLocale(tx, r.applicantUserId);
    const reasonText = data.reason ? `${data.ground}: ${data.reason}` : data.ground;
    const msg = renderTemplate('registration.rejected', locale, { organisation: await displayName(tx, r), at, reason: reasonText });
    await notify(tx, { userId: r.applicantUserId, kind: 'registration.rejected', ...msg, link: '/cabinet', entityType: 'registration_request', entityId: id, idempotencyKey: `registration.rejected:${id}` });
    return row;
  });
}

/** P-7: a named responsible person signs the non-disclosure obligation (the nda_obligation version in force). */
export async function signResponsibleObligation(
  db: DbOrTx,
  actor: Actor,
  requestId: string,
  opts: { signatureId: string },
): Promise<typeof registrationResponsiblePersons.$inferSelect> {
  return db.transaction(async (tx) => {
    const r = await lockPending(tx, requestId);
    if (r.kind !== 'procurement_authorised') throw new AppError('conflict', 'This request names no responsible persons.');
    const [person] = await tx
      .select()
      .from(registrationResponsiblePersons)
      .where(and(eq(registrationResponsiblePersons.registrationId, requestId), eq(registrationResponsiblePersons.iin, actor.iin)));
    if (!person) throw new AppError('forbidden', 'You are not named as a responsible person of this request.');
    if (person.signedAt) return person;
    const acceptance = await acceptFormTx(tx, actor, { kind: 'nda_obligation' }, opts.signatureId);
    const [row] = await tx
      .update(registrationResponsiblePersons)
      .set({ acceptanceId: acceptance.id, signedAt: acceptance.acceptedAt })
      .where(and(eq(registrationResponsiblePersons.id, person.id), isNull(registrationResponsiblePersons.signedAt)))
      .returning();
    await tx.insert(registrationForms).values({ registrationId: requestId, acceptanceId: acceptance.id });
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: 'registration.responsible_signed',
      entityType: 'registration_request',
      entityId: requestId,
      basis: 'P-7 non-disclosure obligation signed',
      after: { iin: actor.iin, acceptanceId: acceptance.id },
      signatureId: opts.signatureId,
    });
    return row;
  });
}

// A calendar change shows (and the admin can recompute) the open registration deadlines it moves.
registerDeadlineSource({
  name: 'registration',
  async listOpen(db) {
    const rows = await db
      .select()
      .from(registrationRequests)
      .where(and(eq(registrationRequests.status, 'submitted'), sql`${registrationRequests.dueAt} is not null`));
    const cal = await loadWorkingCalendar(db);
    return rows.map((r) => {
      const input = deadlineInputOf(r.kind, r.deadlineStartAt!)!;
      const recompute = (c: WorkingCalendar): Deadline => computeDeadline(c, input);
      return { id: r.id, label: `${REGISTRATION_TERMS[r.kind]!.rule} registration ${r.id.slice(0, 8)}`, current: recompute(cal), recompute };
    });
  },
});
