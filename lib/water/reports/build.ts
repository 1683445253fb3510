/**
 * W-30: the figures of one automatic water report, assembled from the rollups (never raw readings) and the
 * registry for a level (local = one water entity, regional = a region's subtree, national = everything) and an
 * Astana period. The result is plain JSON: it is stored with the report (W-32) and the PDF/XLSX/CSV files are
 * rendered from it alone, so the archived files can always be explained by the archived figures.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { regions, waterAlerts, waterEntities, waterObjects } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { addDays, astanaMidnight, formatAstana } from '@/lib/time/astana';
import { entityInScope, objectInScope, type WaterScope } from '@/lib/water/access';
import { ALERT_TYPES, recommendationsFor, type AlertType } from '@/lib/water/analytics';
import { consumptionByEntity, flowsByEntity, objectVolumes } from '@/lib/water/dashboard/queries';
import type { TimeRange } from '@/lib/water/dashboard/range';

export type ReportKind = 'daily' | 'monthly' | 'urgent';
export type ReportLevel = 'local' | 'regional' | 'national';
/** What a report covers: the nation, a region (with its districts and cities) or one water entity. */
export type ReportScope = { level: 'national' } | { level: 'regional'; regionId: string } | { level: 'local'; entityId: string };
/** Astana calendar dates, inclusive. */
export type ReportPeriod = { start: string; end: string };

export type Cell = string | number | null;
export type ReportSection = { key: string; title: string; columns: string[]; rows: Cell[][] };
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
  kind: ReportKind;
  level: ReportLevel;
  scopeName: string;
  period: ReportPeriod;
  /** ISO instant; shown in Astana time with the zone marked. */
  generatedAt: string;
  triggerAlertId: string | null;
  summary: ReportSummary;
  sections: ReportSection[];
};

/** How many days ahead a metrological verification counts as due in a report. */
export const VERIFICATION_DUE_DAYS = 30;

const KIND_RU: Record<ReportKind, string> = { daily: 'Ежедневный', monthly: 'Ежемесячный', urgent: 'Срочный' };
const LEVEL_RU: Record<ReportLevel, string> = { local: 'местный', regional: 'региональный', national: 'республиканский' };
const SEVERITY_RU: Record<string, string> = { info: 'информация', warning: 'предупреждение', critical: 'критическая' };
const STATUS_RU: Record<string, string> = { open: 'открыта', acknowledged: 'принята', cleared: 'снята' };

export function reportTitle(d: Pick<ReportData, 'kind' | 'level' | 'scopeName' | 'period'>): string {
  const period = d.period.start === d.period.end ? d.period.start : `${d.period.start} — ${d.period.end}`;
  return `${KIND_RU[d.kind]} ${LEVEL_RU[d.level]} отчёт: ${d.scopeName}, ${period}`;
}

function isAlertType(t: string): t is AlertType {
  return (ALERT_TYPES as readonly string[]).includes(t);
}
function alertTitle(type: string): string {
  return isAlertType(type) ? recommendationsFor(type, 'ru').title : type;
}
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The access scope that equals a report's coverage (so the dashboard queries can be reused unchanged). */
export async function coverageScope(db: DbOrTx, scope: ReportScope): Promise<{ access: WaterScope; name: string }> {
  if (scope.level === 'national') return { access: { level: 'national', regionIds: [], entityIds: [] }, name: 'Республика Казахстан' };
  if (scope.level === 'regional') {
    const rows = await db.execute<{ id: string; name_ru: string }>(sql`
      with recursive s(id) as (select ${scope.regionId}::uuid union select r.id from ${regions} r join s on r.parent_id = s.id)
      select s.id, g.name_ru from s join ${regions} g on g.id = s.id`);
    const own = rows.find((r) => r.id === scope.regionId);
    if (!own) throw new AppError('not_found', 'No such region.');
    return { access: { level: 'region', regionIds: rows.map((r) => r.id), entityIds: [] }, name: own.name_ru };
  }
  const [e] = await db.select({ name: waterEntities.name }).from(waterEntities).where(eq(waterEntities.id, scope.entityId));
  if (!e) throw new AppError('not_found', 'No such water entity.');
  return { access: { level: 'entity', regionIds: [], entityIds: [scope.entityId] }, name: e.name };
}

/** The period as a dashboard time range: daily rollups for daily/monthly reports, hourly for an urgent one. */
export function periodRange(period: ReportPeriod, granularity: 'hour' | 'day'): TimeRange {
  const from = astanaMidnight(period.start);
  const to = astanaMidnight(addDays(period.end, 1));
  return { key: 'custom', from, to, granularity, hours: (to.getTime() - from.getTime()) / 3_600_000 };
}

type Balance = { supply: number; distribution: number; consumption: number | null };
function balanceRow(name: string, b: Balance): Cell[] {
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
const BALANCE_COLUMNS = ['Подача, м³', 'Поступление в зоны учёта (DMA), м³', 'Потребление (отчёт), м³', 'Потери, м³', 'Неучтённая вода, %'];

export type BuildInput = {
  kind: ReportKind;
  scope: ReportScope;
  period: ReportPeriod;
  generatedAt: Date;
  /** An urgent report's critical alert (its recommendations, W-31, are included). */
  triggerAlertId?: string | null;
};

export async function buildReportData(db: DbOrTx, input: BuildInput): Promise<ReportData> {
  const { access, name: scopeName } = await coverageScope(db, input.scope);
  const range = periodRange(input.period, input.kind === 'urgent' ? 'hour' : 'day');
  const [entities, objects, vols] = await Promise.all([
    db
      .select({ id: waterEntities.id, name: waterEntities.name, regionId: waterEntities.regionId })
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
    const tops = await db.execute<{ id: string; top_id: string; top_name: string; top_code: string }>(sql`
      with recursive t(id, top_id) as (
        select id, id from ${regions}
        where (parent_id is null and level <> 'national') or parent_id in (select id from ${regions} where level = 'national')
        union all
        select r.id, t.top_id from ${regions} r join t on r.parent_id = t.id
      ) select t.id, t.top_id, g.name_ru as top_name, g.code as top_code from t join ${regions} g on g.id = t.top_id`);
    const topOf = new Map(tops.map((r) => [r.id, r]));
    const byTop = new Map<string, { name: string; code: string; b: Balance }>();
    for (const e of entities) {
      const top = topOf.get(e.regionId);
      if (!top) continue;
      const cur = byTop.get(top.top_id) ?? { name: top.top_name, code: top.top_code, b: EMPTY };
      byTop.set(top.top_id, { ...cur, b: addBalance(cur.b, entityBalance(e.id)) });
    }
    balance = {
      key: 'balance',
      title: 'Водный баланс по регионам',
      columns: ['Регион', ...BALANCE_COLUMNS],
      rows: [...byTop.values()].sort((a, b) => a.code.localeCompare(b.code)).map((r) => balanceRow(r.name, r.b)),
    };
  } else if (input.scope.level === 'regional') {
    balance = {
      key: 'balance',
      title: 'Водный баланс по организациям',
      columns: ['Организация', ...BALANCE_COLUMNS],
      rows: entities.map((e) => balanceRow(e.name, entityBalance(e.id))),
    };
  } else {
    const volOf = new Map(vols.map((v) => [v.objectId, v.volumeM3]));
    balance = {
      key: 'balance',
      title: 'Объёмы по объектам',
      columns: ['Объект', 'Тип', 'Объём по расходомерам, м³'],
      rows: objects.filter((o) => volOf.has(o.id)).map((o) => [o.name, o.kind, round(volOf.get(o.id)!)]),
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
      title: 'Сводка',
      columns: ['Показатель', 'Значение'],
      rows: [
        ['Подача, м³', round(total.supply)],
        ['Поступление в зоны учёта (DMA), м³', round(total.distribution)],
        ['Потребление (отчёт), м³', total.consumption === null ? null : round(total.consumption)],
        ['Потери (оценка), м³', total.consumption === null ? null : round(total.supply - total.consumption)],
        ['Неучтённая вода, %', total.consumption === null || total.supply <= 0 ? null : round(((total.supply - total.consumption) / total.supply) * 100)],
        ['Тревог открыто за период', opened.length],
        ['Активных тревог', active.length],
        ['Активных критических тревог', active.filter((a) => a.severity === 'critical').length],
        [`Поверок к сроку (${VERIFICATION_DUE_DAYS} дн.)`, due.length],
      ],
    },
    balance,
    {
      key: 'pressure',
      title: 'Давление по объектам, бар',
      columns: ['Объект', 'Мин.', 'Макс.'],
      rows: pressure
        .map((p): Cell[] => [objectName.get(p.object_id) ?? p.object_id, round(Number(p.min), 2), round(Number(p.max), 2)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    },
    {
      key: 'alerts',
      title: 'Тревоги',
      columns: ['Объект', 'Тревога', 'Важность', 'Статус', 'Начало'],
      rows: alerts.map((a) => [
        objectName.get(a.objectId) ?? a.objectId,
        alertTitle(a.type),
        SEVERITY_RU[a.severity] ?? a.severity,
        STATUS_RU[a.status] ?? a.status,
        formatAstana(a.firstSeen, 'ru'),
      ]),
    },
    {
      key: 'verification',
      title: 'Поверка средств измерений',
      columns: ['Заводской номер', 'Тип', 'Объект', 'Срок поверки'],
      rows: due.map((d) => [d.serial_number, d.model, objectName.get(d.object_id) ?? d.object_id, d.next_due_on]),
    },
  ];

  if (input.triggerAlertId) {
    const [a] = await db.select().from(waterAlerts).where(eq(waterAlerts.id, input.triggerAlertId));
    if (!a) throw new AppError('not_found', 'No such water alert.');
    const rec = isAlertType(a.type) ? recommendationsFor(a.type, 'ru') : { title: a.type, actions: [] };
    sections.splice(1, 0, {
      key: 'recommendations',
      title: `Рекомендации (W-31): ${rec.title}`,
      columns: ['№', 'Рекомендуемое действие'],
      rows: rec.actions.map((x, i) => [i + 1, x.text]),
    });
  }

  return {
    kind: input.kind,
    level: input.scope.level,
    scopeName,
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
