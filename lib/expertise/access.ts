/** what the applicant and the expert organisation may read, with keyset pagination. */
import { and, asc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { union } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/db/client';
import { applicationDeadlines, applicationDocuments, applicationEvents, applications } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { assertApplicant, assertExpert, isApplicantOf, isExpertOf, type Application } from './internal';

export type ApplicationListItem = Pick<
  Application,
  'id' | 'number' | 'status' | 'objectName' | 'category' | 'expertOrgId' | 'registrationDate' | 'registeredAt' | 'createdAt'
>;
export type Page<T> = { items: T[]; nextCursor: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) throw new AppError('bad_request', 'Invalid cursor', { cursor: 'invalid' });
  return { at: new Date(at).toISOString(), id };
}

const listColumns = {
  id: applications.id,
  number: applications.number,
  status: applications.status,
  objectName: applications.objectName,
  category: applications.category,
  expertOrgId: applications.expertOrgId,
  registrationDate: applications.registrationDate,
  registeredAt: applications.registeredAt,
  createdAt: applications.createdAt,
};

function limitOf(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 20), 1), 100);
}

/** The applicant's own applications (and its organisation's), newest first. */
export async function listApplicationsForApplicant(
  db: DbOrTx,
  applicant: Principal,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<ApplicationListItem>> {
  const limit = limitOf(opts.limit);
  const after: SQL[] = [];
  if (opts.cursor) {
    const c = decodeCursor(opts.cursor);
    after.push(sql`(${applications.createdAt}, ${applications.id}) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  // NULLS LAST as in applications_applicant_*_idx: only then does the index give the order (no sort of all rows).
  const newestFirst = [sql`${applications.createdAt} desc nulls last`, sql`${applications.id} desc nulls last`];
  const page = (owner: SQL) =>
    db
      .select(listColumns)
      .from(applications)
      .where(and(owner, ...after))
      .orderBy(...newestFirst)
      .limit(limit + 1);
  // The user's own and its organisation's: two index range scans merged (an OR would read every row of both).
  const rows = applicant.orgId
    ? await union(page(eq(applications.applicantUserId, applicant.userId)), page(eq(applications.applicantOrgId, applicant.orgId)))
        .orderBy(sql`created_at desc nulls last`, sql`id desc nulls last`)
        .limit(limit + 1)
    : await page(eq(applications.applicantUserId, applicant.userId));
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** The expert organisation's queue: registered applications addressed to it only, newest registration first. */
export async function listQueueForExpertOrg(
  db: DbOrTx,
  expert: Principal,
  opts: { cursor?: string | null; limit?: number; status?: Application['status'] } = {},
): Promise<Page<ApplicationListItem>> {
  if (!expert.orgId || !(expert.roles.includes('expert') || expert.roles.includes('expert_head'))) {
    throw new AppError('forbidden', 'Only experts of an expert organisation see its queue.');
  }
  const limit = limitOf(opts.limit);
  // `status <> 'draft'` matches the partial index applications_expert_queue_idx.
  const conds: SQL[] = [eq(applications.expertOrgId, expert.orgId), ne(applications.status, 'draft')];
  if (opts.status) conds.push(eq(applications.status, opts.status));
  if (opts.cursor) {
    const c = decodeCursor(opts.cursor);
    conds.push(sql`(${applications.registeredAt}, ${applications.id}) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await db
    .select(listColumns)
    .from(applications)
    .where(and(...conds))
    // NULLS LAST as in applications_expert_queue_idx, so that the index gives the order.
    .orderBy(sql`${applications.registeredAt} desc nulls last`, sql`${applications.id} desc nulls last`)
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last?.registeredAt ? encodeCursor(last.registeredAt, last.id) : null };
}

export type OpenDeadline = Pick<typeof applicationDeadlines.$inferSelect, 'applicationId' | 'kind' | 'dueAt' | 'dueDate'>;

/** The open deadlines of a page of the queue (the expert's list marks overdue ones), earliest first. */
export async function openDeadlinesOf(db: DbOrTx, applicationIds: readonly string[]): Promise<OpenDeadline[]> {
  if (!applicationIds.length) return [];
  return db
    .select({ applicationId: applicationDeadlines.applicationId, kind: applicationDeadlines.kind, dueAt: applicationDeadlines.dueAt, dueDate: applicationDeadlines.dueDate })
    .from(applicationDeadlines)
    .where(and(inArray(applicationDeadlines.applicationId, [...applicationIds]), eq(applicationDeadlines.status, 'open')))
    .orderBy(asc(applicationDeadlines.dueAt));
}

export type DocumentView = typeof applicationDocuments.$inferSelect;

export type ApplicationView = {
  application: Application;
  documents: DocumentView[];
  deadlines: (typeof applicationDeadlines.$inferSelect)[];
  events: (typeof applicationEvents.$inferSelect)[];
  /** E-50: the conclusion's state as the applicant sees it. */
  conclusion: { exists: boolean; held: boolean; reason: 'awaiting_payment' | null; signedAt: Date | null; document: DocumentView | null };
};

async function loadView(db: DbOrTx, app: Application, forApplicant: boolean): Promise<ApplicationView> {
  const [documents, deadlines, events] = await Promise.all([
    db
      .select()
      .from(applicationDocuments)
      .where(eq(applicationDocuments.applicationId, app.id))
      .orderBy(asc(applicationDocuments.slot), asc(applicationDocuments.version)),
    db.select().from(applicationDeadlines).where(eq(applicationDeadlines.applicationId, app.id)),
    db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app.id)).orderBy(asc(applicationEvents.id)),
  ]);
  const released = app.status === 'conclusion_released' || (app.status === 'archived' && app.paymentConfirmedAt !== null);
  const signed = app.conclusionSignedAt !== null;
  // E-50: until the payment is confirmed the applicant sees that a conclusion exists, not the document itself.
  const visible = forApplicant ? documents.filter((d) => d.slot !== 'conclusion' || released) : documents;
  const conclusionDoc = documents.find((d) => d.id === app.conclusionDocumentId) ?? null;
  return {
    application: app,
    documents: visible,
    deadlines,
    events,
    conclusion: {
      exists: signed,
      held: signed && !released,
      reason: signed && !released ? 'awaiting_payment' : null,
      signedAt: app.conclusionSignedAt,
      document: !forApplicant || released ? conclusionDoc : null,
    },
  };
}

async function findApplication(db: DbOrTx, id: string): Promise<Application> {
  if (!UUID.test(id)) throw new AppError('not_found', 'The application does not exist.');
  const [app] = await db.select().from(applications).where(eq(applications.id, id));
  if (!app) throw new AppError('not_found', 'The application does not exist.');
  return app;
}

/** the applicant's view of its own (or its organisation's) application; anyone else gets 'not_found'. */
export async function getApplicationForApplicant(db: DbOrTx, applicant: Principal, id: string): Promise<ApplicationView> {
  const app = await findApplication(db, id);
  assertApplicant(applicant, app);
  return loadView(db, app, true);
}

/** the expert organisation's view of an application addressed to it. */
export async function getApplicationForExpert(db: DbOrTx, expert: Principal, id: string): Promise<ApplicationView> {
  const app = await findApplication(db, id);
  assertExpert(expert, app);
  return loadView(db, app, false);
}

/** E-51: every version of every document (annulled ones included), for either party. */
export async function listDocumentHistory(db: DbOrTx, p: Principal, id: string): Promise<DocumentView[]> {
  const app = await findApplication(db, id);
  const applicant = isApplicantOf(p, app);
  if (!applicant && !isExpertOf(p, app)) throw new AppError('not_found', 'The application does not exist.');
  return (await loadView(db, app, applicant)).documents;
}
