/**
 * E-44: the deadlines of an application, computed from the per-category durations (deadline_configs) over the
 * working calendar, stored with their explanation, extendable, and registered as a deadline source so that a
 * calendar change shows which of them move.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { applicationDeadlines, DEADLINE_KINDS, deadlineConfigs } from '@/db/schema';
import { appendAudit, type AuditActor } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import type { WorkingCalendar } from '@/lib/time/calendar';
import { loadWorkingCalendar } from '@/lib/time/calendar-store';
import { now } from '@/lib/time/clock';
import { computeDeadline, registerDeadlineSource, type Deadline, type DeadlineExtension, type DeadlineInput } from '@/lib/time/deadline';
import { addEvent } from './internal';

export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export type DeadlineConfig = typeof deadlineConfigs.$inferSelect;
export type StoredDeadline = typeof applicationDeadlines.$inferSelect;

const DAYS_OF: Record<DeadlineKind, keyof Pick<DeadlineConfig, 'completenessDays' | 'remarksDays' | 'remedyDays' | 'conclusionDays'>> = {
  completeness: 'completenessDays',
  remarks: 'remarksDays',
  remedy: 'remedyDays',
  conclusion: 'conclusionDays',
};

export async function getDeadlineConfig(db: DbOrTx, category: string): Promise<DeadlineConfig> {
  const [row] = await db.select().from(deadlineConfigs).where(eq(deadlineConfigs.category, category));
  if (!row) throw new AppError('validation_failed', `No deadline durations are configured for the category "${category}".`, { category: 'unknown category' });
  return row;
}

/** The input of one deadline of an application (rule E-44, the configured amount and unit). */
export function deadlineInput(config: DeadlineConfig, kind: DeadlineKind, start: Date, extensions: DeadlineExtension[] = []): DeadlineInput {
  return {
    start,
    amount: config[DAYS_OF[kind]],
    unit: config.unit === 'working' ? 'working_days' : 'calendar_days',
    rule: { id: 'E-44', key: `expertise.deadline.${kind}` },
    extensions,
  };
}

function inputOfRow(row: StoredDeadline): DeadlineInput {
  return {
    start: row.startAt,
    amount: row.amount,
    unit: row.unit,
    rule: { id: 'E-44', key: `expertise.deadline.${row.kind}` },
    extensions: row.extensions as DeadlineExtension[],
  };
}

/** Computes and stores (or recomputes) one deadline of an application. */
export async function setDeadline(
  tx: DbOrTx,
  cal: WorkingCalendar,
  applicationId: string,
  config: DeadlineConfig,
  kind: DeadlineKind,
  start: Date,
): Promise<Deadline> {
  const d = computeDeadline(cal, deadlineInput(config, kind, start));
  const values = {
    applicationId,
    kind,
    startAt: d.start,
    amount: d.amount,
    unit: d.unit as 'working_days' | 'calendar_days',
    dueAt: d.due,
    dueDate: d.dueDate,
    explanation: d.explanation,
    extensions: [],
    status: 'open' as const,
    closedAt: null,
  };
  await tx
    .insert(applicationDeadlines)
    .values(values)
    .onConflictDoUpdate({ target: [applicationDeadlines.applicationId, applicationDeadlines.kind], set: values });
  await addEvent(tx, applicationId, now(), 'system', null, 'deadline_set', { kind, dueAt: d.due, dueDate: d.dueDate, explanation: d.explanation });
  return d;
}

/** Closes an open deadline as met (or missed). */
export async function closeDeadline(tx: DbOrTx, applicationId: string, kind: DeadlineKind, status: 'met' | 'missed', at: Date): Promise<void> {
  await tx
    .update(applicationDeadlines)
    .set({ status, closedAt: at })
    .where(and(eq(applicationDeadlines.applicationId, applicationId), eq(applicationDeadlines.kind, kind), eq(applicationDeadlines.status, 'open')));
}

export async function getDeadlines(db: DbOrTx, applicationId: string): Promise<StoredDeadline[]> {
  return db.select().from(applicationDeadlines).where(eq(applicationDeadlines.applicationId, applicationId));
}

export async function getDeadline(db: DbOrTx, applicationId: string, kind: DeadlineKind): Promise<StoredDeadline | null> {
  const [row] = await db
    .select()
    .from(applicationDeadlines)
    .where(and(eq(applicationDeadlines.applicationId, applicationId), eq(applicationDeadlines.kind, kind)));
  return row ?? null;
}

export const extensionSchema = z.object({
  by: z.number().int().min(1).max(365),
  unit: z.enum(['working_days', 'calendar_days']),
  reason: z.string().trim().min(1).max(1000),
  ref: z.string().trim().max(200).nullish(),
  /** Which open deadlines to extend (default: all open ones). */
  kinds: z.array(z.enum(DEADLINE_KINDS)).nonempty().optional(),
});
export type ExtensionInput = z.input<typeof extensionSchema>;

/**
 * The extension hook (for the incidents rules, I-*): extends the application's open deadlines, each counted
 * from its current due, keeps the extension in the deadline's history, and records event and audit rows.
 */
export async function extendApplicationDeadlines(
  db: DbOrTx,
  applicationId: string,
  input: ExtensionInput,
  actor: AuditActor | null = null,
): Promise<StoredDeadline[]> {
  const ext = extensionSchema.parse(input);
  const cal = await loadWorkingCalendar(db);
  return db.transaction(async (tx) => {
    const conds = [eq(applicationDeadlines.applicationId, applicationId), eq(applicationDeadlines.status, 'open')];
    if (ext.kinds) conds.push(inArray(applicationDeadlines.kind, ext.kinds));
    const rows = await tx.select().from(applicationDeadlines).where(and(...conds)).for('update');
    const out: StoredDeadline[] = [];
    const extension: DeadlineExtension = { by: ext.by, unit: ext.unit, reason: ext.reason, ref: ext.ref ?? null };
    for (const row of rows) {
      const input = inputOfRow(row);
      const d = computeDeadline(cal, { ...input, extensions: [...(input.extensions ?? []), extension] });
      const [updated] = await tx
        .update(applicationDeadlines)
        .set({ dueAt: d.due, dueDate: d.dueDate, explanation: d.explanation, extensions: d.extensions })
        .where(and(eq(applicationDeadlines.applicationId, applicationId), eq(applicationDeadlines.kind, row.kind)))
        .returning();
      out.push(updated);
      await addEvent(tx, applicationId, now(), 'system', actor?.userId ?? null, 'deadline_extended', {
        kind: row.kind,
        from: row.dueAt,
        to: d.due,
        extension,
      });
    }
    await appendAudit(tx, {
      actor,
      action: 'expertise.deadline.extend',
      entityType: 'application',
      entityId: applicationId,
      basis: ext.ref ?? ext.reason,
      before: rows.map((r) => ({ kind: r.kind, dueAt: r.dueAt })),
      after: out.map((r) => ({ kind: r.kind, dueAt: r.dueAt, extensions: r.extensions })),
    });
    return out;
  });
}

/** The stored deadline as a computed Deadline (its stored due kept as `current`). */
function asDeadline(cal: WorkingCalendar, row: StoredDeadline): Deadline {
  const d = computeDeadline(cal, inputOfRow(row));
  return { ...d, due: row.dueAt, dueDate: row.dueDate };
}

registerDeadlineSource({
  name: 'expertise',
  async listOpen(db) {
    const rows = await db.select().from(applicationDeadlines).where(eq(applicationDeadlines.status, 'open'));
    if (!rows.length) return [];
    const cal = await loadWorkingCalendar(db);
    return rows.map((row) => ({
      id: `${row.applicationId}:${row.kind}`,
      label: `expertise ${row.kind}`,
      current: asDeadline(cal, row),
      recompute: (c: WorkingCalendar) => computeDeadline(c, inputOfRow(row)),
    }));
  },
});
