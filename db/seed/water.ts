/**
 * Demo water network (issue 6): the nation, three regions with districts, two utilities, each with an intake,
 * a treatment plant, a pumping station, a reservoir, a network and three DMAs, and devices with rated values
 * and metrology (two due within 30 days, one overdue at seed time).
 *
 * Demo secrets (only their sha256 is stored) — for the simulator and manual tests:
 *   gateway key, Astana utility:   btg_demo_astana_gateway_key_0001
 *   gateway key, Almaty utility:   btg_demo_almaty_gateway_key_0001
 *   device token, Astana DMA-1 flow meter (serial AST-DMA1-FM):  btd_demo_astana_dma1_flow_0001
 *   device token, Almaty DMA-1 flow meter (serial ALM-DMA1-FM):  btd_demo_almaty_dma1_flow_0001
 * e.g. curl -H 'Authorization: Bearer btd_demo_astana_dma1_flow_0001' -H 'content-type: application/json' \
 *   -d '[{"metric":"flow","ts":"2025-06-01T10:00:00+05:00","value":42,"unit":"m3/h"}]' localhost:3000/api/v1/telemetry
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { devices, gateways, regions, waterEntities, waterObjects, type DeviceRated } from '@/db/schema';
import { now } from '@/lib/time/clock';
import { astanaDate, hashSecret, type Criticality, type DeviceKind } from '@/lib/water/registry';
import { registerSeeders } from './index';

export const DEMO_WATER_SECRETS = {
  astanaGateway: 'btg_demo_astana_gateway_key_0001',
  almatyGateway: 'btg_demo_almaty_gateway_key_0001',
  astanaDma1Flow: 'btd_demo_astana_dma1_flow_0001',
  almatyDma1Flow: 'btd_demo_almaty_dma1_flow_0001',
} as const;

/** A stable uuid from a name, so that re-running the seed finds the same rows. */
export function demoWaterId(name: string): string {
  const h = createHash('sha256').update(`bt-water-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type RegionSeed = { key: string; parent?: string; level: 'national' | 'region' | 'district' | 'city'; code: string; kk: string; ru: string; en: string };

// KATO-style codes for the demo (not an extract of the official classifier).
const REGIONS: RegionSeed[] = [
  { key: 'kz', level: 'national', code: '000000000', kk: 'Қазақстан Республикасы', ru: 'Республика Казахстан', en: 'Republic of Kazakhstan' },
  { key: 'astana', parent: 'kz', level: 'city', code: '710000000', kk: 'Астана қаласы', ru: 'город Астана', en: 'Astana city' },
  { key: 'astana-yesil', parent: 'astana', level: 'district', code: '711410000', kk: 'Есіл ауданы', ru: 'район Есиль', en: 'Yesil district' },
  { key: 'astana-saryarka', parent: 'astana', level: 'district', code: '711310000', kk: 'Сарыарқа ауданы', ru: 'район Сарыарка', en: 'Saryarka district' },
  { key: 'astana-almaty', parent: 'astana', level: 'district', code: '711210000', kk: 'Алматы ауданы', ru: 'район Алматы', en: 'Almaty district' },
  { key: 'akmola', parent: 'kz', level: 'region', code: '110000000', kk: 'Ақмола облысы', ru: 'Акмолинская область', en: 'Akmola region' },
  { key: 'akmola-kokshetau', parent: 'akmola', level: 'city', code: '111010000', kk: 'Көкшетау қаласы', ru: 'город Кокшетау', en: 'Kokshetau city' },
  { key: 'akmola-tselinograd', parent: 'akmola', level: 'district', code: '114200000', kk: 'Целиноград ауданы', ru: 'Целиноградский район', en: 'Tselinograd district' },
  { key: 'almaty', parent: 'kz', level: 'city', code: '750000000', kk: 'Алматы қаласы', ru: 'город Алматы', en: 'Almaty city' },
  { key: 'almaty-medeu', parent: 'almaty', level: 'district', code: '751710000', kk: 'Медеу ауданы', ru: 'Медеуский район', en: 'Medeu district' },
  { key: 'almaty-bostandyk', parent: 'almaty', level: 'district', code: '751510000', kk: 'Бостандық ауданы', ru: 'Бостандыкский район', en: 'Bostandyk district' },
  { key: 'almaty-auezov', parent: 'almaty', level: 'district', code: '751210000', kk: 'Әуезов ауданы', ru: 'Ауэзовский район', en: 'Auezov district' },
];

type DeviceSeed = {
  key: string;
  object: string;
  kind: DeviceKind;
  serial: string;
  model: string;
  rated: DeviceRated;
  intervalMonths: number;
  /** Days from the seed's date to the next verification (negative: overdue). */
  dueInDays: number;
  token?: string;
};

type UtilitySeed = {
  key: 'astana' | 'almaty';
  prefix: string;
  bin: string;
  name: string;
  nameEn: string;
  region: string;
  districts: string[];
  gatewayKey: string;
  dma1Token: string;
  scale: number;
};

const UTILITIES: UtilitySeed[] = [
  {
    key: 'astana',
    prefix: 'AST',
    bin: '990140000001',
    name: 'ГКП «Астана Су Арнасы» (демо)',
    nameEn: 'Astana Su Arnasy SOE (demo)',
    region: 'astana',
    districts: ['astana-yesil', 'astana-saryarka', 'astana-almaty'],
    gatewayKey: DEMO_WATER_SECRETS.astanaGateway,
    dma1Token: DEMO_WATER_SECRETS.astanaDma1Flow,
    scale: 1,
  },
  {
    key: 'almaty',
    prefix: 'ALM',
    bin: '990140000002',
    name: 'ГКП «Алматы Су» (демо)',
    nameEn: 'Almaty Su SOE (demo)',
    region: 'almaty',
    districts: ['almaty-medeu', 'almaty-bostandyk', 'almaty-auezov'],
    gatewayKey: DEMO_WATER_SECRETS.almatyGateway,
    dma1Token: DEMO_WATER_SECRETS.almatyDma1Flow,
    scale: 1.4,
  },
];

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** `day` minus `months` calendar months (clamped to the month's end). */
function minusMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = y * 12 + (m - 1) - months;
  const ny = Math.floor(t / 12), nm = t - ny * 12 + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export async function seedWater(db: Db): Promise<void> {
  const today = astanaDate(now());
  const rid = (key: string) => demoWaterId(`region:${key}`);

  for (const r of REGIONS) {
    await db
      .insert(regions)
      .values({ id: rid(r.key), parentId: r.parent ? rid(r.parent) : null, level: r.level, code: r.code, nameKk: r.kk, nameRu: r.ru, nameEn: r.en })
      // English names came later (issue 6): filled in on databases seeded before.
      .onConflictDoUpdate({ target: regions.id, set: { nameEn: r.en }, setWhere: sql`${regions.nameEn} is null` });
  }

  for (const u of UTILITIES) {
    const entityId = demoWaterId(`entity:${u.key}`);
    await db
      .insert(waterEntities)
      .values({ id: entityId, bin: u.bin, name: u.name, nameEn: u.nameEn, kind: 'utility', regionId: rid(u.region) })
      .onConflictDoUpdate({ target: waterEntities.id, set: { nameEn: u.nameEn }, setWhere: sql`${waterEntities.nameEn} is null` });

    const oid = (k: string) => demoWaterId(`object:${u.key}:${k}`);
    type ObjectSeed = {
      k: string;
      kind: (typeof waterObjects.kind.enumValues)[number];
      name: string;
      criticality: Criticality;
      district: string;
      parent?: string;
      connections?: number;
      mainsLengthKm?: number;
      servicePipeLengthKm?: number;
      avgPressureBar?: number;
    };
    const objects: ObjectSeed[] = [
      { k: 'intake', kind: 'intake', name: 'Водозабор', criticality: 'critical', district: u.districts[0] },
      { k: 'wtp', kind: 'treatment_plant', name: 'Очистные сооружения водопровода', criticality: 'critical', district: u.districts[0] },
      { k: 'ps', kind: 'pumping_station', name: 'Насосная станция 2-го подъёма', criticality: 'high', district: u.districts[1] },
      { k: 'res', kind: 'reservoir', name: 'Резервуар чистой воды', criticality: 'high', district: u.districts[1] },
      {
        k: 'net', kind: 'network', name: 'Городская водопроводная сеть', criticality: 'normal', district: u.districts[0],
        connections: Math.round(24000 * u.scale), mainsLengthKm: Math.round(1800 * u.scale), servicePipeLengthKm: Math.round(240 * u.scale), avgPressureBar: 3.8,
      },
      ...[1, 2, 3].map((n): ObjectSeed => ({
        k: `dma${n}`, kind: 'dma', name: `DMA-${n}`, criticality: 'normal', district: u.districts[n - 1], parent: 'net',
        connections: Math.round((2500 + 700 * n) * u.scale), mainsLengthKm: Math.round((38 + 9 * n) * u.scale), servicePipeLengthKm: Math.round((5 + n) * u.scale), avgPressureBar: 3.2 + 0.3 * n,
      })),
    ];
    for (const o of objects) {
      await db
        .insert(waterObjects)
        .values({
          id: oid(o.k), entityId, regionId: rid(o.district), parentId: o.parent ? oid(o.parent) : null, kind: o.kind, name: o.name,
          criticality: o.criticality, connections: o.connections, mainsLengthKm: o.mainsLengthKm, servicePipeLengthKm: o.servicePipeLengthKm, avgPressureBar: o.avgPressureBar,
        })
        .onConflictDoNothing();
    }

    const s = u.scale;
    const P = u.prefix;
    const devs: DeviceSeed[] = [
      { key: 'intake-fm', object: 'intake', kind: 'flow_meter', serial: `${P}-INT-FM`, model: 'Взлёт ЭР', rated: { ranges: { flow: { min: 0, max: 6000 * s } } }, intervalMonths: 48, dueInDays: 400 },
      { key: 'intake-pp', object: 'intake', kind: 'pump_power', serial: `${P}-INT-PP`, model: 'Меркурий 234', rated: { ratedVoltageV: 400, ratedPowerKw: 630, ranges: { power: { min: 0, max: 800 }, voltage: { min: 0, max: 500 } } }, intervalMonths: 96, dueInDays: 900 },
      { key: 'wtp-fm', object: 'wtp', kind: 'flow_meter', serial: `${P}-WTP-FM`, model: 'Взлёт ЭР', rated: { ranges: { flow: { min: 0, max: 6000 * s } } }, intervalMonths: 48, dueInDays: 20 },
      { key: 'wtp-q', object: 'wtp', kind: 'quality_sensor', serial: `${P}-WTP-Q`, model: 'Hach CL17sc', rated: { ranges: { chlorine: { min: 0, max: 5 }, turbidity: { min: 0, max: 100 }, ph: { min: 0, max: 14 } } }, intervalMonths: 12, dueInDays: u.key === 'astana' ? -15 : 120 },
      { key: 'ps-pr', object: 'ps', kind: 'pressure_sensor', serial: `${P}-PS-PR`, model: 'Метран-150', rated: { ranges: { pressure: { min: 0, max: 16 } } }, intervalMonths: 24, dueInDays: 200 },
      { key: 'ps-pp', object: 'ps', kind: 'pump_power', serial: `${P}-PS-PP`, model: 'Меркурий 234', rated: { ratedVoltageV: 400, ratedPowerKw: 315, ranges: { power: { min: 0, max: 400 }, voltage: { min: 0, max: 500 } } }, intervalMonths: 96, dueInDays: 700 },
      { key: 'res-lv', object: 'res', kind: 'level_sensor', serial: `${P}-RES-LV`, model: 'ЭХО-АС-01', rated: { ranges: { level: { min: 0, max: 8 } } }, intervalMonths: 24, dueInDays: u.key === 'almaty' ? 10 : 300 },
      ...[1, 2, 3].flatMap((n): DeviceSeed[] => [
        { key: `dma${n}-fm`, object: `dma${n}`, kind: 'flow_meter', serial: `${P}-DMA${n}-FM`, model: 'Взлёт ЭР', rated: { ranges: { flow: { min: 0, max: 400 * s } } }, intervalMonths: 48, dueInDays: 150 * n, token: n === 1 ? u.dma1Token : undefined },
        { key: `dma${n}-pr`, object: `dma${n}`, kind: 'pressure_sensor', serial: `${P}-DMA${n}-PR`, model: 'Метран-150', rated: { ranges: { pressure: { min: 0, max: 10 } } }, intervalMonths: 24, dueInDays: 90 * n },
      ]),
    ];
    for (const d of devs) {
      await db
        .insert(devices)
        .values({
          id: demoWaterId(`device:${u.key}:${d.key}`), objectId: oid(d.object), kind: d.kind, serialNumber: d.serial, model: d.model,
          rated: d.rated, lastVerifiedOn: minusMonths(addDays(today, d.dueInDays), d.intervalMonths), verificationIntervalMonths: d.intervalMonths,
          tokenHash: d.token ? hashSecret(d.token) : null,
        })
        .onConflictDoNothing();
    }
    await db
      .insert(gateways)
      .values({ id: demoWaterId(`gateway:${u.key}`), entityId, name: `${P} SCADA gateway`, keyHash: hashSecret(u.gatewayKey) })
      .onConflictDoNothing();
  }
}

registerSeeders({ name: 'water', version: '2', run: seedWater }); // 2: English names
