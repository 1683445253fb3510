import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users, waterEntities } from '@/db/schema';
import { loadPrincipal } from '@/lib/auth/principal';
import { can } from '@/lib/auth/policy';
import { ensureTestPki } from '@/lib/eds/test-pki';
import { parseCertificate } from '@/lib/eds/certificate';
import { resetEnvCache } from '@/lib/env';
import { useTestDb } from '@/lib/testing/db';
import { listEntities, listObjects, waterScope } from '@/lib/water/access';
import { seed } from './all';

/** The demo EDS keys of a water utility's employee and an akimat's specialist, and the water data each one sees. */
const t = useTestDb();
const saved = process.env.EDS_TEST_MODE;
beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
  await seed(t.db);
}, 300_000);
afterAll(() => {
  process.env.EDS_TEST_MODE = saved;
  resetEnvCache();
});

async function principalOf(iin: string) {
  const [u] = await t.db.select().from(users).where(eq(users.iin, iin));
  return loadPrincipal(t.db, u.id, u.sessionVersion);
}

describe('water demo keys', () => {
  it("W-16 / X-11 the water utility's key (BIN of the Astana utility) sees only its own entity and objects", async () => {
    const pki = await ensureTestPki(t.db);
    const key = pki.keys.water_utility;
    expect(parseCertificate(key.auth.certDer).bin).toBe('990140000001');
    const [astana] = await t.db.select().from(waterEntities).where(eq(waterEntities.bin, key.bin!));
    expect(astana).toBeDefined();
    const p = await principalOf(key.iin);
    expect(p?.roles).toEqual(['water_utility']);
    expect(can(p, 'water.submit')).toBe(true);
    const scope = await waterScope(t.db, p);
    expect(scope.level).toBe('entity');
    expect((await listEntities(t.db, scope)).map((e) => e.id)).toEqual([astana.id]);
    const objects = await listObjects(t.db, scope);
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.every((o) => o.entityId === astana.id)).toBe(true);
  });

  it("W-16 / X-11 the akimat's key sees its region's (Almaty) entities only, and cannot submit utility data", async () => {
    const pki = await ensureTestPki(t.db);
    const p = await principalOf(pki.keys.akimat.iin);
    expect(p?.roles).toEqual(['akimat']);
    expect(can(p, 'water.submit')).toBe(false);
    const scope = await waterScope(t.db, p);
    expect(scope.level).toBe('region');
    const entities = await listEntities(t.db, scope);
    expect(entities.map((e) => e.bin)).toEqual(['990140000002']);
    // Seeding again adds no second scope.
    await seed(t.db, { force: true });
    expect((await waterScope(t.db, await principalOf(pki.keys.akimat.iin))).regionIds).toEqual(scope.regionIds);
  });
});
