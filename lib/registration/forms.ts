/**
 * E-7: the operator publishes the forms (agreements, questionnaires, instructions, consents) as versions; a version
 * is never edited (the database refuses it). A user signs the version in force, and the acceptance keeps which.
 */
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { FORM_KINDS, formAcceptances, formDocuments, organisations, users, type FormKind } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';
import { actorSignature, auditActor, parseInput, requireRole, type Actor } from './common';

export type FormDocument = typeof formDocuments.$inferSelect;
export type FormAcceptance = typeof formAcceptances.$inferSelect;

const localized = z.object({ kk: z.string().trim().min(1), ru: z.string().trim().min(1), en: z.string().trim().min(1).optional() });

export const publishFormSchema = z.object({
  kind: z.enum(FORM_KINDS),
  title: localized,
  body: localized,
  /** Default: now. Never in the past: a backdated version would rewrite what users already signed. */
  inForceFrom: z.coerce.date().optional(),
});
export type PublishFormInput = z.input<typeof publishFormSchema>;

export async function publishForm(db: DbOrTx, operator: Actor, input: PublishFormInput, opts: { signatureId?: string } = {}): Promise<FormDocument> {
  requireRole(operator, ['operator', 'admin']);
  const data = parseInput(publishFormSchema, input);
  const at = now();
  const inForceFrom = data.inForceFrom ?? at;
  if (inForceFrom.getTime() < at.getTime() - 1000) {
    throw new AppError('validation_failed', 'A form version cannot come into force in the past.', { inForceFrom: 'in_the_past' });
  }
  return db.transaction(async (tx) => {
    // Serialise publications of one kind so that two operators do not take the same version number.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`form_documents:${data.kind}`}))`);
    const [last] = await tx
      .select({ version: formDocuments.version })
      .from(formDocuments)
      .where(eq(formDocuments.kind, data.kind))
      .orderBy(desc(formDocuments.version))
      .limit(1);
    const [row] = await tx
      .insert(formDocuments)
      .values({ kind: data.kind, version: (last?.version ?? 0) + 1, title: data.title, body: data.body, inForceFrom, publishedBy: operator.userId, createdAt: at })
      .returning();
    await appendAudit(tx, {
      actor: auditActor(operator),
      action: 'form.publish',
      entityType: 'form_document',
      entityId: row.id,
      basis: 'E-7 form version published',
      after: { kind: row.kind, version: row.version, inForceFrom: row.inForceFrom.toISOString() },
      signatureId: opts.signatureId ?? null,
    });
    return row;
  });
}

/** The version of `kind` in force at `at` (the latest one whose in_force_from has come), or null. */
export async function getFormInForce(db: DbOrTx, kind: FormKind, at: Date = now()): Promise<FormDocument | null> {
  const [row] = await db
    .select()
    .from(formDocuments)
    .where(and(eq(formDocuments.kind, kind), lte(formDocuments.inForceFrom, at)))
    .orderBy(desc(formDocuments.inForceFrom), desc(formDocuments.version))
    .limit(1);
  return row ?? null;
}

export async function listFormVersions(db: DbOrTx, kind: FormKind): Promise<FormDocument[]> {
  return db.select().from(formDocuments).where(eq(formDocuments.kind, kind)).orderBy(desc(formDocuments.version));
}

/** Inside a transaction: records the actor's signed acceptance of the version of `kind` in force now. */
export async function acceptFormTx(
  tx: DbOrTx,
  actor: Actor,
  form: { kind: FormKind; formDocumentId?: string },
  signatureId: string,
): Promise<FormAcceptance> {
  await actorSignature(tx, actor, signatureId);
  const at = now();
  const inForce = await getFormInForce(tx, form.kind, at);
  if (!inForce) throw new AppError('conflict', `No version of the form "${form.kind}" is in force.`, { kind: 'no_form_in_force' });
  if (form.formDocumentId && form.formDocumentId !== inForce.id) {
    throw new AppError('conflict', 'This version of the form is no longer (or not yet) in force; read and sign the current one.', {
      formDocumentId: 'not_in_force',
    });
  }
  const [user] = await tx.select({ orgId: users.orgId }).from(users).where(eq(users.id, actor.userId));
  if (!user) throw new AppError('not_found', 'No such user.');
  const [row] = await tx
    .insert(formAcceptances)
    .values({ formDocumentId: inForce.id, userId: actor.userId, orgId: user.orgId, signatureId, acceptedAt: at })
    .onConflictDoNothing({ target: formAcceptances.signatureId })
    .returning();
  if (!row) throw new AppError('conflict', 'This signature was already used for another acceptance.', { signatureId: 'already_used' });
  await appendAudit(tx, {
    actor: auditActor(actor),
    action: 'form.accept',
    entityType: 'form_acceptance',
    entityId: row.id,
    basis: `E-7 signed ${inForce.kind} v${inForce.version}`,
    after: { formDocumentId: inForce.id, kind: inForce.kind, version: inForce.version },
    signatureId,
  });
  return row;
}

export const acceptFormSchema = z.object({ kind: z.enum(FORM_KINDS), formDocumentId: z.uuid().optional() });

/**
 * E-7: the user signs the form version in force (naming the version they read: a version that is no longer in
 * force is refused, so the record always keeps the version actually shown).
 */
export async function acceptForm(
  db: DbOrTx,
  actor: Actor,
  input: z.input<typeof acceptFormSchema>,
  opts: { signatureId: string },
): Promise<FormAcceptance> {
  const data = parseInput(acceptFormSchema, input);
  return db.transaction((tx) => acceptFormTx(tx, actor, data, opts.signatureId));
}

/** An acceptance with the form version it records. */
export async function getAcceptance(db: DbOrTx, id: string): Promise<(FormAcceptance & { form: FormDocument }) | null> {
  const [row] = await db
    .select({ a: formAcceptances, f: formDocuments })
    .from(formAcceptances)
    .innerJoin(formDocuments, eq(formDocuments.id, formAcceptances.formDocumentId))
    .where(eq(formAcceptances.id, id));
  return row ? { ...row.a, form: row.f } : null;
}

export type FormAcceptanceListItem = {
  id: string;
  acceptedAt: Date;
  kind: FormKind;
  version: number;
  formDocumentId: string;
  userId: string;
  userName: string;
  userIin: string;
  orgName: string | null;
  orgBin: string | null;
};

/** E-7: who accepted which version (newest first), optionally of one kind. */
export async function listFormAcceptances(db: DbOrTx, filter: { kind?: FormKind; limit?: number } = {}): Promise<FormAcceptanceListItem[]> {
  const limit = Math.max(1, Math.min(filter.limit ?? 100, 500));
  return db
    .select({
      id: formAcceptances.id,
      acceptedAt: formAcceptances.acceptedAt,
      kind: formDocuments.kind,
      version: formDocuments.version,
      formDocumentId: formDocuments.id,
      userId: users.id,
      userName: users.fullName,
      userIin: users.iin,
      orgName: organisations.name,
      orgBin: organisations.bin,
    })
    .from(formAcceptances)
    .innerJoin(formDocuments, eq(formDocuments.id, formAcceptances.formDocumentId))
    .innerJoin(users, eq(users.id, formAcceptances.userId))
    .leftJoin(organisations, eq(organisations.id, formAcceptances.orgId))
    .where(filter.kind ? eq(formDocuments.kind, filter.kind) : undefined)
    .orderBy(desc(formAcceptances.acceptedAt))
    .limit(limit);
}

/** E-7: the number of acceptances per form version (for the version list). */
export async function countAcceptancesByVersion(db: DbOrTx): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: formAcceptances.formDocumentId, n: sql<number>`count(*)::int` })
    .from(formAcceptances)
    .groupBy(formAcceptances.formDocumentId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
