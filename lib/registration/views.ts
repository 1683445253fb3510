/**
 * What the registration pages read and the few writes they add (issue 4 parts 6, 7, 10): a request as its
 * applicant or the operator sees it, a recognised duplicate (C-7 / E-9 "already registered"), the audited
 * download of an attachment, the first head's role when an organisation's registration is confirmed,
 * and an organisation's employees with their roles and the history of grants.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/db/client';
import {
  formAcceptances,
  formDocuments,
  organisations,
  registrationForms,
  registrationRequests,
  registrationResponsiblePersons,
  signatures,
  uploads,
  userRoles,
  users,
  type FormKind,
  type LocalizedText,
  type RegistrationAttachment,
  type RegistrationKind,
} from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import { insertRoleGrant } from '@/lib/auth/users';
import { parseCertificate } from '@/lib/eds/certificate';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';
import { auditActor, requireRole, type Actor } from './common';

export type RegistrationRequestRow = typeof registrationRequests.$inferSelect;

const STAFF = ['operator', 'admin', 'oversight'];
const isStaff = (a: Actor) => a.roles.some((r) => STAFF.includes(r));

/** Who is registered by a request of this person type: 'bin:<BIN>' for a legal entity, 'iin:<IIN>' for an individual. */
export function subjectKeyOf(actor: Pick<Actor, 'iin' | 'bin'>, personType: 'individual' | 'legal_entity'): string | null {
  if (personType === 'legal_entity') return actor.bin ? `bin:${actor.bin}` : null;
  return `iin:${actor.iin}`;
}

/**
 * C-7 / E-9: the subject's registration of this kind that already exists — confirmed ("already registered") or
 * still under review (a repeated submission) — or null.
 */
export async function findExistingRegistration(
  db: DbOrTx,
  kind: RegistrationKind,
  subjectKey: string,
): Promise<{ id: string; status: 'submitted' | 'confirmed' } | null> {
  const rows = await db
    .select({ id: registrationRequests.id, status: registrationRequests.status })
    .from(registrationRequests)
    .where(and(eq(registrationRequests.kind, kind), eq(registrationRequests.subjectKey, subjectKey), inArray(registrationRequests.status, ['submitted', 'confirmed'])))
    .orderBy(desc(registrationRequests.submittedAt));
  const confirmed = rows.find((r) => r.status === 'confirmed');
  const hit = confirmed ?? rows[0];
  return hit ? { id: hit.id, status: hit.status as 'submitted' | 'confirmed' } : null;
}

/** C-7: refuses a new request when the subject is already among the registered users of this kind. */
export async function assertNotRegistered(db: DbOrTx, kind: RegistrationKind, subjectKey: string): Promise<void> {
  const existing = await findExistingRegistration(db, kind, subjectKey);
  if (existing?.status === 'confirmed') {
    throw new AppError('duplicate', 'You are already registered for this (C-7).', { kind: 'already_registered' });
  }
}

/**
 * X-4 / E-17: each attachment must be a finished upload of the applicant (the same SHA-256) certified with a
 * stored signature of the applicant over exactly this file.
 */
export async function assertOwnAttachments(db: DbOrTx, actor: Actor, attachments: readonly RegistrationAttachment[]): Promise<void> {
  if (!attachments.length) return;
  const hashes = [...new Set(attachments.map((a) => a.sha256.toLowerCase()))];
  const own = await db
    .select({ sha256: uploads.sha256 })
    .from(uploads)
    .where(and(eq(uploads.ownerUserId, actor.userId), inArray(uploads.sha256, hashes)));
  const have = new Set(own.map((u) => u.sha256));
  const missing = attachments.filter((a) => !have.has(a.sha256.toLowerCase()));
  if (missing.length) {
    throw new AppError(
      'validation_failed',
      'Upload each attachment yourself before submitting.',
      Object.fromEntries(missing.map((m) => [`attachments.${m.type}`, 'not_uploaded'])),
    );
  }
}

export type RegistrationView = {
  request: RegistrationRequestRow;
  applicantName: string;
  applicantIin: string;
  organisation: { name: string; bin: string } | null;
  decidedByName: string | null;
  /** The signed forms with the version each acceptance records (E-7). */
  forms: { kind: FormKind; version: number; title: LocalizedText; acceptedAt: Date }[];
  responsible: { iin: string; fullName: string; position: string; signedAt: Date | null }[];
  /** C-7 / E-9: another confirmed registration of the same kind and subject exists. */
  alreadyRegistered: boolean;
  overdue: boolean;
};

/**
 * a request for its applicant, the first head of the applicant's organisation, a responsible person it names
 * (P-7), or staff (operator, admin, oversight). Anyone else gets 'not_found' (its existence is not disclosed).
 */
export async function getRegistrationView(db: DbOrTx, viewer: Actor, id: string): Promise<RegistrationView> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not_found', 'No such registration request.');
  const decider = alias(users, 'decider');
  const [row] = await db
    .select({
      r: registrationRequests,
      applicantName: users.fullName,
      applicantIin: users.iin,
      orgName: organisations.name,
      orgBin: organisations.bin,
      decidedByName: decider.fullName,
    })
    .from(registrationRequests)
    .innerJoin(users, eq(users.id, registrationRequests.applicantUserId))
    .leftJoin(organisations, eq(organisations.id, registrationRequests.applicantOrgId))
    .leftJoin(decider, eq(decider.id, registrationRequests.decidedBy))
    .where(eq(registrationRequests.id, id));
  const r = row?.r;
  const orgHead = r?.applicantOrgId && viewer.orgId === r.applicantOrgId && viewer.roles.includes('first_head');
  if (!r) throw new AppError('not_found', 'No such registration request.');
  if (!(r.applicantUserId === viewer.userId || orgHead || isStaff(viewer))) {
    // P-7: a person named as responsible sees the request they are asked to sign for.
    const [named] = await db
      .select({ id: registrationResponsiblePersons.id })
      .from(registrationResponsiblePersons)
      .where(and(eq(registrationResponsiblePersons.registrationId, id), eq(registrationResponsiblePersons.iin, viewer.iin)));
    if (!named) throw new AppError('not_found', 'No such registration request.');
  }
  const [forms, responsible, others] = await Promise.all([
    db
      .select({ kind: formDocuments.kind, version: formDocuments.version, title: formDocuments.title, acceptedAt: formAcceptances.acceptedAt })
      .from(registrationForms)
      .innerJoin(formAcceptances, eq(formAcceptances.id, registrationForms.acceptanceId))
      .innerJoin(formDocuments, eq(formDocuments.id, formAcceptances.formDocumentId))
      .where(eq(registrationForms.registrationId, id))
      .orderBy(asc(formAcceptances.acceptedAt)),
    db
      .select({
        iin: registrationResponsiblePersons.iin,
        fullName: registrationResponsiblePersons.fullName,
        position: registrationResponsiblePersons.position,
        signedAt: registrationResponsiblePersons.signedAt,
      })
      .from(registrationResponsiblePersons)
      .where(eq(registrationResponsiblePersons.registrationId, id))
      .orderBy(asc(registrationResponsiblePersons.fullName)),
    db
      .select({ id: registrationRequests.id })
      .from(registrationRequests)
      .where(
        and(
          eq(registrationRequests.kind, r.kind),
          eq(registrationRequests.subjectKey, r.subjectKey),
          eq(registrationRequests.status, 'confirmed'),
          sql`${registrationRequests.id} <> ${id}`,
        ),
      )
      .limit(1),
  ]);
  return {
    request: r,
    applicantName: row.applicantName,
    applicantIin: row.applicantIin,
    organisation: row.orgName && row.orgBin ? { name: row.orgName, bin: row.orgBin } : null,
    decidedByName: row.decidedByName ?? null,
    forms,
    responsible,
    alreadyRegistered: others.length > 0,
    overdue: r.status === 'submitted' && r.dueAt !== null && r.dueAt.getTime() < now().getTime(),
  };
}

/** The signed-in user's own requests, newest first (the cabinet's "my registrations"). */
export async function listMyRegistrations(db: DbOrTx, actor: Actor): Promise<RegistrationRequestRow[]> {
  return db.select().from(registrationRequests).where(eq(registrationRequests.applicantUserId, actor.userId)).orderBy(desc(registrationRequests.submittedAt));
}

/**
 * an attachment of a request for staff to download; the download is written to the audit journal.
 * 'not_found' when the request or the attachment does not exist.
 */
export async function openRegistrationAttachment(
  db: DbOrTx,
  staff: Actor,
  requestId: string,
  sha256: string,
  meta: { requestId?: string } = {},
): Promise<RegistrationAttachment> {
  requireRole(staff, STAFF);
  if (!/^[0-9a-f-]{36}$/i.test(requestId) || !/^[0-9a-f]{64}$/i.test(sha256)) throw new AppError('not_found', 'No such attachment.');
  const [r] = await db.select().from(registrationRequests).where(eq(registrationRequests.id, requestId));
  const att = r?.attachments.find((a) => a.sha256.toLowerCase() === sha256.toLowerCase());
  if (!r || !att) throw new AppError('not_found', 'No such attachment.');
  await appendAudit(db, {
    actor: auditActor(staff),
    action: 'registration.attachment.download',
    entityType: 'registration_request',
    entityId: requestId,
    basis: 'X-9 / X-11 a registration attachment was downloaded',
    after: { type: att.type, name: att.name, sha256: att.sha256 },
    requestId: meta.requestId,
  });
  return att;
}

/**
 * X-12: when a legal entity's registration is confirmed and the request was signed with the certificate of the
 * organisation's first head (NCA role OID 1.2.398.3.3.4.1.2.1 and the organisation's BIN), that person receives the
 * first_head role in the organisation, so that they grant and withdraw the employees' roles. Idempotent; call it
 * inside the confirmation's transaction. Returns whether a role was granted now.
 */
export async function grantFirstHeadOnConfirmTx(tx: DbOrTx, operator: Actor, request: RegistrationRequestRow, signatureId: string | null): Promise<boolean> {
  if (request.personType !== 'legal_entity' || !request.applicantOrgId || request.kind === 'expert_is_user') return false;
  const [sig] = await tx.select({ certDer: signatures.certDer, iin: signatures.signerIin }).from(signatures).where(eq(signatures.id, request.signatureId));
  const [org] = await tx.select({ bin: organisations.bin }).from(organisations).where(eq(organisations.id, request.applicantOrgId));
  const [applicant] = await tx.select({ iin: users.iin }).from(users).where(eq(users.id, request.applicantUserId));
  if (!sig || !org || !applicant || sig.iin !== applicant.iin) return false;
  const cert = parseCertificate(sig.certDer);
  if (!cert.ncaRoles.includes('first_head') || cert.bin !== org.bin) return false;
  const { created } = await insertRoleGrant(
    tx,
    { userId: request.applicantUserId, role: 'first_head', orgId: request.applicantOrgId, grantedBy: operator.userId, signatureId, at: now() },
    {
      actor: auditActor(operator),
      action: 'role.grant_first_head',
      basis: 'X-12 the registered organisation’s first head (proven by the certificate that signed the registration)',
      signatureId,
    },
  );
  return created;
}

export type OrgMember = {
  userId: string;
  iin: string;
  fullName: string;
  status: 'active' | 'deactivated';
  lastSignInAt: Date | null;
  roles: string[];
};

export type RoleHistoryItem = {
  id: string;
  userName: string;
  userIin: string;
  role: string;
  grantedAt: Date;
  grantedByName: string | null;
  signed: boolean;
  revokedAt: Date | null;
  revokedByName: string | null;
};

function assertOrgHead(actor: Actor, orgId: string): void {
  if (!actor.roles.includes('first_head') || actor.orgId !== orgId) {
    throw new AppError('forbidden', 'Only the organisation’s first head manages its roles (X-12).');
  }
}

/** the organisation's people (users with its BIN who signed in), with their active roles in it. */
export async function listOrganisationMembers(db: DbOrTx, firstHead: Actor, orgId: string): Promise<OrgMember[]> {
  assertOrgHead(firstHead, orgId);
  const people = await db
    .select({ userId: users.id, iin: users.iin, fullName: users.fullName, status: users.status, lastSignInAt: users.lastSignInAt })
    .from(users)
    .where(eq(users.orgId, orgId))
    .orderBy(asc(users.fullName));
  const grants = people.length
    ? await db
        .select({ userId: userRoles.userId, role: userRoles.role })
        .from(userRoles)
        .where(and(eq(userRoles.orgId, orgId), isNull(userRoles.revokedAt), inArray(userRoles.userId, people.map((p) => p.userId))))
    : [];
  return people.map((p) => ({
    ...p,
    roles: grants
      .filter((g) => g.userId === p.userId)
      .map((g) => g.role)
      .sort(),
  }));
}

/** every grant and withdrawal of a role in the organisation, newest first. */
export async function listOrganisationRoleHistory(db: DbOrTx, firstHead: Actor, orgId: string, limit = 200): Promise<RoleHistoryItem[]> {
  assertOrgHead(firstHead, orgId);
  const granter = alias(users, 'granter');
  const revoker = alias(users, 'revoker');
  const rows = await db
    .select({
      id: userRoles.id,
      userName: users.fullName,
      userIin: users.iin,
      role: userRoles.role,
      grantedAt: userRoles.grantedAt,
      grantedByName: granter.fullName,
      signatureId: userRoles.signatureId,
      revokedAt: userRoles.revokedAt,
      revokedByName: revoker.fullName,
    })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .leftJoin(granter, eq(granter.id, userRoles.grantedBy))
    .leftJoin(revoker, eq(revoker.id, userRoles.revokedBy))
    .where(eq(userRoles.orgId, orgId))
    .orderBy(desc(sql`greatest(${userRoles.grantedAt}, coalesce(${userRoles.revokedAt}, ${userRoles.grantedAt}))`))
    .limit(limit);
  return rows.map(({ signatureId, ...r }) => ({ ...r, grantedByName: r.grantedByName ?? null, revokedByName: r.revokedByName ?? null, signed: signatureId !== null }));
}
