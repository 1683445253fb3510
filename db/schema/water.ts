import { sql } from 'drizzle-orm';
import {
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

/**
 * Water supply and sewerage (issue 6): the registry (W-17, W-35) and telemetry storage (W-18, W-23).
 * `readings` is PARTITIONED BY RANGE (ts) in PostgreSQL (migration water_readings_partitioned); drizzle-kit
 * cannot declare that, so here it is described as a plain table with the same columns and primary key, which
 * is all the query builder needs.
 */

export const regionLevel = pgEnum('water_region_level', ['national', 'region', 'district', 'city']);
export const waterEntityKind = pgEnum('water_entity_kind', [
  'utility',
  'owners_association',
  'building_manager',
  'service_company',
  'other',
]);
export const waterObjectKind = pgEnum('water_object_kind', [
  'intake',
  'treatment_plant',
  'pumping_station',
  'reservoir',
  'dma',
  'network',
  'sewage_works',
]);
export const waterCriticality = pgEnum('water_criticality', ['critical', 'high', 'normal', 'low']);
export const deviceKind = pgEnum('water_device_kind', [
  'flow_meter',
  'pressure_sensor',
  'level_sensor',
  'pump_power',
  'voltage',
  'quality_sensor',
]);
export const deviceStatus = pgEnum('water_device_status', ['active', 'suspended', 'retired']);

/** Administrative units: the nation → regions and cities of republican significance → districts and cities. */
export const regions = pgTable(
  'regions',
  {
    id: uuid().primaryKey().defaultRandom(),
    parentId: uuid().references((): AnyPgColumn => regions.id),
    level: regionLevel().notNull(),
    nameKk: text().notNull(),
    nameRu: text().notNull(),
    /** The English name (en pages and reports); null: not given, the Russian name is shown. */
    nameEn: text(),
    /** KATO-like code, stable across seeds. */
    code: text().notNull().unique(),
  },
  (t) => [index('regions_parent_idx').on(t.parentId)],
);

/** Water entities: utilities (natural monopolies), owners' associations, managers, service companies. */
export const waterEntities = pgTable(
  'water_entities',
  {
    id: uuid().primaryKey().defaultRandom(),
    bin: text().notNull().unique(),
    name: text().notNull(),
    /** The English name (en pages and reports); null: not given, `name` is shown. */
    nameEn: text(),
    kind: waterEntityKind().notNull(),
    regionId: uuid()
      .notNull()
      .references(() => regions.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('water_entities_region_idx').on(t.regionId)],
);

/** Water and sewerage objects; the criticality sets the expected reporting interval (W-17). */
export const waterObjects = pgTable(
  'water_objects',
  {
    id: uuid().primaryKey().defaultRandom(),
    entityId: uuid()
      .notNull()
      .references(() => waterEntities.id),
    regionId: uuid()
      .notNull()
      .references(() => regions.id),
    /** E.g. a DMA inside a network. */
    parentId: uuid().references((): AnyPgColumn => waterObjects.id),
    kind: waterObjectKind().notNull(),
    name: text().notNull(),
    criticality: waterCriticality().notNull().default('normal'),
    /** Overrides the interval that the criticality gives (lib/water/registry.ts). */
    reportingIntervalSec: integer(),
    /** For the water balance and UARL: Nc, Lm, Lp, P. */
    connections: integer(),
    mainsLengthKm: doublePrecision(),
    servicePipeLengthKm: doublePrecision(),
    avgPressureBar: doublePrecision(),
    lat: doublePrecision(),
    lon: doublePrecision(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('water_objects_entity_idx').on(t.entityId), index('water_objects_region_idx').on(t.regionId)],
);

/** Rated values of a device, in the canonical unit of each metric (lib/water/normalize.ts). */
export type DeviceRated = {
  /** Physical measuring range per metric, e.g. { flow: { min: 0, max: 500 } }. */
  ranges?: Partial<Record<string, { min?: number; max?: number }>>;
  ratedVoltageV?: number;
  ratedPowerKw?: number;
  [k: string]: unknown;
};

/** Measuring devices with their metrology (W-35). */
export const devices = pgTable(
  'devices',
  {
    id: uuid().primaryKey().defaultRandom(),
    objectId: uuid()
      .notNull()
      .references(() => waterObjects.id),
    kind: deviceKind().notNull(),
    serialNumber: text().notNull().unique(),
    /** Type (model) as in the state register of measuring instruments. */
    model: text().notNull(),
    manufacturer: text(),
    rated: jsonb().$type<DeviceRated>().notNull().default({}),
    lastVerifiedOn: date({ mode: 'string' }),
    verificationIntervalMonths: integer(),
    /** Computed by PostgreSQL from the last verification and the interval, never typed in. */
    nextDueOn: date({ mode: 'string' }).generatedAlwaysAs(
      sql`(last_verified_on + make_interval(months => verification_interval_months))::date`,
    ),
    /** sha256 (hex) of the device's own token; null for devices that report only through a gateway. */
    tokenHash: text().unique(),
    status: deviceStatus().notNull().default('active'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('devices_object_idx').on(t.objectId), index('devices_next_due_idx').on(t.nextDueOn)],
);

/** Data-collection gateways of an entity: one key writes for all the entity's devices. */
export const gateways = pgTable('gateways', {
  id: uuid().primaryKey().defaultRandom(),
  entityId: uuid()
    .notNull()
    .references(() => waterEntities.id),
  name: text().notNull(),
  /** sha256 (hex) of the gateway key. */
  keyHash: text().notNull().unique(),
  status: deviceStatus().notNull().default('active'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Raw readings, one row per (device, metric, ts): a re-sent reading is a duplicate, never a second row.
 * Values are in the metric's canonical unit; `flags` is the bitmask in lib/water/flags.ts. No foreign key to
 * devices: the per-row RI trigger would cost a third of the ingest rate, and ingest only writes device ids
 * it has just resolved.
 */
export const readings = pgTable(
  'readings',
  {
    deviceId: uuid().notNull(),
    metric: text().notNull(),
    ts: timestamp({ withTimezone: true }).notNull(),
    value: doublePrecision().notNull(),
    unit: text().notNull(),
    flags: smallint().notNull().default(0),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.metric, t.ts] })],
);

const rollupColumns = {
  deviceId: uuid().notNull(),
  metric: text().notNull(),
  /** Start of the hour (UTC) or of the Astana calendar day. */
  bucket: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
  sum: doublePrecision().notNull(),
  min: doublePrecision().notNull(),
  max: doublePrecision().notNull(),
  /** The value with the latest ts in the bucket, and that ts (so late readings do not overwrite it). */
  last: doublePrecision().notNull(),
  lastTs: timestamp({ withTimezone: true }).notNull(),
  /** How many of the readings carry a quality flag. */
  flagged: integer().notNull().default(0),
};

/** Hourly aggregates, upserted on every ingest batch (the dashboards read these). */
export const readingsHourly = pgTable('readings_hourly', { ...rollupColumns }, (t) => [
  primaryKey({ columns: [t.deviceId, t.metric, t.bucket] }),
]);

/** Daily aggregates by Astana calendar day. */
export const readingsDaily = pgTable('readings_daily', { ...rollupColumns }, (t) => [
  primaryKey({ columns: [t.deviceId, t.metric, t.bucket] }),
]);
