/**
 * W-30 / W-16 / X-11 / X-9: the report archive as users see it — listed with filters only within the
 * principal's water scope, downloaded in PDF/XLSX/CSV with every download written to the audit journal.
 * A report outside the scope is "not found" (no existence leak). Scope: the authorised body sees every report;
 * an akimat the regional reports of its regions and the local reports of entities registered there; a utility
 * the local reports of its own entities. National reports are for the national scope only.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { regions, waterEntities, waterReports } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { toAuditActor } from '@/lib/auth/policy';
import { fileStore, type FileStore } from '@/lib/documents/store';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';
import { isIsoDate } from '@/lib/time/astana';
import { waterScope, type WaterScope } from '@/lib/water/access';
import { isLocale, type Locale } from '@/lib/i18n/config';
import type { ReportData } from './build';
import { reportLocales } from './localise';
import { CONTENT_TYPES, REPORT_FORMATS, renderLocalised, type ReportFormat } from './render';

export const reportFiltersSchema = z.object({
  kind: z.enum(['daily', 'monthly', 'urgent']).optional(),
  level: z.enum(['local', 'regional', 'national']).optional(),
  /** Astana dates: reports whose period overlaps [from, to]. */
  from: z.string().refine(isIsoDate, 'not a date').optional(),
  to: z.string().refine(isIsoDate, 'not a date').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ReportFilters = z.input<typeof reportFiltersSchema>;

export type ReportListItem = {
  id: string;
  kind: 'daily' | 'monthly' | 'urgent';
  level: 'local' | 'regional' | 'national';
  regionId: string | null;
  entityId: string | null;
  scopeName: string;
  /** The scope's name in Kazakh where it has one (regions), else as scopeName. */
  scopeNameKk: string;
  /** The scope's English name where it has one, else as scopeName. */
  scopeNameEn: string;
  periodStart: string;
  periodEnd: string;
  triggerAlertId: string | null;
  generatedAt: Date;
  files: Record<ReportFormat, { sha256: string; size: number }>;
};

/** A condition on water_reports: the report lies within the scope. */
export function reportInScope(scope: WaterScope): SQL {
  if (scope.level === 'national') return sql`true`;
  if (scope.level === 'none') return sql`false`;
  const conds: SQL[] = [];
  if (scope.regionIds.length) {
    conds.push(and(eq(waterReports.level, 'regional'), inArray(waterReports.regionId, scope.regionIds))!);
    conds.push(
      and(
        eq(waterReports.level, 'local'),
        sql`${waterReports.entityId} in (select id from ${waterEntities} where ${inArray(waterEntities.regionId, scope.regionIds)})`,
      )!,
    );
  }
  if (scope.entityIds.length) conds.push(and(eq(waterReports.level, 'local'), inArray(waterReports.entityId, scope.entityIds))!);
  return conds.length === 0 ? sql`false` : conds.length === 1 ? conds[0] : or(...conds)!;
}

async function scopeOf(db: DbOrTx, principal: Principal | null): Promise<WaterScope> {
  if (!principal) throw new AppError('unauthenticated', 'Sign in to see the water reports.');
  const scope = await waterScope(db, principal);
  if (scope.level === 'none') throw new AppError('forbidden', 'No water data is assigned to you.');
  return scope;
}

function toItem(r: typeof waterReports.$inferSelect & { scopeName: string | null; scopeNameKk: string | null; scopeNameEn: string | null }): ReportListItem {
  return {
    id: r.id,
    kind: r.kind,
    level: r.level,
    regionId: r.regionId,
    entityId: r.entityId,
    scopeName: r.scopeName ?? 'Республика Казахстан',
    scopeNameKk: r.scopeNameKk ?? r.scopeName ?? 'Қазақстан Республикасы',
    scopeNameEn: r.scopeNameEn ?? r.scopeName ?? 'Republic of Kazakhstan',
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    triggerAlertId: r.triggerAlertId,
    generatedAt: r.generatedAt,
    files: {
      pdf: { sha256: r.pdfSha256, size: r.pdfSize },
      xlsx: { sha256: r.xlsxSha256, size: r.xlsxSize },
      csv: { sha256: r.csvSha256, size: r.csvSize },
    },
  };
}

/** The principal's reports, newest period first (401 signed out, 403 without a water scope). */
export async function listReports(db: DbOrTx, principal: Principal | null, filters: ReportFilters = {}): Promise<ReportListItem[]> {
  const parsed = reportFiltersSchema.safeParse(filters);
  if (!parsed.success) throw new AppError('validation_failed', 'The filters are not valid.', fieldErrorsFromZod(parsed.error));
  const f = parsed.data;
  const scope = await scopeOf(db, principal);
  const rows = await db
    .select({
      r: waterReports,
      scopeName: sql<string | null>`coalesce(${waterEntities.name}, ${regions.nameRu})`,
      scopeNameKk: sql<string | null>`coalesce(${waterEntities.name}, ${regions.nameKk})`,
      scopeNameEn: sql<string | null>`coalesce(${waterEntities.nameEn}, ${waterEntities.name}, ${regions.nameEn}, ${regions.nameRu})`,
    })
    .from(waterReports)
    .leftJoin(waterEntities, eq(waterEntities.id, waterReports.entityId))
    .leftJoin(regions, eq(regions.id, waterReports.regionId))
    .where(
      and(
        reportInScope(scope),
        f.kind ? eq(waterReports.kind, f.kind) : undefined,
        f.level ? eq(waterReports.level, f.level) : undefined,
        f.from ? gte(waterReports.periodEnd, f.from) : undefined,
        f.to ? lte(waterReports.periodStart, f.to) : undefined,
      ),
    )
    .orderBy(desc(waterReports.periodStart), desc(waterReports.generatedAt), waterReports.level, waterReports.id)
    .limit(f.limit);
  return rows.map((x) => toItem({ ...x.r, scopeName: x.scopeName, scopeNameKk: x.scopeNameKk, scopeNameEn: x.scopeNameEn }));
}

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as string[]).includes(s);
}

export type ReportDownload = {
  stream: Readable;
  contentType: string;
  filename: string;
  size: number;
  /** SHA-256 of the bytes delivered. */
  sha256: string;
  /** SHA-256 of the archived file of this format (equal to sha256 when the archived file itself is delivered). */
  archivedSha256: string;
  /** The languages of the delivered file. */
  languages: Locale[];
  /** True for a rendering in the chosen language from the archived data; false for the archived file itself. */
  rendered: boolean;
};

/**
 * One file of a report in scope, with an audit row 'water.report.download' (X-9 access log). Without `lang` the
 * archived file itself (both state languages), byte for byte; with `lang` (kk | ru | en) the same format rendered
 * in that language from the archived data, marked as such (localise.ts). 404 for an unknown format, an unknown
 * report or one outside the scope; 422 for an unknown language.
 */
export async function openReportFile(
  db: DbOrTx,
  principal: Principal | null,
  id: string,
  format: string,
  opts: { store?: FileStore; requestId?: string | null; lang?: string | null } = {},
): Promise<ReportDownload> {
  const scope = await scopeOf(db, principal);
  if (!isReportFormat(format) || !z.uuid().safeParse(id).success) throw new AppError('not_found', 'No such report file.');
  const lang = opts.lang || null;
  if (lang !== null && !isLocale(lang)) throw new AppError('validation_failed', 'The language must be kk, ru or en.', { lang: 'kk | ru | en' });
  const [r] = await db
    .select()
    .from(waterReports)
    .where(and(eq(waterReports.id, id), reportInScope(scope)));
  if (!r) throw new AppError('not_found', 'No such report in your access area.');
  const archivedSha256 = format === 'pdf' ? r.pdfSha256 : format === 'xlsx' ? r.xlsxSha256 : r.csvSha256;
  const archivedSize = format === 'pdf' ? r.pdfSize : format === 'xlsx' ? r.xlsxSize : r.csvSize;
  const data = r.data as ReportData;
  const available = reportLocales(data);
  // A report archived before localisation exists in Russian only: its archived file is what there is.
  const rendered = lang !== null && available.includes(lang) && !(available.length === 1 && available[0] === lang);
  let stream: Readable;
  let size = archivedSize;
  let sha256 = archivedSha256;
  if (rendered) {
    const buf = await renderLocalised(data, lang, format, { id: r.id, archivedSha256 });
    stream = Readable.from([buf]);
    size = buf.length;
    sha256 = createHash('sha256').update(buf).digest('hex');
  } else {
    stream = await (opts.store ?? fileStore()).get(archivedSha256);
  }
  await appendAudit(db, {
    actor: toAuditActor(principal!),
    action: 'water.report.download',
    entityType: 'water_report',
    entityId: r.id,
    after: { format, sha256, archivedSha256, language: rendered ? lang : 'archived' },
    requestId: opts.requestId ?? null,
  });
  const scopePart = r.entityId ?? r.regionId ?? 'kz';
  const period = r.periodStart === r.periodEnd ? r.periodStart : `${r.periodStart}_${r.periodEnd}`;
  return {
    stream,
    contentType: CONTENT_TYPES[format],
    filename: `water-report-${r.kind}-${r.level}-${scopePart.slice(0, 8)}-${period}${rendered ? `-${lang}` : ''}.${format}`,
    size,
    sha256,
    archivedSha256,
    languages: rendered ? [lang as Locale] : available.length === 1 ? available : ['kk', 'ru'],
    rendered,
  };
}
