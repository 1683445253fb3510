import { and, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { applicationDocuments, applications } from '@/db/schema/expertise';
import { organisations, users } from '@/db/schema/identity';
import { partnerSignRequests } from '@/db/schema/partner';
import { registrationRequests, registrationResponsiblePersons } from '@/db/schema/registration';
import type { Principal } from '@/lib/auth/principal';
import { countUnread, listNotifications, type NotificationItem } from '@/lib/notify';

/**
 * what the personal cabinet shows. Every query is keyed on the principal (user id, IIN, own
 * organisation): nothing of another user is read here.
 */

export type ToSignItem =
  | { kind: 'nda'; id: string; subject: string; since: Date }
  | { kind: 'conclusion'; id: string; applicationId: string; number: string | null; since: Date }
  | { kind: 'partner_document'; id: string; applicationId: string; number: string | null; fileName: string; since: Date };

export type CabinetData = {
  notifications: NotificationItem[];
  unread: number;
  toSign: ToSignItem[];
  registrations: (typeof registrationRequests.$inferSelect)[];
  organisation: { name: string; bin: string } | null;
  email: string | null;
};

/** Unread first, then newest first (the cabinet's order). */
export function unreadFirst(items: NotificationItem[]): NotificationItem[] {
  return [...items].sort((a, b) => Number(a.readAt !== null) - Number(b.readAt !== null) || b.createdAt.getTime() - a.createdAt.getTime());
}

export async function documentsToSign(db: DbOrTx, p: Principal): Promise<ToSignItem[]> {
  const out: ToSignItem[] = [];
  // P-7: non-disclosure obligations naming this person (by IIN) that are not signed yet.
  const ndas = await db
    .select({ id: registrationResponsiblePersons.id, subject: registrationRequests.subjectKey, since: registrationRequests.submittedAt })
    .from(registrationResponsiblePersons)
    .innerJoin(registrationRequests, eq(registrationRequests.id, registrationResponsiblePersons.registrationId))
    .where(and(eq(registrationResponsiblePersons.iin, p.iin), isNull(registrationResponsiblePersons.signedAt)));
  for (const n of ndas) out.push({ kind: 'nda', id: n.id, subject: n.subject, since: n.since });

  // E-21: documents the expert organisation's information system sent for the applicant's signature, not signed yet.
  const mine = p.orgId ? or(eq(applications.applicantUserId, p.userId), eq(applications.applicantOrgId, p.orgId)) : eq(applications.applicantUserId, p.userId);
  const pushed = await db
    .select({ id: partnerSignRequests.id, applicationId: applications.id, number: applications.number, fileName: applicationDocuments.fileName, since: partnerSignRequests.createdAt })
    .from(partnerSignRequests)
    .innerJoin(applications, eq(applications.id, partnerSignRequests.applicationId))
    .innerJoin(applicationDocuments, eq(applicationDocuments.id, partnerSignRequests.documentId))
    .where(and(mine, isNull(partnerSignRequests.signedAt), isNull(applicationDocuments.annulledAt)))
    .orderBy(desc(partnerSignRequests.createdAt));
  for (const r of pushed) out.push({ kind: 'partner_document', ...r });

  // E-50: conclusions issued by the own expert organisation in an application still under review, unsigned.
  if (p.orgId && p.roles.some((r) => r === 'expert' || r === 'expert_head')) {
    const rows = await db
      .select({ id: applicationDocuments.id, applicationId: applications.id, number: applications.number, since: applicationDocuments.createdAt })
      .from(applicationDocuments)
      .innerJoin(applications, eq(applications.id, applicationDocuments.applicationId))
      .where(
        and(
          eq(applications.expertOrgId, p.orgId),
          inArray(applications.status, ['in_review', 'remarks_issued']),
          eq(applicationDocuments.slot, 'conclusion'),
          eq(applicationDocuments.issuedBy, 'expert'),
          isNull(applicationDocuments.annulledAt),
        ),
      )
      .orderBy(desc(applicationDocuments.createdAt));
    for (const r of rows) out.push({ kind: 'conclusion', ...r });
  }
  return out;
}

export async function loadCabinet(db: DbOrTx, p: Principal): Promise<CabinetData> {
  const [list, unread, toSign, registrations, org, me] = await Promise.all([
    listNotifications(db, p.userId, { limit: 50 }),
    countUnread(db, p.userId),
    documentsToSign(db, p),
    db
      .select()
      .from(registrationRequests)
      .where(eq(registrationRequests.applicantUserId, p.userId))
      .orderBy(desc(registrationRequests.submittedAt)),
    p.orgId ? db.select({ name: organisations.name, bin: organisations.bin }).from(organisations).where(eq(organisations.id, p.orgId)) : Promise.resolve([]),
    db.select({ email: users.email }).from(users).where(eq(users.id, p.userId)),
  ]);
  return {
    notifications: unreadFirst(list.items),
    unread,
    toSign,
    registrations,
    organisation: org[0] ?? null,
    email: me[0]?.email ?? null,
  };
}
