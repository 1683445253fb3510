/**
 * The applicant's application list and the expert organisation's queue as JSON bodies (issue 5): one place for
 * the query schemas and the shapes that `GET /api/v1/expertise/applications` and `GET /api/v1/expertise/queue`
 * answer and that the pages render. Authorisation is the caller's principal: the list functions in
 * access.ts scope every query to it.
 */
import { z } from 'zod';
import { APPLICATION_STATUSES } from '@/db/schema';
import type { DbOrTx } from '@/db/client';
import type { Principal } from '@/lib/auth/principal';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';
import { listApplicationsForApplicant, listQueueForExpertOrg, openDeadlinesOf, type ApplicationListItem, type OpenDeadline } from './access';

export const LIST_PAGE_SIZE = 20;

const cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'a cursor from a previous page')
  .optional();
const limit = z.coerce.number().int().min(1).max(100).default(LIST_PAGE_SIZE);

/** `?cursor=&limit=` of the applicant's list. */
export const applicantListQuerySchema = z.object({ cursor, limit });

/** The statuses an expert organisation's queue can be filtered by (drafts are never in it). */
export const QUEUE_STATUSES = APPLICATION_STATUSES.filter((s) => s !== 'draft');
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** `?status=&cursor=&limit=` of the expert organisation's queue. */
export const queueQuerySchema = z.object({ status: z.enum(QUEUE_STATUSES).optional(), cursor, limit });

/** A query string's parameters through `schema`; anything wrong is 400 `bad_request` with the fields named. */
export function parseListQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of params) {
    const prev = raw[k];
    raw[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new AppError('bad_request', 'The query is not valid.', fieldErrorsFromZod(r.error));
  return r.data;
}

export type ApplicationListJson = Omit<ApplicationListItem, 'registeredAt' | 'createdAt'> & { registeredAt: string | null; createdAt: string };
export type QueueItemJson = ApplicationListJson & {
  /** The open deadlines, earliest first (E-44), and whether one has passed. */
  deadlines: { kind: OpenDeadline['kind']; dueAt: string; dueDate: string }[];
  overdue: boolean;
};

function itemJson(a: ApplicationListItem): ApplicationListJson {
  return { ...a, registeredAt: a.registeredAt?.toISOString() ?? null, createdAt: a.createdAt.toISOString() };
}

/** The signed-in applicant's applications (its own and its organisation's), newest first, in keyset pages. */
export async function applicantListBody(db: DbOrTx, applicant: Principal, q: z.output<typeof applicantListQuerySchema>) {
  const page = await listApplicationsForApplicant(db, applicant, { cursor: q.cursor ?? null, limit: q.limit });
  return { items: page.items.map(itemJson), nextCursor: page.nextCursor };
}

/** E-21 / E-44: the expert organisation's queue, newest registration first, each with its open deadlines. */
export async function expertQueueBody(db: DbOrTx, expert: Principal, q: z.output<typeof queueQuerySchema>, at: Date) {
  const page = await listQueueForExpertOrg(db, expert, { status: q.status, cursor: q.cursor ?? null, limit: q.limit });
  const open = await openDeadlinesOf(
    db,
    page.items.map((a) => a.id),
  );
  const byApp = new Map<string, OpenDeadline[]>();
  for (const d of open) {
    const list = byApp.get(d.applicationId);
    if (list) list.push(d);
    else byApp.set(d.applicationId, [d]);
  }
  const items: QueueItemJson[] = page.items.map((a) => {
    const ds = byApp.get(a.id) ?? [];
    return {
      ...itemJson(a),
      deadlines: ds.map((d) => ({ kind: d.kind, dueAt: d.dueAt.toISOString(), dueDate: d.dueDate })),
      overdue: ds.some((d) => d.dueAt.getTime() < at.getTime()),
    };
  });
  return { items, nextCursor: page.nextCursor };
}
