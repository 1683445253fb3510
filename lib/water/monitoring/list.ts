/**
 * W-16 / W-21 / W-27 / W-31 / X-11: alerts as users see them — listed with filters only within the user's
 * water scope (a utility its own objects, an akimat its region with the districts below, the authorised body
 * the nation), each with its object, utility, region, values, times and the recommended corrective actions.
 * An alert outside the scope is "not found" (no existence leak).
 */
import { aliasedTable, and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { devices, regions, users, waterAlerts, waterEntities, waterObjects } from '@/db/schema';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';
import type { Locale } from '@/lib/i18n/config';
import { formatIsoDate, isIsoDate } from '@/lib/time/astana';
import { objectInScope, type WaterScope } from '@/lib/water/access';
import { ALERT_TYPES, RECOMMENDATIONS, SEVERITIES, type AlertType, type CatalogueEntry } from '@/lib/water/analytics';

export const ALERT_STATUS_FILTERS = ['active', 'open', 'acknowledged', 'cleared', 'all'] as const;
export type AlertStatusFilter = (typeof ALERT_STATUS_FILTERS)[number];

const optionalUuid = z.preprocess((v) => (v === '' ? undefined : v), z.uuid().optional());
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.enum(values).optional());

/** The filters of /water/alerts (query string) and of the alerts API. */
export const alertFiltersSchema = z.object({
  status: z.preprocess((v) => (v === '' || v === undefined ? 'active' : v), z.enum(ALERT_STATUS_FILTERS)),
  type: optionalEnum(ALERT_TYPES),
  severity: optionalEnum(SEVERITIES),
  region: optionalUuid,
  entity: optionalUuid,
  object: optionalUuid,
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertFilters = {
  status?: string;
  type?: string;
  severity?: string;
  region?: string;
  entity?: string;
  object?: string;
  limit?: number | string;
};
export type ParsedAlertFilters = z.output<typeof alertFiltersSchema>;

export function parseAlertFilters(input: unknown): ParsedAlertFilters {
  const parsed = alertFiltersSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'The alert filters are not valid.', fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

export type AlertView = {
  id: string;
  type: string;
  severity: 'info' | 'warning' | 'critical';
  status: 'open' | 'acknowledged' | 'cleared';
  messageKey: string;
  params: Record<string, string | number>;
  value: number | null;
  limit: number | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  escalationLevel: number;
  acknowledgedAt: Date | null;
  acknowledgedByName: string | null;
  clearedAt: Date | null;
  /** Null with a clearedAt: the condition ended by itself. */
  clearedByName: string | null;
  note: string | null;
  object: { id: string; name: string; kind: string };
  device: { id: string; serialNumber: string } | null;
  entity: { id: string; name: string };
  region: { id: string; nameKk: string; nameRu: string; nameEn: string | null };
  /** W-31: the catalogue entry as shown when the alert opened (the snapshot), else the current catalogue's. */
  recommendations: CatalogueEntry | null;
};

function isAlertType(t: string): t is AlertType {
  return (ALERT_TYPES as readonly string[]).includes(t);
}

function isCatalogueEntry(v: unknown): v is CatalogueEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as { title?: Record<string, unknown>; actions?: unknown };
  return (
    !!e.title &&
    typeof e.title.kk === 'string' &&
    typeof e.title.ru === 'string' &&
    typeof e.title.en === 'string' &&
    Array.isArray(e.actions) &&
    e.actions.every((a) => a && typeof a.id === 'string' && a.text && typeof a.text.kk === 'string' && typeof a.text.ru === 'string' && typeof a.text.en === 'string')
  );
}

/** The recommendations of an alert row: its snapshot when well-formed, else the catalogue's entry of its type. */
export function recommendationsOf(type: string, snapshot: unknown): CatalogueEntry | null {
  if (isCatalogueEntry(snapshot)) return snapshot;
  return isAlertType(type) ? RECOMMENDATIONS[type] : null;
}

/** The title and actions in one language (the W-31 catalogue is kk/ru/en). */
export function localisedRecommendations(entry: CatalogueEntry | null, locale: Locale): { title: string | null; actions: { id: string; text: string }[] } {
  if (!entry) return { title: null, actions: [] };
  return { title: entry.title[locale], actions: entry.actions.map((a) => ({ id: a.id, text: a.text[locale] })) };
}

/**
 * The parameters a message text of `water.alerts.*` may use: the stored ones plus readable derivations
 * (minutes instead of seconds, dates as DD.MM.YYYY).
 */
export function alertMessageParams(messageKey: string, params: Record<string, string | number>): Record<string, string | number> {
  const out: Record<string, string | number> = { ...params };
  const num = (k: string) => (typeof params[k] === 'number' ? (params[k] as number) : Number(params[k]));
  // Astana dates as DD.MM.YYYY, the form used in all three languages.
  for (const k of ['since', 'dueOn']) if (typeof params[k] === 'string' && isIsoDate(params[k] as string)) out[k] = formatIsoDate(params[k] as string);
  if (messageKey === 'water.alerts.device_silent' || messageKey === 'water.alerts.device_never_reported') {
    out.intervalMin = Math.max(1, Math.round(num('intervalSec') / 60));
    out.ageMin = Math.max(0, Math.round(num('ageSec') / 60));
  }
  return out;
}

/** A region filter covers the region and every district or city below it. */
async function regionSubtree(db: DbOrTx, regionId: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    with recursive r(id) as (
      select id from ${regions} where id = ${regionId}
      union
      select c.id from ${regions} c join r on c.parent_id = r.id
    ) select id from r`);
  return rows.map((x) => x.id);
}

const ackUser = aliasedTable(users, 'ack_user');
const clearUser = aliasedTable(users, 'clear_user');

async function selectAlerts(db: DbOrTx, where: SQL | undefined, limit: number): Promise<AlertView[]> {
  const rows = await db
    .select({
      a: waterAlerts,
      objectName: waterObjects.name,
      objectKind: waterObjects.kind,
      entityId: waterEntities.id,
      entityName: waterEntities.name,
      regionId: regions.id,
      regionKk: regions.nameKk,
      regionRu: regions.nameRu,
      regionEn: regions.nameEn,
      serial: devices.serialNumber,
      ackName: ackUser.fullName,
      clearName: clearUser.fullName,
    })
    .from(waterAlerts)
    .innerJoin(waterObjects, eq(waterObjects.id, waterAlerts.objectId))
    .innerJoin(waterEntities, eq(waterEntities.id, waterObjects.entityId))
    .innerJoin(regions, eq(regions.id, waterObjects.regionId))
    .leftJoin(devices, eq(devices.id, waterAlerts.deviceId))
    .leftJoin(ackUser, eq(ackUser.id, waterAlerts.acknowledgedBy))
    .leftJoin(clearUser, eq(clearUser.id, waterAlerts.clearedBy))
    .where(where)
    // Active first, the most severe first, then the latest.
    .orderBy(
      sql`case ${waterAlerts.status} when 'open' then 0 when 'acknowledged' then 1 else 2 end`,
      sql`case ${waterAlerts.severity} when 'critical' then 0 when 'warning' then 1 else 2 end`,
      desc(waterAlerts.lastSeen),
      waterAlerts.id,
    )
    .limit(limit);
  return rows.map(({ a, ...r }) => ({
    id: a.id,
    type: a.type,
    severity: a.severity,
    status: a.status,
    messageKey: a.messageKey,
    params: a.params,
    value: a.value,
    limit: a.limit,
    count: a.count,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    escalationLevel: a.escalationLevel,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedByName: r.ackName,
    clearedAt: a.clearedAt,
    clearedByName: r.clearName,
    note: a.note,
    object: { id: a.objectId, name: r.objectName, kind: r.objectKind },
    device: a.deviceId && r.serial ? { id: a.deviceId, serialNumber: r.serial } : null,
    entity: { id: r.entityId, name: r.entityName },
    region: { id: r.regionId, nameKk: r.regionKk, nameRu: r.regionRu, nameEn: r.regionEn },
    recommendations: recommendationsOf(a.type, a.recommendations),
  }));
}

/** The alerts in the scope that match the filters (at most `limit`). */
export async function listAlertsInScope(db: DbOrTx, scope: WaterScope, filters: AlertFilters = {}): Promise<AlertView[]> {
  const f = parseAlertFilters(filters);
  if (scope.level === 'none') return [];
  const status =
    f.status === 'all' ? undefined : f.status === 'active' ? sql`${waterAlerts.status} <> 'cleared'` : eq(waterAlerts.status, f.status);
  const regionIds = f.region ? await regionSubtree(db, f.region) : null;
  return selectAlerts(
    db,
    and(
      objectInScope(scope),
      status,
      f.type ? eq(waterAlerts.type, f.type) : undefined,
      f.severity ? eq(waterAlerts.severity, f.severity) : undefined,
      regionIds ? inArray(waterObjects.regionId, regionIds) : undefined,
      f.entity ? eq(waterObjects.entityId, f.entity) : undefined,
      f.object ? eq(waterAlerts.objectId, f.object) : undefined,
    ),
    f.limit,
  );
}

/** One alert in the scope, or 404 (also when it exists outside the scope). */
export async function getAlertInScope(db: DbOrTx, scope: WaterScope, id: string): Promise<AlertView> {
  if (!z.uuid().safeParse(id).success || scope.level === 'none') throw new AppError('not_found', 'No such alert in your access area.');
  const [row] = await selectAlerts(db, and(objectInScope(scope), eq(waterAlerts.id, id)), 1);
  if (!row) throw new AppError('not_found', 'No such alert in your access area.');
  return row;
}

export type AlertFilterOptions = {
  regions: { id: string; nameKk: string; nameRu: string; nameEn: string | null; level: string }[];
  entities: { id: string; name: string }[];
  objects: { id: string; name: string; entityName: string }[];
};

/** What the filter selects offer: only regions, utilities and objects in the scope. */
export async function alertFilterOptions(db: DbOrTx, scope: WaterScope): Promise<AlertFilterOptions> {
  if (scope.level === 'none') return { regions: [], entities: [], objects: [] };
  const objs = await db
    .select({ id: waterObjects.id, name: waterObjects.name, entityId: waterObjects.entityId, entityName: waterEntities.name, regionId: waterObjects.regionId })
    .from(waterObjects)
    .innerJoin(waterEntities, eq(waterEntities.id, waterObjects.entityId))
    .where(objectInScope(scope))
    .orderBy(waterEntities.name, waterObjects.name);
  const entities = [...new Map(objs.map((o) => [o.entityId, { id: o.entityId, name: o.entityName }])).values()];
  const regionIds = [...new Set(objs.map((o) => o.regionId))];
  // The objects' regions and every region above them that is in the scope (an akimat filters by its city too).
  const regionRows =
    regionIds.length === 0
      ? []
      : await db.execute<{ id: string; name_kk: string; name_ru: string; name_en: string | null; level: string; code: string }>(sql`
          with recursive up(id) as (
            select id from ${regions} where ${inArray(regions.id, regionIds)}
            union
            select r.parent_id from ${regions} r join up on r.id = up.id where r.parent_id is not null
          )
          select g.id, g.name_kk, g.name_ru, g.name_en, g.level, g.code from up join ${regions} g on g.id = up.id
          where g.level <> 'national' order by g.code`);
  const allowed = (id: string) => scope.level === 'national' || scope.regionIds.includes(id) || regionIds.includes(id);
  return {
    regions: regionRows.filter((r) => allowed(r.id)).map((r) => ({ id: r.id, nameKk: r.name_kk, nameRu: r.name_ru, nameEn: r.name_en, level: r.level })),
    entities,
    objects: objs.map((o) => ({ id: o.id, name: o.name, entityName: o.entityName })),
  };
}
