/**
 * Expert organisations (E-12..E-15, E-41, E-42): accreditation, the public list, blocking (by the operator and,
 * on expiry, by the daily job), tariffs and charges.
 */
import { and, asc, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import {
  BLOCK_GROUNDS,
  charges,
  expertAccreditations,
  expertOrgRegistry,
  expertOrgSettings,
  organisations,
  tariffs,
  type BlockGround,
} from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { astanaDateOf } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { auditActor, parseInput, requireRole, type Actor } from './common';

const isoDate = z.iso.date();

export const accreditationSchema = z
  .object({ certificateNumber: z.string().trim().min(1).max(100), issuedOn: isoDate, validUntil: isoDate })
  .refine((a) => a.issuedOn <= a.validUntil, { message: 'valid_until_before_issued_on', path: ['validUntil'] });
export type AccreditationInput = z.input<typeof accreditationSchema>;

export type RegistryRow = typeof expertOrgRegistry.$inferSelect;

/** E-12 / E-14: inside the confirming transaction, (re)registers the organisation as accredited and unblocked. */
export async function registerAccreditedTx(
  tx: DbOrTx,
  orgId: string,
  registrationId: string,
  accreditation: z.output<typeof accreditationSchema>,
  at: Date,
): Promise<RegistryRow> {
  const [acc] = await tx.insert(expertAccreditations).values({ orgId, registrationId, ...accreditation, createdAt: at }).returning();
  const set = {
    accredited: true,
    registeredAt: at,
    currentAccreditationId: acc.id,
    blocked: false,
    blockedAt: null,
    blockGround: null,
    blockBasis: null,
    updatedAt: at,
  };
  const [row] = await tx
    .insert(expertOrgRegistry)
    .values({ orgId, ...set })
    .onConflictDoUpdate({ target: expertOrgRegistry.orgId, set })
    .returning();
  // The expertise domain routes applications by expert_org_settings (E-19): keep its flags in step.
  const [org] = await tx.select({ bin: organisations.bin }).from(organisations).where(eq(organisations.id, orgId));
  await tx
    .insert(expertOrgSettings)
    .values({ orgId, orgCode: `E${org.bin.slice(-6)}`, numberTemplate: '{ORG}-{YYYY}-{SEQ:5}', accredited: true, blocked: false, updatedAt: at })
    .onConflictDoUpdate({ target: expertOrgSettings.orgId, set: { accredited: true, blocked: false, updatedAt: at } });
  return row;
}

export async function getRegistryRow(db: DbOrTx, orgId: string): Promise<RegistryRow | null> {
  const [row] = await db.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, orgId));
  return row ?? null;
}

export type PublicExpertOrganisation = {
  orgId: string;
  name: string;
  bin: string;
  certificateNumber: string;
  issuedOn: string;
  validUntil: string;
  registeredAt: Date;
};

/** `%`, `_` and `\` taken literally in an ILIKE pattern. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * E-12: the public list — registered, accredited (certificate active and not expired), unblocked; public data only.
 * `q` (optional) searches the name, BIN and certificate number (case-insensitive, literal).
 */
export async function listAccreditedOrganisations(db: DbOrTx, at: Date = now(), opts: { q?: string } = {}): Promise<PublicExpertOrganisation[]> {
  const today = astanaDateOf(at);
  const q = opts.q?.trim().slice(0, 200);
  const search = q
    ? or(
        sql`${organisations.name} ilike ${likePattern(q)}`,
        sql`${organisations.bin} ilike ${likePattern(q)}`,
        sql`${expertAccreditations.certificateNumber} ilike ${likePattern(q)}`,
      )
    : undefined;
  const rows = await db
    .select({
      orgId: organisations.id,
      name: organisations.name,
      bin: organisations.bin,
      certificateNumber: expertAccreditations.certificateNumber,
      issuedOn: expertAccreditations.issuedOn,
      validUntil: expertAccreditations.validUntil,
      registeredAt: expertOrgRegistry.registeredAt,
    })
    .from(expertOrgRegistry)
    .innerJoin(organisations, eq(organisations.id, expertOrgRegistry.orgId))
    .innerJoin(expertAccreditations, eq(expertAccreditations.id, expertOrgRegistry.currentAccreditationId))
    .where(
      and(
        eq(expertOrgRegistry.accredited, true),
        eq(expertOrgRegistry.blocked, false),
        eq(organisations.status, 'active'),
        eq(expertAccreditations.status, 'active'),
        gte(expertAccreditations.validUntil, today),
        search,
      ),
    )
    .orderBy(asc(organisations.name));
  return rows.map((r) => ({ ...r, registeredAt: r.registeredAt! }));
}

export type AdminExpertOrganisation = {
  orgId: string;
  name: string;
  bin: string;
  accredited: boolean;
  registeredAt: Date | null;
  blocked: boolean;
  blockedAt: Date | null;
  blockGround: BlockGround | null;
  blockBasis: string | null;
  isUserSince: Date | null;
  isAccessEndedAt: Date | null;
  certificateNumber: string | null;
  issuedOn: string | null;
  validUntil: string | null;
  accreditationStatus: 'active' | 'suspended' | 'revoked' | null;
  /** Listed publicly now (the same test as listAccreditedOrganisations). */
  listed: boolean;
};

/** E-12..E-14, E-41, E-42: every registered expert organisation with its current accreditation (operator view). */
export async function listExpertOrganisationsForAdmin(db: DbOrTx, at: Date = now()): Promise<AdminExpertOrganisation[]> {
  const today = astanaDateOf(at);
  const rows = await db
    .select({
      r: expertOrgRegistry,
      name: organisations.name,
      bin: organisations.bin,
      orgStatus: organisations.status,
      certificateNumber: expertAccreditations.certificateNumber,
      issuedOn: expertAccreditations.issuedOn,
      validUntil: expertAccreditations.validUntil,
      accreditationStatus: expertAccreditations.status,
    })
    .from(expertOrgRegistry)
    .innerJoin(organisations, eq(organisations.id, expertOrgRegistry.orgId))
    .leftJoin(expertAccreditations, eq(expertAccreditations.id, expertOrgRegistry.currentAccreditationId))
    .orderBy(asc(organisations.name));
  return rows.map((x) => ({
    orgId: x.r.orgId,
    name: x.name,
    bin: x.bin,
    accredited: x.r.accredited,
    registeredAt: x.r.registeredAt,
    blocked: x.r.blocked,
    blockedAt: x.r.blockedAt,
    blockGround: x.r.blockGround,
    blockBasis: x.r.blockBasis,
    isUserSince: x.r.isUserSince,
    isAccessEndedAt: x.r.isAccessEndedAt,
    certificateNumber: x.certificateNumber,
    issuedOn: x.issuedOn,
    validUntil: x.validUntil,
    accreditationStatus: x.accreditationStatus,
    listed:
      x.r.accredited && !x.r.blocked && x.orgStatus === 'active' && x.accreditationStatus === 'active' && x.validUntil !== null && x.validUntil >= today,
  }));
}

export const blockSchema = z.object({ ground: z.enum(BLOCK_GROUNDS), basis: z.string().trim().min(1).max(2000) });

async function blockTx(tx: DbOrTx, actor: Actor | null, orgId: string, ground: BlockGround, basis: string, at: Date, signatureId: string | null = null): Promise<RegistryRow> {
  const [reg] = await tx.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, orgId)).for('update');
  if (!reg || !reg.accredited) throw new AppError('not_found', 'The organisation is not a registered expert organisation.');
  if (reg.blocked) return reg;
  if ((ground === 'suspended' || ground === 'revoked') && reg.currentAccreditationId) {
    await tx.update(expertAccreditations).set({ status: ground }).where(eq(expertAccreditations.id, reg.currentAccreditationId));
  }
  const [row] = await tx
    .update(expertOrgRegistry)
    .set({
      blocked: true,
      blockedAt: at,
      blockGround: ground,
      blockBasis: basis,
      // E-42: access to the expert IS ends on the same grounds.
      isAccessEndedAt: reg.isUserSince && !reg.isAccessEndedAt ? at : reg.isAccessEndedAt,
      updatedAt: at,
    })
    .where(eq(expertOrgRegistry.orgId, orgId))
    .returning();
  await tx.update(expertOrgSettings).set({ blocked: true, updatedAt: at }).where(eq(expertOrgSettings.orgId, orgId));
  await appendAudit(tx, {
    actor: actor ? auditActor(actor) : { role: 'system', name: 'registration.accreditation_expiry' },
    action: 'expert_org.block',
    entityType: 'organisation',
    entityId: orgId,
    basis: `E-13 ${ground}: ${basis}`,
    before: { blocked: false },
    after: { blocked: true, ground },
    at,
    signatureId,
  });
  return row;
}

/** E-13 / E-42: the operator blocks an expert organisation; it leaves the public list and loses expert IS access. */
export async function blockExpertOrganisation(
  db: DbOrTx,
  operator: Actor,
  orgId: string,
  input: z.input<typeof blockSchema>,
  opts: { signatureId?: string } = {},
): Promise<RegistryRow> {
  requireRole(operator, ['operator', 'admin']);
  const data = parseInput(blockSchema, input);
  return db.transaction((tx) => blockTx(tx, operator, orgId, data.ground, data.basis, now(), opts.signatureId ?? null));
}

/**
 * E-13: the daily job. Blocks every organisation whose current accreditation expired without reconfirmation:
 * valid_until is before today in Astana. Returns the organisations blocked.
 */
export async function blockExpiredAccreditations(db: DbOrTx, at: Date = now()): Promise<string[]> {
  const today = astanaDateOf(at);
  const due = await db
    .select({ orgId: expertOrgRegistry.orgId, number: expertAccreditations.certificateNumber, validUntil: expertAccreditations.validUntil })
    .from(expertOrgRegistry)
    .innerJoin(expertAccreditations, eq(expertAccreditations.id, expertOrgRegistry.currentAccreditationId))
    .where(and(eq(expertOrgRegistry.accredited, true), eq(expertOrgRegistry.blocked, false), lt(expertAccreditations.validUntil, today)));
  const blocked: string[] = [];
  for (const d of due) {
    await db.transaction((tx) => blockTx(tx, null, d.orgId, 'not_reconfirmed', `accreditation certificate ${d.number} expired on ${d.validUntil}`, at));
    blocked.push(d.orgId);
  }
  return blocked;
}

/**
 * E-13: reconfirmation of the accreditation before it expires (a new certificate becomes current). A blocked
 * organisation cannot be reconfirmed here: E-14 unblocking repeats E-12 (a new registration).
 */
export async function reconfirmAccreditation(
  db: DbOrTx,
  operator: Actor,
  orgId: string,
  input: AccreditationInput,
  opts: { signatureId?: string } = {},
): Promise<RegistryRow> {
  requireRole(operator, ['operator', 'admin']);
  const data = parseInput(accreditationSchema, input);
  const at = now();
  if (data.validUntil < astanaDateOf(at)) throw new AppError('validation_failed', 'The certificate has expired.', { validUntil: 'expired' });
  return db.transaction(async (tx) => {
    const [reg] = await tx.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, orgId)).for('update');
    if (!reg || !reg.accredited) throw new AppError('not_found', 'The organisation is not a registered expert organisation.');
    if (reg.blocked) throw new AppError('conflict', 'The organisation is blocked: it is unblocked only by a new registration (E-14).');
    const [acc] = await tx.insert(expertAccreditations).values({ orgId, ...data, createdAt: at }).returning();
    const [row] = await tx
      .update(expertOrgRegistry)
      .set({ currentAccreditationId: acc.id, updatedAt: at })
      .where(eq(expertOrgRegistry.orgId, orgId))
      .returning();
    await appendAudit(tx, {
      actor: auditActor(operator),
      action: 'expert_org.reconfirm',
      entityType: 'organisation',
      entityId: orgId,
      basis: 'E-13 accreditation reconfirmed',
      after: data,
      signatureId: opts.signatureId ?? null,
    });
    return row;
  });
}

// ---- E-15 tariffs and charges ------------------------------------------------------------------------------

const money = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'decimal_2');
const quantity = z.string().regex(/^\d{1,11}(\.\d{1,3})?$/, 'decimal_3');

export const tariffSchema = z
  .object({
    service: z.string().trim().min(1).max(200),
    rate: money,
    unit: z.string().trim().min(1).max(50),
    validFrom: isoDate,
    validTo: isoDate.nullish(),
    agreedWithVedomstvo: z.string().trim().min(1).max(500),
  })
  .refine((t) => !t.validTo || t.validFrom <= t.validTo, { message: 'valid_to_before_valid_from', path: ['validTo'] });

export type Tariff = typeof tariffs.$inferSelect;
export type Charge = typeof charges.$inferSelect;

export async function createTariff(db: DbOrTx, operator: Actor, input: z.input<typeof tariffSchema>, opts: { signatureId?: string } = {}): Promise<Tariff> {
  requireRole(operator, ['operator', 'admin']);
  const data = parseInput(tariffSchema, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(tariffs)
      .values({ ...data, validTo: data.validTo ?? null, createdBy: operator.userId, createdAt: now() })
      .returning();
    await appendAudit(tx, { actor: auditActor(operator), action: 'tariff.create', entityType: 'tariff', entityId: row.id, basis: `E-15 ${data.agreedWithVedomstvo}`, after: data, signatureId: opts.signatureId ?? null });
    return row;
  });
}

/** Tariffs valid on `date` (Astana date; default today), or all when date is null. */
export async function listTariffs(db: DbOrTx, date: string | null = astanaDateOf(now())): Promise<Tariff[]> {
  const where = date ? and(sql`${tariffs.validFrom} <= ${date}`, or(isNull(tariffs.validTo), gte(tariffs.validTo, date))) : undefined;
  return db.select().from(tariffs).where(where).orderBy(asc(tariffs.service), desc(tariffs.validFrom));
}

export const chargeSchema = z.object({
  orgId: z.uuid(),
  tariffId: z.uuid(),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period_yyyy_mm'),
  quantity,
});

/** E-15: a charge for one organisation, tariff and month; amount = rate × quantity (numeric, no floats). */
export async function createCharge(db: DbOrTx, operator: Actor, input: z.input<typeof chargeSchema>, opts: { signatureId?: string } = {}): Promise<Charge> {
  requireRole(operator, ['operator', 'admin']);
  const data = parseInput(chargeSchema, input);
  const first = `${data.period}-01`;
  return db.transaction(async (tx) => {
    const [reg] = await tx.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, data.orgId));
    if (!reg?.registeredAt) throw new AppError('validation_failed', 'Charges apply from registration of an expert organisation (E-15).', { orgId: 'not_registered' });
    if (data.period < astanaDateOf(reg.registeredAt).slice(0, 7)) {
      throw new AppError('validation_failed', 'The period is before the organisation’s registration (E-15).', { period: 'before_registration' });
    }
    const [tariff] = await tx
      .select()
      .from(tariffs)
      .where(
        and(
          eq(tariffs.id, data.tariffId),
          sql`${tariffs.validFrom} <= (${first}::date + interval '1 month' - interval '1 day')::date`,
          or(isNull(tariffs.validTo), gte(tariffs.validTo, first)),
        ),
      );
    if (!tariff) throw new AppError('validation_failed', 'The tariff is not valid in this period.', { tariffId: 'not_valid_in_period' });
    const [row] = await tx
      .insert(charges)
      .values({
        orgId: data.orgId,
        tariffId: data.tariffId,
        period: data.period,
        quantity: data.quantity,
        amount: sql`round(${tariff.rate}::numeric * ${data.quantity}::numeric, 2)`,
        createdBy: operator.userId,
        createdAt: now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('duplicate', 'This organisation is already charged for this tariff and period.', { period: 'duplicate' });
    await appendAudit(tx, {
      actor: auditActor(operator),
      action: 'charge.create',
      entityType: 'charge',
      entityId: row.id,
      basis: `E-15 ${tariff.service} ${data.period}`,
      after: { orgId: row.orgId, tariffId: row.tariffId, period: row.period, quantity: row.quantity, amount: row.amount },
      signatureId: opts.signatureId ?? null,
    });
    return row;
  });
}

export async function listCharges(db: DbOrTx, filter: { orgId?: string; period?: string } = {}): Promise<(Charge & { service: string; rate: string; unit: string })[]> {
  const rows = await db
    .select({ c: charges, service: tariffs.service, rate: tariffs.rate, unit: tariffs.unit })
    .from(charges)
    .innerJoin(tariffs, eq(tariffs.id, charges.tariffId))
    .where(and(filter.orgId ? eq(charges.orgId, filter.orgId) : undefined, filter.period ? eq(charges.period, filter.period) : undefined))
    .orderBy(desc(charges.period), asc(tariffs.service));
  return rows.map((r) => ({ ...r.c, service: r.service, rate: r.rate, unit: r.unit }));
}
