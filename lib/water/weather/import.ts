/**
 * CSV import of hourly history and weather (issue 6 part 5): for utilities and operators (`water.import`), scoped
 * (W-16): a utility imports history of its own objects and weather of its own regions; the nation's staff any.
 *
 * All or nothing: when any line is invalid (or names an object or region outside the user's access area), nothing
 * is written and the answer lists the reasons per line; a valid file is written in one transaction. A line whose
 * hour is already stored replaces it (a corrected export can be imported again): the report counts inserted,
 * updated and unchanged hours, and duplicate lines within the file. Every import — applied or refused — is recorded
 * in `water_imports` and in the audit journal.
 */
import { createHash } from 'node:crypto';
import { and, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { regions, waterEntities, waterHistoryHourly, waterImports, waterObjects, waterWeather } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { assertCan, toAuditActor } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';
import { now as clockNow } from '@/lib/time/clock';
import { objectInScope, waterScope, type WaterScope } from '@/lib/water/access';
import { invalidateForecasts } from '@/lib/water/dashboard/analytics';
import { MAX_REPORTED_ERRORS, parseHistoryCsv, parseWeatherCsv, type HistoryRow, type LineError, type Parsed, type WeatherRow } from './csv';

export type ImportKind = 'history' | 'weather';
export const IMPORT_KINDS: readonly ImportKind[] = ['history', 'weather'];

export type ImportReport = {
  id: string;
  kind: ImportKind;
  status: 'applied' | 'refused';
  lines: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  errorCount: number;
  /** The first MAX_REPORTED_ERRORS reasons, by line. */
  errors: LineError[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHUNK = 2000;

/** Object ids (lower case) the scope may import history for, among `wanted`. */
async function objectsInScope(db: Db, scope: WaterScope, wanted: string[]): Promise<Set<string>> {
  const ids = wanted.filter((w) => UUID.test(w)).map((w) => w.toLowerCase());
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: waterObjects.id }).from(waterObjects).where(and(inArray(waterObjects.id, ids), objectInScope(scope)));
  return new Set(rows.map((r) => r.id));
}

/**
 * Regions the scope may import weather for, by the spelling used in the file (a uuid or a region code): the
 * nation — any; an akimat — its regions; a utility — the regions of its entities and their objects.
 */
async function regionsInScope(db: Db, scope: WaterScope, wanted: string[]): Promise<Map<string, string>> {
  const uuids = wanted.filter((w) => UUID.test(w)).map((w) => w.toLowerCase());
  const codes = wanted.filter((w) => !UUID.test(w));
  if (uuids.length === 0 && codes.length === 0) return new Map();
  const rows = await db
    .select({ id: regions.id, code: regions.code })
    .from(regions)
    .where(or(uuids.length ? inArray(regions.id, uuids) : undefined, codes.length ? inArray(regions.code, codes) : undefined));
  let allowed: Set<string> | null = null;
  if (scope.level !== 'national') {
    allowed = new Set(scope.regionIds);
    if (scope.entityIds.length) {
      const own = await db.execute<{ region_id: string }>(sql`
        select region_id from ${waterEntities} where ${inArray(waterEntities.id, scope.entityIds)}
        union select region_id from ${waterObjects} where ${inArray(waterObjects.entityId, scope.entityIds)}`);
      for (const r of own) allowed.add(r.region_id);
    }
  }
  const out = new Map<string, string>();
  for (const r of rows) {
    if (allowed && !allowed.has(r.id)) continue;
    out.set(r.id, r.id);
    out.set(r.code, r.id);
  }
  return out;
}

function refuse<R extends { line: number }>(parsed: Parsed<R>, bad: (r: R) => LineError | null): void {
  for (const r of parsed.rows) {
    const e = bad(r);
    if (!e) continue;
    parsed.errorCount++;
    if (parsed.errors.length < MAX_REPORTED_ERRORS) parsed.errors.push(e);
  }
  parsed.errors.sort((a, b) => a.line - b.line);
}

/** Counts of an upsert chunk: rows returned were written (xmax = 0: inserted), the others were unchanged. */
type Counts = { inserted: number; updated: number; unchanged: number };

async function writeHistory(tx: Db, importId: string, rows: HistoryRow[], at: Date): Promise<Counts> {
  const c: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const written = await tx
      .insert(waterHistoryHourly)
      .values(chunk.map((r) => ({ objectId: r.object.toLowerCase(), metric: r.metric, ts: r.ts, volumeM3: r.volumeM3, importId, updatedAt: at })))
      .onConflictDoUpdate({
        target: [waterHistoryHourly.objectId, waterHistoryHourly.metric, waterHistoryHourly.ts],
        set: { volumeM3: sql`excluded.volume_m3`, importId: sql`excluded.import_id`, updatedAt: sql`excluded.updated_at` },
        setWhere: sql`${waterHistoryHourly.volumeM3} is distinct from excluded.volume_m3`,
      })
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    const ins = written.filter((w) => w.inserted).length;
    c.inserted += ins;
    c.updated += written.length - ins;
    c.unchanged += chunk.length - written.length;
  }
  return c;
}

async function writeWeather(tx: Db, importId: string, rows: (WeatherRow & { regionId: string })[], at: Date): Promise<Counts> {
  const c: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const written = await tx
      .insert(waterWeather)
      .values(
        chunk.map((r) => ({
          regionId: r.regionId, kind: r.kind, ts: r.ts, temperatureC: r.temperatureC, precipitationMm: r.precipitationMm, source: 'import', importId, updatedAt: at,
        })),
      )
      .onConflictDoUpdate({
        target: [waterWeather.regionId, waterWeather.kind, waterWeather.ts],
        set: {
          temperatureC: sql`excluded.temperature_c`,
          precipitationMm: sql`excluded.precipitation_mm`,
          source: sql`excluded.source`,
          importId: sql`excluded.import_id`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`(${waterWeather.temperatureC}, ${waterWeather.precipitationMm}, ${waterWeather.source}) is distinct from (excluded.temperature_c, excluded.precipitation_mm, excluded.source)`,
      })
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    const ins = written.filter((w) => w.inserted).length;
    c.inserted += ins;
    c.updated += written.length - ins;
    c.unchanged += chunk.length - written.length;
  }
  return c;
}

/** Imports one CSV file (its text) for the principal. Throws 401/403 without the right; never half-writes. */
export async function importCsv(
  db: Db,
  principal: Principal | null,
  kind: ImportKind,
  text: string,
  meta: { fileName?: string | null; bytes?: number; requestId?: string | null } = {},
): Promise<ImportReport> {
  assertCan(principal, 'water.import');
  const scope = await waterScope(db, principal);
  if (scope.level === 'none') throw new AppError('forbidden', 'No water data is assigned to you.');
  const at = clockNow();
  const sha256 = createHash('sha256').update(text).digest('hex');
  const bytes = meta.bytes ?? Buffer.byteLength(text);
  const fileName = meta.fileName ? meta.fileName.slice(0, 255) : null;

  let history: Parsed<HistoryRow> | null = null;
  let weather: Parsed<WeatherRow & { regionId?: string }> | null = null;
  if (kind === 'history') {
    history = parseHistoryCsv(text);
    const ok = await objectsInScope(db, scope, [...new Set(history.rows.map((r) => r.object))]);
    refuse(history, (r) =>
      ok.has(r.object.toLowerCase()) ? null : { line: r.line, field: 'object', code: 'unknown_object', message: `No object "${r.object}" in your access area.` },
    );
  } else {
    weather = parseWeatherCsv(text);
    const ok = await regionsInScope(db, scope, [...new Set(weather.rows.map((r) => r.region))]);
    refuse(weather, (r) => {
      const id = ok.get(UUID.test(r.region) ? r.region.toLowerCase() : r.region);
      if (id) {
        r.regionId = id;
        return null;
      }
      return { line: r.line, field: 'region', code: 'unknown_region', message: `No region "${r.region}" in your access area.` };
    });
  }
  const parsed = (history ?? weather)!;
  const status = parsed.errorCount > 0 ? 'refused' : 'applied';

  const report = await db.transaction(async (tx) => {
    const [imp] = await tx
      .insert(waterImports)
      .values({
        kind, fileName, sha256, bytes, lines: parsed.lines, status, duplicates: parsed.duplicates,
        errors: parsed.errors, errorCount: parsed.errorCount, importedBy: principal.userId, importedAt: at,
      })
      .returning({ id: waterImports.id });
    let counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
    if (status === 'applied') {
      counts = history
        ? await writeHistory(tx as unknown as Db, imp.id, history.rows, at)
        : await writeWeather(tx as unknown as Db, imp.id, weather!.rows as (WeatherRow & { regionId: string })[], at);
      await tx.update(waterImports).set(counts).where(sql`${waterImports.id} = ${imp.id}`);
    }
    const out: ImportReport = {
      id: imp.id, kind, status, lines: parsed.lines, ...counts, duplicates: parsed.duplicates, errorCount: parsed.errorCount, errors: parsed.errors,
    };
    await appendAudit(tx, {
      actor: toAuditActor(principal),
      action: status === 'applied' ? `water.import.${kind}` : `water.import.${kind}.refused`,
      entityType: 'water_import',
      entityId: imp.id,
      after: { fileName, sha256, bytes, lines: parsed.lines, ...counts, duplicates: parsed.duplicates, errorCount: parsed.errorCount },
      requestId: meta.requestId ?? null,
      at,
    });
    return out;
  });
  if (status === 'applied') invalidateForecasts();
  return report;
}

/** The user's recent imports (newest first). */
export async function recentImports(db: Db, principal: Principal, limit = 10) {
  return db
    .select({
      id: waterImports.id, kind: waterImports.kind, fileName: waterImports.fileName, status: waterImports.status, lines: waterImports.lines,
      inserted: waterImports.inserted, updated: waterImports.updated, errorCount: waterImports.errorCount, importedAt: waterImports.importedAt,
    })
    .from(waterImports)
    .where(sql`${waterImports.importedBy} = ${principal.userId}`)
    .orderBy(sql`${waterImports.importedAt} desc`)
    .limit(limit);
}

/** What the user may import for (the import page lists them as the identifiers to use in the files). */
export async function importTargets(db: Db, principal: Principal) {
  assertCan(principal, 'water.import');
  const scope = await waterScope(db, principal);
  if (scope.level === 'none') throw new AppError('forbidden', 'No water data is assigned to you.');
  const objects = await db
    .select({ id: waterObjects.id, name: waterObjects.name, kind: waterObjects.kind, entity: waterEntities.name })
    .from(waterObjects)
    .innerJoin(waterEntities, sql`${waterEntities.id} = ${waterObjects.entityId}`)
    .where(and(objectInScope(scope), inArray(waterObjects.kind, ['dma', 'treatment_plant', 'intake', 'network', 'pumping_station'])))
    .orderBy(waterEntities.name, waterObjects.name)
    .limit(500);
  const all = await db
    .select({ id: regions.id, code: regions.code, nameKk: regions.nameKk, nameRu: regions.nameRu, nameEn: regions.nameEn })
    .from(regions)
    .orderBy(regions.code);
  const allowed = await regionsInScope(db, scope, all.map((r) => r.id));
  return { objects, regions: all.filter((r) => allowed.has(r.id)) };
}
