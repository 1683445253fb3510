/**
 * W-12: a utility's periodic figures (production, supply, distribution, consumption, m³ per month), submitted
 * through the cabinet as an EDS-signed document — a form (one month) or a CSV upload (several months). Every
 * submission for an (entity, month) is a new version; earlier versions stay. Audited with the signature.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { signatures, waterFigures } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { assertCan, toAuditActor } from '@/lib/auth/policy';
import { appendAudit } from '@/lib/audit';
import { AppError, fieldErrorsFromZod, type FieldErrors } from '@/lib/errors';
import { now as clockNow } from '@/lib/time/clock';
import { requireEntityInScope, waterScope } from './access';
import { invalidateDashboards } from '@/lib/water/dashboard/cache';

const volume = z.number({ error: 'must be a number' }).finite().nonnegative({ error: 'must not be negative' }).max(1e12);

/** A month as YYYY-MM (YYYY-MM-01 accepted too); stored as the first day of the month. */
const period = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])(-01)?$/, { error: 'period must be a month, YYYY-MM' })
  .transform((p) => `${p.slice(0, 7)}-01`);

export const figuresRowSchema = z.object({
  period,
  production: volume,
  supply: volume,
  distribution: volume,
  consumption: volume,
});
export const figuresFormSchema = figuresRowSchema.extend({ entityId: z.uuid() });

export type FiguresForm = z.input<typeof figuresFormSchema>;
export type FiguresCsv = { entityId: string; csv: string };
export type FiguresRow = typeof waterFigures.$inferSelect;

const COLUMNS = ['period', 'production', 'supply', 'distribution', 'consumption'] as const;

function parseNumber(s: string, decimalComma: boolean): number {
  const t = s.trim().replace(/[\s\u00a0]/g, '');
  if (t === '') return Number.NaN;
  const n = Number(decimalComma ? t.replace(',', '.') : t);
  return n;
}

/**
 * Parses the CSV: a header naming the five columns (any order, case-insensitive), then one month per line;
 * `,` or `;` separated (with `;` a decimal comma is accepted). Errors are reported per line ("line N").
 */
export function parseFiguresCsv(text: string): { period: string; production: number; supply: number; distribution: number; consumption: number }[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new AppError('validation_failed', 'The CSV file is empty.', { 'line 1': 'empty file' });
  const sep = lines[headerIndex].includes(';') ? ';' : ',';
  const header = lines[headerIndex].split(sep).map((h) => h.trim().toLowerCase());
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new AppError('validation_failed', 'The CSV header must name the columns period, production, supply, distribution, consumption.', {
      [`line ${headerIndex + 1}`]: `missing column(s): ${missing.join(', ')}`,
    });
  }
  const errors: FieldErrors = {};
  const out: ReturnType<typeof parseFiguresCsv> = [];
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = lines[i].split(sep);
    const lineNo = `line ${i + 1}`;
    if (cells.length !== header.length) {
      errors[lineNo] = `expected ${header.length} values, found ${cells.length}`;
      continue;
    }
    const get = (c: (typeof COLUMNS)[number]) => cells[header.indexOf(c)];
    const parsed = figuresRowSchema.safeParse({
      period: get('period'),
      production: parseNumber(get('production'), sep === ';'),
      supply: parseNumber(get('supply'), sep === ';'),
      distribution: parseNumber(get('distribution'), sep === ';'),
      consumption: parseNumber(get('consumption'), sep === ';'),
    });
    if (!parsed.success) {
      errors[lineNo] = Object.entries(fieldErrorsFromZod(parsed.error))
        .map(([f, m]) => `${f}: ${m}`)
        .join('; ');
      continue;
    }
    const dup = seen.get(parsed.data.period);
    if (dup !== undefined) {
      errors[lineNo] = `period ${parsed.data.period.slice(0, 7)} already given on line ${dup}`;
      continue;
    }
    seen.set(parsed.data.period, i + 1);
    out.push(parsed.data);
  }
  if (Object.keys(errors).length) throw new AppError('validation_failed', `${Object.keys(errors).length} line(s) of the CSV are not valid; nothing was stored.`, errors);
  if (out.length === 0) throw new AppError('validation_failed', 'The CSV has no data lines.', { [`line ${headerIndex + 2}`]: 'no data' });
  return out;
}

/** Submits figures (a form or a CSV), signed with the submitter's EDS (`signatureId` of a verified signature). */
export async function submitFigures(
  db: DbOrTx,
  principal: Principal,
  input: FiguresForm | FiguresCsv,
  opts: { signatureId?: string | null },
): Promise<FiguresRow[]> {
  assertCan(principal, 'water.submit');
  if (!opts.signatureId) throw new AppError('signature_required', 'Figures are submitted as an EDS-signed document.');
  let entityId: string;
  let rows: ReturnType<typeof parseFiguresCsv>;
  if ('csv' in input) {
    if (!z.uuid().safeParse(input.entityId).success) throw new AppError('validation_failed', 'Unknown entity.', { entityId: 'invalid' });
    entityId = input.entityId;
    rows = parseFiguresCsv(input.csv);
  } else {
    const parsed = figuresFormSchema.safeParse(input);
    if (!parsed.success) throw new AppError('validation_failed', 'The figures are not valid.', fieldErrorsFromZod(parsed.error));
    const { entityId: e, ...row } = parsed.data;
    entityId = e;
    rows = [row];
  }
  const scope = await waterScope(db, principal);
  await requireEntityInScope(db, scope, entityId);
  const [sig] = await db.select({ iin: signatures.signerIin }).from(signatures).where(eq(signatures.id, opts.signatureId));
  if (!sig || sig.iin !== principal.iin) throw new AppError('signature_invalid', 'The signature is not the submitter’s verified EDS signature.');

  const submitted = await db.transaction(async (tx) => {
    const at = clockNow();
    const out: FiguresRow[] = [];
    for (const r of rows) {
      const [{ v }] = await tx
        .select({ v: sql<number>`coalesce(max(${waterFigures.version}), 0)`.mapWith(Number) })
        .from(waterFigures)
        .where(and(eq(waterFigures.entityId, entityId), eq(waterFigures.period, r.period)));
      const [row] = await tx
        .insert(waterFigures)
        .values({
          entityId,
          period: r.period,
          version: v + 1,
          productionM3: r.production,
          supplyM3: r.supply,
          distributionM3: r.distribution,
          consumptionM3: r.consumption,
          signatureId: opts.signatureId!,
          submittedBy: principal.userId,
          submittedAt: at,
        })
        .returning();
      out.push(row);
    }
    await appendAudit(tx, {
      actor: toAuditActor(principal),
      action: 'water.figures.submit',
      entityType: 'water_entity',
      entityId,
      after: out.map((r) => ({ id: r.id, period: r.period, version: r.version, production: r.productionM3, supply: r.supplyM3, distribution: r.distributionM3, consumption: r.consumptionM3 })),
      signatureId: opts.signatureId,
      at,
    });
    return out;
  });
  invalidateDashboards(); // consumption and non-revenue water move with the figures
  return submitted;
}
