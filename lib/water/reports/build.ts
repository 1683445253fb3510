/**
 * W-30: the figures of one automatic water report, assembled from the rollups (never raw readings) and the
 * registry for a level (local = one water entity, regional = a region's subtree, national = everything) and an
 * Astana period. The result is plain JSON: it is stored with the report (W-32) and the PDF/XLSX/CSV files are
 * rendered from it alone, so the archived files can always be explained by the archived figures.
 *
 * The data are language-neutral (version 2): headings and labels are message keys (`waterReportFile.*`), names
 * that exist in several languages (regions, alert titles, recommendations) carry each language, instants stay
 * ISO. localise.ts turns them into one language's texts; the archived files are rendered in both state
 * languages (kk, ru), a download in the chosen language (kk, ru, en) is rendered from the same archived data.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { regions, waterAlerts, waterEntities, waterObjects } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { addDays, astanaMidnight } from '@/lib/time/astana';
import { entityInScope, objectInScope, type WaterScope } from '@/lib/water/access';
import { ALERT_TYPES, RECOMMENDATIONS, type AlertType } from '@/lib/water/analytics';
import { consumptionByEntity, flowsByEntity, objectVolumes } from '@/lib/water/dashboard/queries';
import type { TimeRange } from '@/lib/water/dashboard/range';

export type ReportKind = 'daily' | 'monthly' | 'urgent';
export type ReportLevel = 'local' | 'regional' | 'national';
/** What a report covers: the nation, a region (with its districts and cities) or one water entity. */
export type ReportScope = { level: 'national' } | { level: 'regional'; regionId: string } | { level: 'local'; entityId: string };
/** Astana calendar dates, inclusive. */
export type ReportPeriod = { start: string; end: string };

export type Localized = { kk: string; ru: string; en: string };
/**
 * A table cell: a plain value, a message key of the `waterReportFile` namespace (`t`, with parameters `p`), a
 * text in every language (`l`) or an instant (`d`, ISO; shown in Astana time with the zone in the language).
 */
export type Cell = string | number | null | { t: string; p?: Record<string, string | number> } | { l: Localized } | { d: string };
/**
 * A section: its key (its heading is `waterReportFile.section.<key>` with `titleParams`), its column keys
 * (`waterReportFile.col.<key>`) and rows. Version-1 data (archived before localisation) carry Russian texts in
 * `title` and `columns` instead.
 */
export type ReportSection = { key: string; title?: string; titleParams?: Record<string, Cell>; columns: string[]; rows: Cell[][] };
export type ReportSummary = {
  supplyM3: number;
  distributionM3: number;
  consumptionM3: number | null;
  lossesM3: number | null;
  nonRevenueWaterPercent: number | null;
  alertsOpened: number;
  alertsOpen: number;
  criticalOpen: number;
  verificationsDue: number;
};
export type ReportData = {
  /** 2: language-neutral (keys and every language's names); absent: version 1, Russian texts only. */
  v?: 2;
  kind: ReportKind;
  level: ReportLevel;
  /** The covered scope's name (Russian or as registered), for listings. */
  scopeName: string;
  /** The scope's name in each language (v2). */
  scopeNames?: Localized;
  period: ReportPeriod;
  /** ISO instant; shown in Astana time with the zone marked. */
  generatedAt: string;
  triggerAlertId: string | null;
  summary: ReportSummary;
  sections: ReportSection[];
};

/** How many days ahead a metrological verification counts as due in a report. */
export const VERIFICATION_DUE_DAYS = 30;

function isAlertType(t: string): t is AlertType {
  return (ALERT_TYPES as readonly string[]).includes(t);
}
/** An alert type's title in every language (W-31 catalogue), or the type itself. */
function alertTitle(type: string): Cell {
  return isAlertType(type) ? { l: { ...RECOMMENDATIONS[type].title } } : type;
}
/** An entity's name: registered once (kk and ru alike), with its English name where one is given. */
const entityNames = (e: { name: string; nameEn: string | null }): Localized => ({ kk: e.name, ru: e.name, en: e.nameEn ?? e.name });
const NATIONAL: Localized = { kk: 'Қазақстан Республикасы', ru: 'Республика Казахстан', en: 'Republic of Kazakhstan' };
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The access scope that equals a report's coverage (so the dashboard queries can be reused unchanged). */
export async function coverageScope(db: DbOrTx, scope: ReportScope): Promise<{ access: WaterScope; name: string; names: Localized }> {
  if (scope.level === 'national') return { access: { level: 'national', regionIds: [], entityIds: [] }, name: NATIONAL.ru, names: NATIONAL };
  if (scope.level === 'regional') {
    const rows = await db.execute<{ id: string; name_ru: string; name_kk: string; name_en: string | null }>(sql`
      with recursive s(id) as (select ${scope.regionId}::uuid union select r.id from ${regions} r join s on r.parent_id = s.id)
      select s.id, g.name_ru, g.name_kk, g.name_en from s join ${regions} g on g.id = s.id`);
    const own = rows.find((r) => r.id === scope.regionId);
    if (!own) throw new AppError('not_found', 'No such region.');
    // English: the region's English name (the Russian one where none is registered).
    return { access: { level: 'region', regionIds: rows.map((r) => r.id), entityIds: [] }, name: own.name_ru, names: { kk: own.name_kk, ru: own.name_ru, en: own.name_en ?? own.name_ru } };
  }
  const [e] = await db.select({ name: waterEntities.name, nameEn: waterEntities.nameEn }).from(waterEntities).where(eq(waterEntities.id, scope.entityId));
  if (!e) throw new AppError('not_found', 'No such water entity.');
  return { access: { level: 'entity', regionIds: [], entityIds: [scope.entityId] }, name: e.name, names: entityNames(e) };
}

/** The period as a dashboard time range: daily rollups for daily/monthly reports, hourly for an urgent one. */
export function periodRange(period: ReportPeriod, granularity: 'hour' | 'day'): TimeRange {
  const from = astanaMidnight(period.start);
  const to = astanaMidnight(addDays(period.end, 1));
  return { key: 'custom', from, to, granularity, hours: (to.getTime() - from.getTime()) / 3_600_000 };
}

type Balance = { supply: number; distribution: number; consumption: number | null };
function balanceRow(name: Cell, b: Balance): Cell[] {
  const losses = b.consumption === null ? null : b.supply - b.consumption;
  const nrw = losses === null || b.supply <= 0 ? null : round((losses / b.supply) * 100);
  return [name, round(b.supply), round(b.distribution), b.consumption === null ? null : round(b.consumption), losses === null ? null : round(losses), nrw];
}
function addBalance(a: Balance, b: Balance): Balance {
  return {
    supply: a.supply + b.supply,
    distribution: a.distribution + b.distribution,
    consumption: a.consumption === null && b.consumption === null ? null : (a.consumption ?? 0) + (b.consumption ?? 0),
  };
}
const EMPTY: Balance = { supply: 0, distribution: 0, consumption: null };
const BALANCE_COLUMNS = ['supply', 'distribution', 'consumption', 'losses', 'nrw'];

export type BuildInput = {
  kind: ReportKind;
  scope: ReportScope;
  period: ReportPeriod;
  generatedAt: Date;
  /** An urgent report's critical alert (its recommendations, W-31, are included). */
  triggerAlertId?: string | null;
};

export async function buildReportData(db: DbOrTx, input: BuildInput): Promise<ReportData> {
  const { access, name: scopeName, names: scopeNames } = await coverageScope(db, input.scope);
  const range = periodRange(input.period, input.kind === 'urgent' ? 'hour' : 'day');
  const [entities, objects, vols] = await Promise.all([
    db
      .select({ id: waterEntities.id, name: waterEntities.name, nameEn: waterEntities.nameEn, regionId: waterEntities.regionId })
      .from(waterEntities)
      .where(entityInScope(access))
      .orderBy(waterEntities.name),
    db
      .select({ id: waterObjects.id, name: waterObjects.name, entityId: waterObjects.entityId, regionId: waterObjects.regionId, kind: waterObjects.kind })
      .from(waterObjects)
      .where(objectInScope(access))
      .orderBy(waterObjects.name),
    objectVolumes(db, access, range),
  ]);
  const flows = flowsByEntity(vols);
  const entityIds = [...new Set([...entities.map((e) => e.id), ...objects.map((o) => o.entityId)])];
  const consumption = await consumptionByEntity(db, entityIds, range);
  const entityBalance = (id: string): Balance => ({
    supply: flows.get(id)?.supplyM3 ?? 0,
    distribution: flows.get(id)?.distributionM3 ?? 0,
    consumption: consumption.get(id) ?? null,
  });
  const total = entityIds.map(entityBalance).reduce(addBalance, EMPTY);

  // The balance section: per region (national), per utility (regional), per object (local).
  let balance: ReportSection;
  if (input.scope.level === 'national') {
    const tops = await db.execute<{ id: string; top_id: string; top_name: string; top_name_kk: string; top_name_en: string | null; top_code: string }>(sql`
      with recursive t(id, top_id) as (
        select id, id from ${regions}
        where (parent_id is null and level <> 'national') or parent_id in (select id from ${regions} where level = 'national')
        union all
        select r.id, t.top_id from ${regions} r join t on r.parent_id = t.id
      ) select t.id, t.top_id, g.name_ru as top_name, g.name_kk as top_name_kk, g.name_en as top_name_en, g.code as top_code
        from t join ${regions} g on g.id = t.top_id`);
    const topOf = new Map(tops.map((r) => [r.id, r]));
    const byTop = new Map<string, { name: Localized; code: string; b: Balance }>();
    for (const e of entities) {
      const top = topOf.get(e.regionId);
      if (!top) continue;
      const cur = byTop.get(top.top_id) ?? { name: { kk: top.top_name_kk, ru: top.top_name, en: top.top_name_en ?? top.top_name }, code: top.top_code, b: EMPTY };
      byTop.set(top.top_id, { ...cur, b: addBalance(cur.b, entityBalance(e.id)) });
    }
    balance = {
      key: 'balanceByRegion',
      columns: ['region', ...BALANCE_COLUMNS],
      rows: [...byTop.values()].sort((a, b) => a.code.localeCompare(b.code)).map((r) => balanceRow({ l: r.name }, r.b)),
    };
  } else if (input.scope.level === 'regional') {
    balance = {
      key: 'balanceByEntity',
      columns: ['entity', ...BALANCE_COLUMNS],
      rows: entities.map((e) => balanceRow(e.nameEn ? { l: entityNames(e) } : e.name, entityBalance(e.id))),
    };
  } else {
    const volOf = new Map(vols.map((v) => [v.objectId, v.volumeM3]));
    balance = {
      key: 'volumesByObject',
      columns: ['object', 'kind', 'volume'],
      rows: objects.filter((o) => volOf.has(o.id)).map((o) => [o.name, { t: `objectKind.${o.kind}` }, round(volOf.get(o.id)!)]),
    };
  }

  const objectIds = objects.map((o) => o.id);
  const objectName = new Map(objects.map((o) => [o.id, o.name]));
  const table = range.granularity === 'hour' ? sql`readings_hourly` : sql`readings_daily`;
  const pressure =
    objectIds.length === 0
      ? []
      : await db.execute<{ object_id: string; min: number; max: number }>(sql`
          select d.object_id, min(r.min) as min, max(r.max) as max
          from devices d join ${table} r on r.device_id = d.id and r.metric = 'pressure'
            and r.bucket >= ${range.from.toISOString()}::timestamptz and r.bucket < ${range.to.toISOString()}::timestamptz
          where ${inArray(sql`d.object_id`, objectIds)}
          group by d.object_id`);

  // Alerts opened in the period, and those still active when the report is generated.
  const alerts =
    objectIds.length === 0
      ? []
      : await db
          .select()
          .from(waterAlerts)
          .where(
            and(
              inArray(waterAlerts.objectId, objectIds),
              sql`((${waterAlerts.firstSeen} >= ${range.from.toISOString()}::timestamptz and ${waterAlerts.firstSeen} < ${range.to.toISOString()}::timestamptz)
                   or (${waterAlerts.status} <> 'cleared' and ${waterAlerts.firstSeen} < ${range.to.toISOString()}::timestamptz))`,
            ),
          )
          .orderBy(waterAlerts.firstSeen, waterAlerts.id);
  const opened = alerts.filter((a) => a.firstSeen >= range.from && a.firstSeen < range.to);
  const active = alerts.filter((a) => a.status !== 'cleared');

  const dueUntil = addDays(input.period.end, VERIFICATION_DUE_DAYS);
  const due =
    objectIds.length === 0
      ? []
      : await db.execute<{ serial_number: string; model: string; object_id: string; next_due_on: string }>(sql`
          select serial_number, model, object_id, next_due_on::text as next_due_on from devices
          where status = 'active' and next_due_on is not null and next_due_on <= ${dueUntil}::date
            and ${inArray(sql`object_id`, objectIds)}
          order by next_due_on, serial_number`);

  const sections: ReportSection[] = [
    {
      key: 'summary',
      columns: ['indicator', 'value'],
      rows: [
        [{ t: 'indicator.supply' }, round(total.supply)],
        [{ t: 'indicator.distribution' }, round(total.distribution)],
        [{ t: 'indicator.consumption' }, total.consumption === null ? null : round(total.consumption)],
        [{ t: 'indicator.losses' }, total.consumption === null ? null : round(total.supply - total.consumption)],
        [{ t: 'indicator.nrw' }, total.consumption === null || total.supply <= 0 ? null : round(((total.supply - total.consumption) / total.supply) * 100)],
        [{ t: 'indicator.alertsOpened' }, opened.length],
        [{ t: 'indicator.alertsActive' }, active.length],
        [{ t: 'indicator.criticalActive' }, active.filter((a) => a.severity === 'critical').length],
        [{ t: 'indicator.verificationsDue', p: { days: VERIFICATION_DUE_DAYS } }, due.length],
      ],
    },
    balance,
    {
      key: 'pressure',
      columns: ['object', 'min', 'max'],
      rows: pressure
        .map((p): Cell[] => [objectName.get(p.object_id) ?? p.object_id, round(Number(p.min), 2), round(Number(p.max), 2)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    },
    {
      key: 'alerts',
      columns: ['object', 'alert', 'severity', 'status', 'start'],
      rows: alerts.map((a) => [
        objectName.get(a.objectId) ?? a.objectId,
        alertTitle(a.type),
        { t: `severity.${a.severity}` },
        { t: `status.${a.status}` },
        { d: a.firstSeen.toISOString() },
      ]),
    },
    {
      key: 'verification',
      columns: ['serial', 'model', 'object', 'dueOn'],
      rows: due.map((d) => [d.serial_number, d.model, objectName.get(d.object_id) ?? d.object_id, d.next_due_on]),
    },
  ];

  if (input.triggerAlertId) {
    const [a] = await db.select().from(waterAlerts).where(eq(waterAlerts.id, input.triggerAlertId));
    if (!a) throw new AppError('not_found', 'No such water alert.');
    const entry = isAlertType(a.type) ? RECOMMENDATIONS[a.type] : null;
    sections.splice(1, 0, {
      key: 'recommendations',
      titleParams: { title: alertTitle(a.type) },
      columns: ['no', 'action'],
      rows: (entry?.actions ?? []).map((x, i) => [i + 1, { l: { ...x.text } }]),
    });
  }

  return {
    v: 2,
    kind: input.kind,
    level: input.scope.level,
    scopeName,
    scopeNames,
    period: input.period,
    generatedAt: input.generatedAt.toISOString(),
    triggerAlertId: input.triggerAlertId ?? null,
    summary: {
      supplyM3: round(total.supply),
      distributionM3: round(total.distribution),
      consumptionM3: total.consumption === null ? null : round(total.consumption),
      lossesM3: total.consumption === null ? null : round(total.supply - total.consumption),
      nonRevenueWaterPercent:
        total.consumption === null || total.supply <= 0 ? null : round(((total.supply - total.consumption) / total.supply) * 100),
      alertsOpened: opened.length,
      alertsOpen: active.length,
      criticalOpen: active.filter((a) => a.severity === 'critical').length,
      verificationsDue: due.length,
    },
    sections,
  };
}
