/**
 * The operator's settings of the expertise portal: each expert organisation's number template (E-18, X-10), the
 * deadline durations per object category (E-44) and, in lib/documents, the upload limits (E-16). Every change is
 * authorised by the policy ('expertise.configure'), audited with before/after, and (through the signed server
 * actions of /admin/expertise) confirmed with the operator's EDS.
 */
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { deadlineConfigs, expertOrgSettings, numberSequences, organisations } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { assertCan, toAuditActor } from '@/lib/auth/policy';
import { AppError, toAppError } from '@/lib/errors';
import { astanaYearMonth, formatNumber, validateTemplate } from '@/lib/numbers';
import { now } from '@/lib/time/clock';
import { deadlineConfigSchema, orgCodeSchema, orgSettingsFormSchema, type DeadlineConfigInput } from './admin-schemas';
import { NUMBER_SYSTEM } from './applications';

export { deadlineConfigSchema, orgCodeSchema, orgSettingsFormSchema, previewNumberSchema, type DeadlineConfigInput } from './admin-schemas';

type Signed = { signatureId?: string | null };

/** Parses with `schema`; invalid input → AppError 'validation_failed' with the field errors. */
function validOr422<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw toAppError(r.error);
  return r.data;
}

// ---- number templates (E-18, X-10) -----------------------------------------------------------------------

/** The template problems in plain words (lib/numbers), plus: {ORG} is required (numbers are unique portal-wide). */
export function templateProblems(template: string): string[] {
  const problems = validateTemplate(template);
  if (template.trim() && !template.includes('{ORG}')) problems.push('The template must contain {ORG}: numbers must differ between organisations.');
  return problems;
}

export const numberTemplateSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .superRefine((v, ctx) => {
    for (const message of templateProblems(v)) ctx.addIssue({ code: 'custom', message });
  });

export const expertOrgSettingsSchema = orgSettingsFormSchema.extend({ numberTemplate: numberTemplateSchema });
export type ExpertOrgSettingsInput = z.input<typeof expertOrgSettingsSchema>;

/** The sequence value the next registration of `orgId` would take in the Astana year of `at`. */
export async function nextSequence(db: DbOrTx, orgId: string, at: Date = now()): Promise<{ year: number; seq: number }> {
  const { year } = astanaYearMonth(at);
  const [row] = await db
    .select({ last: numberSequences.lastValue })
    .from(numberSequences)
    .where(and(eq(numberSequences.system, NUMBER_SYSTEM), eq(numberSequences.scope, orgId), eq(numberSequences.year, year)));
  return { year, seq: (row?.last ?? 0) + 1 };
}

/** the number the next application to `orgId` would get with this template and code (nothing is allocated). */
export async function previewNextNumber(db: DbOrTx, input: { orgId: string; orgCode: string; numberTemplate: string }, at: Date = now()): Promise<string> {
  const code = orgCodeSchema.safeParse(input.orgCode);
  const problems = templateProblems(input.numberTemplate);
  if (!code.success || problems.length) {
    throw new AppError('validation_failed', problems.join(' ') || 'Invalid organisation code.', {
      ...(problems.length ? { numberTemplate: problems.join(' ') } : {}),
      ...(!code.success ? { orgCode: code.error.issues[0]?.message ?? 'invalid' } : {}),
    });
  }
  const { year, seq } = await nextSequence(db, input.orgId, at);
  const { month } = astanaYearMonth(at);
  return formatNumber(input.numberTemplate.trim(), { SYS: NUMBER_SYSTEM, ORG: code.data, YYYY: year, MM: month, SEQ: seq });
}

/**
 * E-18: the operator sets an expert organisation's code, number template, accreditation and blocking. The code
 * must not be another organisation's ({ORG} keeps numbers unique between organisations).
 */
export async function setExpertOrgSettings(db: DbOrTx, operator: Principal, input: ExpertOrgSettingsInput, opts: Signed = {}) {
  assertCan(operator, 'expertise.configure');
  const parsed = expertOrgSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '_');
      fields[key] = fields[key] ? `${fields[key]} ${issue.message}` : issue.message;
    }
    throw new AppError('validation_failed', Object.values(fields).join(' '), fields);
  }
  const v = parsed.data;
  return db.transaction(async (tx) => {
    const [org] = await tx.select({ id: organisations.id, kind: organisations.kind }).from(organisations).where(eq(organisations.id, v.orgId));
    if (!org) throw new AppError('not_found', 'The organisation does not exist.');
    const [taken] = await tx
      .select({ orgId: expertOrgSettings.orgId })
      .from(expertOrgSettings)
      .where(and(sql`upper(${expertOrgSettings.orgCode}) = upper(${v.orgCode})`, ne(expertOrgSettings.orgId, v.orgId)));
    if (taken) throw new AppError('conflict', `The code ${v.orgCode} belongs to another organisation.`, { orgCode: 'taken' });
    const [before] = await tx.select().from(expertOrgSettings).where(eq(expertOrgSettings.orgId, v.orgId)).for('update');
    const values = { ...v, updatedAt: now() };
    const [row] = await tx
      .insert(expertOrgSettings)
      .values(values)
      .onConflictDoUpdate({ target: expertOrgSettings.orgId, set: values })
      .returning();
    await appendAudit(tx, {
      actor: toAuditActor(operator),
      action: 'expertise.org_settings.set',
      entityType: 'organisation',
      entityId: v.orgId,
      signatureId: opts.signatureId ?? null,
      before: before ?? null,
      after: row,
    });
    return row;
  });
}

export type ExpertOrgAdminRow = {
  orgId: string;
  name: string;
  bin: string;
  status: string;
  settings: typeof expertOrgSettings.$inferSelect | null;
  nextNumber: string | null;
};

/** Every expert organisation (with or without settings) and the number its next application would get. */
export async function listExpertOrgsForAdmin(db: DbOrTx, at: Date = now()): Promise<ExpertOrgAdminRow[]> {
  const rows = await db
    .select({ orgId: organisations.id, name: organisations.name, bin: organisations.bin, status: organisations.status, settings: expertOrgSettings })
    .from(organisations)
    .leftJoin(expertOrgSettings, eq(expertOrgSettings.orgId, organisations.id))
    .where(sql`${organisations.kind} = 'expert_organisation' or ${expertOrgSettings.orgId} is not null`)
    .orderBy(asc(organisations.name));
  return Promise.all(
    rows.map(async (r) => ({
      ...r,
      nextNumber: r.settings
        ? await previewNextNumber(db, { orgId: r.orgId, orgCode: r.settings.orgCode, numberTemplate: r.settings.numberTemplate }, at).catch(() => null)
        : null,
    })),
  );
}

// ---- deadline durations (E-44) -----------------------------------------------------------------------------

export async function listDeadlineConfigs(db: DbOrTx) {
  return db.select().from(deadlineConfigs).orderBy(asc(deadlineConfigs.category));
}

/**
 * E-44: the operator sets (or adds) a category's durations. The values become the operator's own (demo = false);
 * deadlines already computed keep their stored values (new ones use these).
 */
export async function setDeadlineConfig(db: DbOrTx, operator: Principal, input: DeadlineConfigInput, opts: Signed = {}) {
  assertCan(operator, 'expertise.configure');
  const v = validOr422(deadlineConfigSchema, input);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(deadlineConfigs).where(eq(deadlineConfigs.category, v.category)).for('update');
    const values = { ...v, demo: false, updatedAt: now() };
    const [row] = await tx
      .insert(deadlineConfigs)
      .values(values)
      .onConflictDoUpdate({ target: deadlineConfigs.category, set: values })
      .returning();
    await appendAudit(tx, {
      actor: toAuditActor(operator),
      action: 'expertise.deadline_config.set',
      entityType: 'deadline_config',
      entityId: v.category,
      signatureId: opts.signatureId ?? null,
      before: before ?? null,
      after: row,
    });
    return row;
  });
}
