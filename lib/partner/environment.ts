/**
 * E-49 (003 §49): the expert organisation exchanges documents with environmental-protection authorities (the
 * authorised body, its territorial units, local executive bodies) through the workspace. Each message is signed
 * with the sender's EDS and audited; the authority sees only the applications sent to it.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { applications, environmentalMessages, organisations } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { can, toAuditActor } from '@/lib/auth/policy';
import { requireSignedUpload } from '@/lib/documents/tus';
import { AppError } from '@/lib/errors';
import { addEvent, assertExpert, isExpertOf, lockApplication } from '@/lib/expertise/internal';
import { now } from '@/lib/time/clock';
import { answerSchema, envFileRef, sendToAuthoritySchema } from './schemas';

export { answerSchema, sendToAuthoritySchema };
import { UUID } from './expertise';
import { notifyUser } from './notify';

/** organisations.kind of an environmental-protection authority. */
export const AUTHORITY_ORG_KIND = 'environmental_authority';

export type EnvironmentalMessage = typeof environmentalMessages.$inferSelect;

/** The uploaded file of the sender (its own tus upload; the signed digest must be the file's). */
async function attachment(tx: DbOrTx, p: Principal, f: z.output<typeof envFileRef> | undefined) {
  if (!f) return { fileName: null, sha256: null, size: null, storageKey: null };
  const up = await requireSignedUpload(tx, p, f, 'file');
  return { fileName: f.fileName, sha256: up.sha256, size: up.size, storageKey: up.storageKey };
}

/** The authorities an expert can write to (active organisations of the authority kind). */
export async function listAuthorities(db: DbOrTx): Promise<{ id: string; name: string; bin: string }[]> {
  return db
    .select({ id: organisations.id, name: organisations.name, bin: organisations.bin })
    .from(organisations)
    .where(and(eq(organisations.kind, AUTHORITY_ORG_KIND), eq(organisations.status, 'active')))
    .orderBy(asc(organisations.name));
}

/** E-49: an expert of the application's organisation sends a document to an authority (signed). */
export async function sendToAuthority(db: DbOrTx, expert: Principal, input: z.input<typeof sendToAuthoritySchema>, signatureId: string): Promise<EnvironmentalMessage> {
  const v = sendToAuthoritySchema.parse(input);
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, v.applicationId);
    assertExpert(expert, app);
    if (app.status === 'archived') throw new AppError('conflict', 'The application is archived.');
    const [authority] = await tx.select().from(organisations).where(eq(organisations.id, v.authorityOrgId));
    if (!authority || authority.kind !== AUTHORITY_ORG_KIND || authority.status !== 'active') {
      throw new AppError('validation_failed', 'Choose an environmental-protection authority.', { authorityOrgId: 'not an authority' });
    }
    const file = await attachment(tx, expert, v.file);
    const at = now();
    const [msg] = await tx
      .insert(environmentalMessages)
      .values({
        applicationId: app.id,
        expertOrgId: app.expertOrgId!,
        authorityOrgId: authority.id,
        direction: 'to_authority',
        subject: v.subject,
        body: v.body || null,
        ...file,
        signatureId,
        createdBy: expert.userId,
        createdAt: at,
      })
      .returning();
    await addEvent(tx, app.id, at, 'expert', expert.userId, 'env_sent', { messageId: msg.id, authority: authority.name });
    await appendAudit(tx, {
      actor: toAuditActor(expert),
      action: 'partner.environment.send',
      entityType: 'environmental_message',
      entityId: msg.id,
      signatureId,
      after: { applicationId: app.id, authorityOrgId: authority.id, subject: v.subject, sha256: file.sha256 },
    });
    return msg;
  });
}

function assertAuthority(p: Principal): asserts p is Principal & { orgId: string } {
  if (!p.orgId || !can(p, 'environment.exchange')) throw new AppError('forbidden', 'Only users of an environmental-protection authority answer here.');
}

/** E-49: the authority answers a message addressed to its organisation (signed); the sending expert is notified. */
export async function answerFromAuthority(db: DbOrTx, authorityUser: Principal, input: z.input<typeof answerSchema>, signatureId: string): Promise<EnvironmentalMessage> {
  assertAuthority(authorityUser);
  const v = answerSchema.parse(input);
  return db.transaction(async (tx) => {
    const [req] = await tx.select().from(environmentalMessages).where(eq(environmentalMessages.id, v.replyToId));
    // a message to another authority does not exist for this one.
    if (!req || req.authorityOrgId !== authorityUser.orgId || req.direction !== 'to_authority') throw new AppError('not_found', 'The message does not exist.');
    const app = await lockApplication(tx, req.applicationId);
    const file = await attachment(tx, authorityUser, v.file);
    const at = now();
    const [msg] = await tx
      .insert(environmentalMessages)
      .values({
        applicationId: req.applicationId,
        expertOrgId: req.expertOrgId,
        authorityOrgId: req.authorityOrgId,
        direction: 'to_expert',
        replyToId: req.id,
        subject: v.subject,
        body: v.body || null,
        ...file,
        signatureId,
        createdBy: authorityUser.userId,
        createdAt: at,
      })
      .returning();
    await addEvent(tx, app.id, at, 'system', authorityUser.userId, 'env_answered', { messageId: msg.id, replyToId: req.id });
    await notifyUser(tx, req.createdBy, 'partner.env_answer', {
      applicationId: app.id,
      link: `/expertise/workspace/${app.id}`,
      params: { number: app.number, subject: v.subject },
    });
    await appendAudit(tx, {
      actor: toAuditActor(authorityUser),
      action: 'partner.environment.answer',
      entityType: 'environmental_message',
      entityId: msg.id,
      signatureId,
      after: { applicationId: app.id, replyToId: req.id, subject: v.subject, sha256: file.sha256 },
    });
    return msg;
  });
}

export type ExchangeMessage = EnvironmentalMessage & { authorityName: string };

async function messagesOf(db: DbOrTx, applicationId: string, authorityOrgId?: string): Promise<ExchangeMessage[]> {
  const rows = await db
    .select({ m: environmentalMessages, authorityName: organisations.name })
    .from(environmentalMessages)
    .innerJoin(organisations, eq(organisations.id, environmentalMessages.authorityOrgId))
    .where(
      authorityOrgId
        ? and(eq(environmentalMessages.applicationId, applicationId), eq(environmentalMessages.authorityOrgId, authorityOrgId))
        : eq(environmentalMessages.applicationId, applicationId),
    )
    .orderBy(asc(environmentalMessages.createdAt));
  return rows.map(({ m, authorityName }) => ({ ...m, authorityName }));
}

/** The expert's view of the exchange of one application (every authority). */
export async function exchangeForExpert(db: DbOrTx, expert: Principal, applicationId: string): Promise<ExchangeMessage[]> {
  if (!UUID.test(applicationId)) throw new AppError('not_found', 'The application does not exist.');
  const [app] = await db.select().from(applications).where(eq(applications.id, applicationId));
  if (!app) throw new AppError('not_found', 'The application does not exist.');
  assertExpert(expert, app);
  return messagesOf(db, applicationId);
}

export type AuthorityListItem = { applicationId: string; number: string | null; objectName: string | null; region: string | null; lastAt: Date; pending: number };

/** the applications sent to the authority's organisation, latest message first. */
export async function listForAuthority(db: DbOrTx, authorityUser: Principal): Promise<AuthorityListItem[]> {
  assertAuthority(authorityUser);
  const rows = await db
    .select({
      applicationId: environmentalMessages.applicationId,
      lastAt: sql<Date>`max(${environmentalMessages.createdAt})`.mapWith((v: string | Date) => new Date(v)),
      requests: sql<number>`count(*) filter (where ${environmentalMessages.direction} = 'to_authority')`.mapWith(Number),
      answers: sql<number>`count(*) filter (where ${environmentalMessages.direction} = 'to_expert')`.mapWith(Number),
    })
    .from(environmentalMessages)
    .where(eq(environmentalMessages.authorityOrgId, authorityUser.orgId))
    .groupBy(environmentalMessages.applicationId)
    .orderBy(desc(sql`max(${environmentalMessages.createdAt})`))
    .limit(200);
  if (!rows.length) return [];
  const apps = await db
    .select({ id: applications.id, number: applications.number, objectName: applications.objectName, region: applications.region })
    .from(applications)
    .where(inArray(applications.id, rows.map((r) => r.applicationId)));
  const byId = new Map(apps.map((a) => [a.id, a]));
  return rows.map((r) => {
    const a = byId.get(r.applicationId)!;
    return { applicationId: r.applicationId, number: a.number, objectName: a.objectName, region: a.region, lastAt: r.lastAt, pending: Math.max(0, r.requests - r.answers) };
  });
}

export type AuthorityView = {
  application: { id: string; number: string | null; objectName: string | null; region: string | null; address: string | null; category: string | null; workKind: string | null };
  messages: ExchangeMessage[];
};

/** one application as the authority sees it — only when something was sent to it; else 'not_found'. */
export async function getForAuthority(db: DbOrTx, authorityUser: Principal, applicationId: string): Promise<AuthorityView> {
  assertAuthority(authorityUser);
  if (!UUID.test(applicationId)) throw new AppError('not_found', 'The application does not exist.');
  const messages = await messagesOf(db, applicationId, authorityUser.orgId);
  if (!messages.length) throw new AppError('not_found', 'The application does not exist.');
  const [a] = await db.select().from(applications).where(eq(applications.id, applicationId));
  return {
    application: { id: a.id, number: a.number, objectName: a.objectName, region: a.region, address: a.address, category: a.category, workKind: a.workKind },
    messages,
  };
}

/** A message's file for either side of the exchange (X-11: anyone else gets 'not_found'). */
export async function messageFile(db: DbOrTx, p: Principal, messageId: string): Promise<EnvironmentalMessage> {
  if (!UUID.test(messageId)) throw new AppError('not_found', 'The file does not exist.');
  const [m] = await db.select().from(environmentalMessages).where(eq(environmentalMessages.id, messageId));
  if (!m || !m.storageKey) throw new AppError('not_found', 'The file does not exist.');
  const [app] = await db.select().from(applications).where(eq(applications.id, m.applicationId));
  const authority = p.orgId === m.authorityOrgId && can(p, 'environment.exchange');
  if (!authority && !isExpertOf(p, app)) throw new AppError('not_found', 'The file does not exist.');
  return m;
}
