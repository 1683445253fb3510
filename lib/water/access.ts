/**
 * W-16 / X-11: who sees which water data. A utility sees its own entity, an akimat its region (and the districts
 * and cities below it), the authorised body (and portal staff) the nation. Scopes come from water_user_scopes;
 * a water_utility user without a scope row sees the entity whose BIN is its organisation's BIN.
 */
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { devices, regions, waterAlerts, waterEntities, waterFigures, waterObjects, waterUserScopes } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';

export type WaterScope = {
  level: 'national' | 'region' | 'entity' | 'none';
  /** Regions in scope, descendants included (empty for national: everything). */
  regionIds: string[];
  /** Entities in scope by their own right (utility scopes). */
  entityIds: string[];
};

/** Roles that see the whole nation's water data. */
const NATIONAL_ROLES = ['authorised_body', 'operator', 'admin', 'oversight'];
const WATER_ROLES = ['water_utility', 'akimat', ...NATIONAL_ROLES];

export const NO_SCOPE: WaterScope = { level: 'none', regionIds: [], entityIds: [] };

/** The regions under (and including) the given ones. */
async function withDescendants(db: DbOrTx, roots: string[]): Promise<string[]> {
  if (roots.length === 0) return [];
  const rows = await db.execute<{ id: string }>(sql`
    with recursive r(id) as (
      select id from ${regions} where ${inArray(regions.id, roots)}
      union
      select c.id from ${regions} c join r on c.parent_id = r.id
    ) select id from r`);
  return rows.map((x) => x.id);
}

export async function waterScope(db: DbOrTx, principal: Principal | null): Promise<WaterScope> {
  if (!principal || !principal.roles.some((r) => WATER_ROLES.includes(r))) return NO_SCOPE;
  if (principal.roles.some((r) => NATIONAL_ROLES.includes(r))) return { level: 'national', regionIds: [], entityIds: [] };
  const rows = await db.select().from(waterUserScopes).where(eq(waterUserScopes.userId, principal.userId));
  if (rows.some((r) => r.level === 'national')) return { level: 'national', regionIds: [], entityIds: [] };
  const regionRoots = rows.filter((r) => r.level === 'region' && r.regionId).map((r) => r.regionId!);
  const entityIds = rows.filter((r) => r.level === 'entity' && r.entityId).map((r) => r.entityId!);
  if (principal.roles.includes('water_utility') && principal.bin) {
    const own = await db.select({ id: waterEntities.id }).from(waterEntities).where(eq(waterEntities.bin, principal.bin));
    for (const e of own) if (!entityIds.includes(e.id)) entityIds.push(e.id);
  }
  const regionIds = await withDescendants(db, regionRoots);
  if (regionIds.length === 0 && entityIds.length === 0) return NO_SCOPE;
  return { level: regionIds.length > 0 ? 'region' : 'entity', regionIds, entityIds };
}

function anyOf(conds: (SQL | undefined)[]): SQL {
  const c = conds.filter((x): x is SQL => x !== undefined);
  return c.length === 0 ? sql`false` : c.length === 1 ? c[0] : or(...c)!;
}

/** A condition on water_objects: the object belongs to an entity in scope or lies in a region in scope. */
export function objectInScope(scope: WaterScope): SQL {
  if (scope.level === 'national') return sql`true`;
  return anyOf([
    scope.entityIds.length ? inArray(waterObjects.entityId, scope.entityIds) : undefined,
    scope.regionIds.length ? inArray(waterObjects.regionId, scope.regionIds) : undefined,
  ]);
}

/** A condition on water_entities: the entity is in scope or registered in a region in scope. */
export function entityInScope(scope: WaterScope): SQL {
  if (scope.level === 'national') return sql`true`;
  return anyOf([
    scope.entityIds.length ? inArray(waterEntities.id, scope.entityIds) : undefined,
    scope.regionIds.length ? inArray(waterEntities.regionId, scope.regionIds) : undefined,
  ]);
}

export async function listObjects(db: DbOrTx, scope: WaterScope) {
  return db.select().from(waterObjects).where(objectInScope(scope)).orderBy(waterObjects.name, waterObjects.id);
}

export async function listEntities(db: DbOrTx, scope: WaterScope) {
  return db.select().from(waterEntities).where(entityInScope(scope)).orderBy(waterEntities.name);
}

export async function listDevices(db: DbOrTx, scope: WaterScope) {
  const rows = await db
    .select({ device: devices })
    .from(devices)
    .innerJoin(waterObjects, eq(waterObjects.id, devices.objectId))
    .where(objectInScope(scope))
    .orderBy(devices.serialNumber);
  return rows.map((r) => r.device);
}

export async function listAlerts(db: DbOrTx, scope: WaterScope, opts: { status?: 'open' | 'acknowledged' | 'cleared' | 'active' } = {}) {
  const status =
    opts.status === 'active' ? sql`${waterAlerts.status} <> 'cleared'` : opts.status ? eq(waterAlerts.status, opts.status) : undefined;
  const rows = await db
    .select({ alert: waterAlerts })
    .from(waterAlerts)
    .innerJoin(waterObjects, eq(waterObjects.id, waterAlerts.objectId))
    .where(and(objectInScope(scope), status))
    .orderBy(sql`${waterAlerts.lastSeen} desc`);
  return rows.map((r) => r.alert);
}

/** Figures in scope: the latest version of each (entity, period) unless `allVersions`. */
export async function listFigures(db: DbOrTx, scope: WaterScope, opts: { allVersions?: boolean } = {}) {
  const rows = await db
    .select({ f: waterFigures })
    .from(waterFigures)
    .innerJoin(waterEntities, eq(waterEntities.id, waterFigures.entityId))
    .where(
      and(
        entityInScope(scope),
        opts.allVersions
          ? undefined
          : sql`${waterFigures.version} = (select max(v.version) from ${waterFigures} v where v.entity_id = ${waterFigures.entityId} and v.period = ${waterFigures.period})`,
      ),
    )
    .orderBy(waterFigures.period, waterFigures.entityId, waterFigures.version);
  return rows.map((r) => r.f);
}

/** The object with its entity, or 404 — also when it exists but lies outside the scope (no existence leak). */
export async function requireObjectInScope(db: DbOrTx, scope: WaterScope, objectId: string) {
  const [row] = await db
    .select({ id: waterObjects.id, name: waterObjects.name, entityId: waterObjects.entityId, regionId: waterObjects.regionId })
    .from(waterObjects)
    .where(and(eq(waterObjects.id, objectId), objectInScope(scope)));
  if (!row) throw new AppError('not_found', 'No such water object in your access area.');
  return row;
}

export async function requireEntityInScope(db: DbOrTx, scope: WaterScope, entityId: string) {
  const [row] = await db
    .select({ id: waterEntities.id, name: waterEntities.name, bin: waterEntities.bin, regionId: waterEntities.regionId })
    .from(waterEntities)
    .where(and(eq(waterEntities.id, entityId), entityInScope(scope)));
  if (!row) throw new AppError('not_found', 'No such water entity in your access area.');
  return row;
}

/**
 * The users who answer for an entity's data: users with an entity scope on it, and water_utility users of the
 * organisation with the entity's BIN. Active users only.
 */
export async function entityUsers(db: DbOrTx, entityId: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select u.id from users u
    where u.status = 'active' and (
      exists (select 1 from water_user_scopes s where s.user_id = u.id and s.level = 'entity' and s.entity_id = ${entityId})
      or exists (
        select 1 from organisations o join water_entities e on e.bin = o.bin
        join user_roles ur on ur.user_id = u.id and ur.revoked_at is null and ur.role = 'water_utility'
        where o.id = u.org_id and e.id = ${entityId})
    ) order by u.id`);
  return rows.map((r) => r.id);
}

/** Akimat users whose region scope covers `regionId` (the region itself or one of its ancestors). */
export async function regionAkimatUsers(db: DbOrTx, regionId: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    with recursive up(id, parent_id) as (
      select id, parent_id from regions where id = ${regionId}
      union
      select r.id, r.parent_id from regions r join up on r.id = up.parent_id
    )
    select distinct u.id from users u
    join water_user_scopes s on s.user_id = u.id and s.level = 'region'
    join user_roles ur on ur.user_id = u.id and ur.revoked_at is null and ur.role = 'akimat'
    where u.status = 'active' and s.region_id in (select id from up) order by u.id`);
  return rows.map((r) => r.id);
}
