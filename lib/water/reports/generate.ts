/**
 * W-30 / W-32: generating and archiving the automatic water reports. A report is built once per kind, level,
 * scope and period (and alert, for urgent ones): the figures are assembled (build.ts), the three files rendered
 * (render.ts) and stored by SHA-256 in the FileStore, and one append-only water_reports row records it all.
 */
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { regions, waterAlerts, waterEntities, waterObjects, waterReports } from '@/db/schema';
import { fileStore, type FileStore } from '@/lib/documents/store';
import type { Locale } from '@/lib/i18n/config';
import { notify, userLocale } from '@/lib/notify';
import { addDays, astanaDateOf } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { entityUsers, regionAkimatUsers } from '@/lib/water/access';
import { buildReportData, type ReportKind, type ReportPeriod, type ReportScope } from './build';
import { renderAll } from './render';

export type WaterReport = typeof waterReports.$inferSelect;
const NIL = '00000000-0000-0000-0000-000000000000';

export type GenerateInput = {
  kind: ReportKind;
  scope: ReportScope;
  period: ReportPeriod;
  /** Required for (and only for) urgent reports. */
  triggerAlertId?: string | null;
};
export type GenerateOptions = { store?: FileStore; at?: Date };

function scopeIds(scope: ReportScope): { regionId: string | null; entityId: string | null } {
  return {
    regionId: scope.level === 'regional' ? scope.regionId : null,
    entityId: scope.level === 'local' ? scope.entityId : null,
  };
}

async function findExisting(db: DbOrTx, input: GenerateInput): Promise<WaterReport | undefined> {
  const { regionId, entityId } = scopeIds(input.scope);
  const [row] = await db
    .select()
    .from(waterReports)
    .where(
      and(
        eq(waterReports.kind, input.kind),
        eq(waterReports.level, input.scope.level),
        sql`coalesce(${waterReports.regionId}, ${NIL}::uuid) = coalesce(${regionId}::uuid, ${NIL}::uuid)`,
        sql`coalesce(${waterReports.entityId}, ${NIL}::uuid) = coalesce(${entityId}::uuid, ${NIL}::uuid)`,
        eq(waterReports.periodStart, input.period.start),
        eq(waterReports.periodEnd, input.period.end),
        sql`coalesce(${waterReports.triggerAlertId}, ${NIL}::uuid) = coalesce(${input.triggerAlertId ?? null}::uuid, ${NIL}::uuid)`,
      ),
    );
  return row;
}

/** Generates a report, or returns the one already archived for the same kind, scope and period (idempotent). */
export async function generateReport(db: DbOrTx, input: GenerateInput, opts: GenerateOptions = {}): Promise<{ report: WaterReport; created: boolean }> {
  const existing = await findExisting(db, input);
  if (existing) return { report: existing, created: false };
  const at = opts.at ?? now();
  const data = await buildReportData(db, { ...input, generatedAt: at });
  const files = await renderAll(data);
  const store = opts.store ?? fileStore();
  // Content-addressed: storing before the row commits leaves at most an unreferenced file, never a row
  // without its file.
  const [pdf, xlsx, csv] = await Promise.all([store.put(files.pdf), store.put(files.xlsx), store.put(files.csv)]);
  const { regionId, entityId } = scopeIds(input.scope);
  const inserted = await db
    .insert(waterReports)
    .values({
      kind: input.kind,
      level: input.scope.level,
      regionId,
      entityId,
      periodStart: input.period.start,
      periodEnd: input.period.end,
      triggerAlertId: input.triggerAlertId ?? null,
      generatedAt: at,
      data,
      pdfSha256: pdf.sha256,
      pdfSize: pdf.size,
      xlsxSha256: xlsx.sha256,
      xlsxSize: xlsx.size,
      csvSha256: csv.sha256,
      csvSize: csv.size,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted.length > 0) return { report: inserted[0], created: true };
  // Another worker archived the same report meanwhile: theirs stands.
  const winner = await findExisting(db, input);
  if (!winner) throw new Error('generateReport: conflict without a visible report');
  return { report: winner, created: false };
}

// ---- periods ---------------------------------------------------------------------------------------------

/** The Astana day before `date`. */
export function previousDay(date: string): ReportPeriod {
  const d = addDays(date, -1);
  return { start: d, end: d };
}

/** The calendar month before the one `date` falls in. */
export function previousMonth(date: string): ReportPeriod {
  const firstOfThis = `${date.slice(0, 7)}-01`;
  const end = addDays(firstOfThis, -1);
  return { start: `${end.slice(0, 7)}-01`, end };
}

// ---- every level ------------------------------------------------------------------------------------------

/** The top-level regions (children of the national node, or roots that are not the nation). */
async function topRegionIds(db: DbOrTx): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select id from ${regions}
    where (parent_id is null and level <> 'national') or parent_id in (select id from ${regions} where level = 'national')
    order by code`);
  return rows.map((r) => r.id);
}

/** The top-level region above (or equal to) a region. */
async function topRegionOf(db: DbOrTx, regionId: string): Promise<string | null> {
  const tops = new Set(await topRegionIds(db));
  const rows = await db.execute<{ id: string }>(sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from ${regions} where id = ${regionId}
      union all
      select r.id, r.parent_id, up.depth + 1 from ${regions} r join up on r.id = up.parent_id
    ) select id from up order by depth`);
  return rows.map((r) => r.id).find((id) => tops.has(id)) ?? null;
}

/** Every report scope: the nation, each top-level region, each water entity (local). */
export async function allScopes(db: DbOrTx): Promise<ReportScope[]> {
  const ents = await db.select({ id: waterEntities.id }).from(waterEntities).orderBy(waterEntities.bin);
  return [
    { level: 'national' },
    ...(await topRegionIds(db)).map((regionId): ReportScope => ({ level: 'regional', regionId })),
    ...ents.map((e): ReportScope => ({ level: 'local', entityId: e.id })),
  ];
}

export type RunSummary = { created: number; existing: number; failed: number };

/** Regular reports for every level; one scope's failure does not stop the others (the job then retries). */
export async function generateRegular(db: DbOrTx, kind: 'daily' | 'monthly', period: ReportPeriod, opts: GenerateOptions = {}): Promise<RunSummary> {
  const sum: RunSummary = { created: 0, existing: 0, failed: 0 };
  let firstError: unknown = null;
  for (const scope of await allScopes(db)) {
    try {
      const r = await generateReport(db, { kind, scope, period }, opts);
      if (r.created) sum.created++;
      else sum.existing++;
    } catch (e) {
      sum.failed++;
      firstError ??= e;
      console.error(`[water reports] ${kind} ${JSON.stringify(scope)} failed`, e);
    }
  }
  if (firstError) throw firstError;
  return sum;
}

// ---- urgent -----------------------------------------------------------------------------------------------

/** How far back the urgent poll looks for critical alerts without a report (so old alerts are not replayed). */
export const URGENT_LOOKBACK_MS = 24 * 3_600_000;

const URGENT_TEXT: Record<Locale, { title: string; body: (scope: string, date: string) => string }> = {
  kk: { title: 'Шұғыл есеп: сумен жабдықтаудағы сыни дабыл', body: (s, d) => `${s}, ${d} бойынша шұғыл есеп дайын.` },
  ru: { title: 'Срочный отчёт: критическая тревога водоснабжения', body: (s, d) => `Срочный отчёт по «${s}» за ${d} сформирован.` },
  en: { title: 'Urgent report: a critical water alert', body: (s, d) => `An urgent report for ${s} on ${d} is ready.` },
};

async function nationalUsers(db: DbOrTx): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select distinct u.id from users u
    where u.status = 'active' and (
      exists (select 1 from user_roles ur where ur.user_id = u.id and ur.revoked_at is null and ur.role = 'authorised_body')
      or exists (select 1 from water_user_scopes s where s.user_id = u.id and s.level = 'national'))
    order by u.id`);
  return rows.map((r) => r.id);
}

/** The users a report concerns: the entity's users (local), the region's akimat (regional), the authorised body (national). */
export async function reportAudience(db: DbOrTx, r: Pick<WaterReport, 'level' | 'regionId' | 'entityId'>): Promise<string[]> {
  if (r.level === 'local' && r.entityId) return entityUsers(db, r.entityId);
  if (r.level === 'regional' && r.regionId) return regionAkimatUsers(db, r.regionId);
  return nationalUsers(db);
}

async function notifyAudience(db: DbOrTx, report: WaterReport): Promise<number> {
  const data = report.data as { scopeName?: string };
  let n = 0;
  for (const userId of await reportAudience(db, report)) {
    const t = URGENT_TEXT[await userLocale(db, userId)];
    const res = await notify(db, {
      userId,
      kind: 'water.report.urgent',
      title: t.title,
      body: t.body(data.scopeName ?? '', report.periodStart),
      link: `/water/reports?kind=urgent`,
      entityType: 'water_report',
      entityId: report.id,
      idempotencyKey: `water-report:${report.id}:${userId}`,
    });
    if (res.created) n++;
  }
  return n;
}

/**
 * W-30: urgent reports for critical alerts opened recently that have none yet — for the alert's entity
 * (local), its top-level region and the nation, each with the W-31 recommendations — and their audiences
 * notified.
 */
export async function generateUrgent(db: DbOrTx, opts: GenerateOptions = {}): Promise<{ alerts: number; created: number; notified: number }> {
  const at = opts.at ?? now();
  const pending = await db
    .select({ id: waterAlerts.id, firstSeen: waterAlerts.firstSeen, entityId: waterObjects.entityId, regionId: waterObjects.regionId })
    .from(waterAlerts)
    .innerJoin(waterObjects, eq(waterObjects.id, waterAlerts.objectId))
    .leftJoin(waterReports, eq(waterReports.triggerAlertId, waterAlerts.id))
    .where(
      and(
        eq(waterAlerts.severity, 'critical'),
        gte(waterAlerts.firstSeen, new Date(at.getTime() - URGENT_LOOKBACK_MS)),
        // Only alerts without any urgent report; a partly done alert (a crash between levels) is picked
        // up below because generateReport is idempotent per level.
        isNull(waterReports.id),
      ),
    )
    .orderBy(waterAlerts.firstSeen);
  // Alerts with some but not all three reports (a crash between levels).
  const partial = await db.execute<{ id: string; first_seen: string; entity_id: string; region_id: string }>(sql`
    select a.id, a.first_seen, o.entity_id, o.region_id from water_alerts a join water_objects o on o.id = a.object_id
    where a.severity = 'critical' and a.first_seen >= ${new Date(at.getTime() - URGENT_LOOKBACK_MS).toISOString()}::timestamptz
      and (select count(*) from water_reports r where r.trigger_alert_id = a.id) between 1 and 2`);
  const todo = [
    ...pending,
    ...partial.map((p) => ({ id: p.id, firstSeen: new Date(p.first_seen), entityId: p.entity_id, regionId: p.region_id })),
  ];
  let created = 0;
  let notified = 0;
  for (const a of todo) {
    const day = astanaDateOf(a.firstSeen);
    const top = await topRegionOf(db, a.regionId);
    const scopes: ReportScope[] = [
      { level: 'local', entityId: a.entityId },
      ...(top ? [{ level: 'regional', regionId: top } as const] : []),
      { level: 'national' },
    ];
    for (const scope of scopes) {
      const r = await generateReport(db, { kind: 'urgent', scope, period: { start: day, end: day }, triggerAlertId: a.id }, { ...opts, at });
      if (r.created) {
        created++;
        notified += await notifyAudience(db, r.report);
      }
    }
  }
  return { alerts: todo.length, created, notified };
}
