/** W-3: users rate (1–5) and comment on the services; the operator sees summaries. */
import { and, desc, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { feedback } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { toAuditActor } from '@/lib/auth/policy';
import { appendAudit } from '@/lib/audit';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';
import { now as clockNow } from '@/lib/time/clock';

export const feedbackSchema = z.object({
  service: z.string().trim().min(1).max(64).regex(/^[a-z0-9_.-]+$/, { error: 'a service code such as water.monitoring' }),
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(4000).optional().nullable(),
});
export type FeedbackInput = z.input<typeof feedbackSchema>;

export async function submitFeedback(db: DbOrTx, principal: Principal, input: FeedbackInput) {
  const parsed = feedbackSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'The feedback is not valid.', fieldErrorsFromZod(parsed.error));
  const at = clockNow();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(feedback)
      .values({ userId: principal.userId, service: parsed.data.service, rating: parsed.data.rating, comment: parsed.data.comment || null, createdAt: at })
      .returning();
    await appendAudit(tx, { actor: toAuditActor(principal), action: 'feedback.submit', entityType: 'feedback', entityId: row.id, after: { service: row.service, rating: row.rating }, at });
    return row;
  });
}

export type FeedbackSummary = {
  count: number;
  /** Mean rating rounded to 2 decimals; null without feedback. */
  average: number | null;
  /** Ratings 1..5 → how many. */
  distribution: Record<1 | 2 | 3 | 4 | 5, number>;
  recentComments: { service: string; rating: number; comment: string; createdAt: Date }[];
};

/** For the operator: the average, count, distribution and latest comments, optionally by service and [from, to). */
export async function feedbackSummary(
  db: DbOrTx,
  filter: { service?: string; from?: Date; to?: Date } = {},
  opts: { recent?: number } = {},
): Promise<FeedbackSummary> {
  const conds: SQL[] = [];
  if (filter.service) conds.push(eq(feedback.service, filter.service));
  if (filter.from) conds.push(gte(feedback.createdAt, filter.from));
  if (filter.to) conds.push(lt(feedback.createdAt, filter.to));
  const where = conds.length ? and(...conds) : undefined;
  const dist = await db
    .select({ rating: feedback.rating, n: sql<number>`count(*)`.mapWith(Number) })
    .from(feedback)
    .where(where)
    .groupBy(feedback.rating);
  const distribution: FeedbackSummary['distribution'] = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let count = 0;
  let total = 0;
  for (const d of dist) {
    distribution[d.rating as 1 | 2 | 3 | 4 | 5] = d.n;
    count += d.n;
    total += d.n * d.rating;
  }
  const recent = await db
    .select({ service: feedback.service, rating: feedback.rating, comment: feedback.comment, createdAt: feedback.createdAt })
    .from(feedback)
    .where(and(where, isNotNull(feedback.comment)))
    .orderBy(desc(feedback.createdAt), desc(feedback.id))
    .limit(opts.recent ?? 10);
  return {
    count,
    average: count ? Math.round((total / count) * 100) / 100 : null,
    distribution,
    recentComments: recent.map((r) => ({ ...r, comment: r.comment ?? '' })),
  };
}
