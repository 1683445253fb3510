import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waterAlerts } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { listAlerts, listDevices, listEntities, listObjects, requireObjectInScope, waterScope } from './access';
import { createWaterUser } from './monitoring/testing';

const t = useTestDb();
const obj = (u: string, k: string) => demoWaterId(`object:${u}:${k}`);

beforeAll(async () => {
  setClock('2025-06-20T09:00:00Z');
  await seedWater(t.db);
  // one alert on each utility's intake
  for (const u of ['astana', 'almaty']) {
    await t.db.insert(waterAlerts).values({
      type: 'device_silent', objectId: obj(u, 'intake'), severity: 'warning', firstSeen: new Date(), lastSeen: new Date(), messageKey: 'water.alerts.device_silent',
    });
  }
});
afterAll(() => setClock(null));

describe('W-16 / X-11 water access scopes', () => {
  it('W-16 a utility sees only its own entity’s objects, devices and alerts', async () => {
    const p = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001' });
    const scope = await waterScope(t.db, p);
    expect(scope).toMatchObject({ level: 'entity', entityIds: [demoWaterId('entity:astana')] });
    const objects = await listObjects(t.db, scope);
    expect(objects).toHaveLength(8);
    expect(objects.every((o) => o.entityId === demoWaterId('entity:astana'))).toBe(true);
    const devs = await listDevices(t.db, scope);
    expect(devs.length).toBeGreaterThan(0);
    expect(devs.every((d) => d.serialNumber.startsWith('AST-'))).toBe(true);
    expect((await listAlerts(t.db, scope)).map((a) => a.objectId)).toEqual([obj('astana', 'intake')]);
    expect((await listEntities(t.db, scope)).map((e) => e.bin)).toEqual(['990140000001']);
    await expect(requireObjectInScope(t.db, scope, obj('almaty', 'intake'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('W-16 an akimat sees its region and the districts below it, nothing else; a district akimat only its district', async () => {
    const city = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: demoWaterId('region:almaty') } });
    const scope = await waterScope(t.db, city);
    expect(scope.level).toBe('region');
    expect(scope.regionIds.sort()).toEqual(['almaty', 'almaty-medeu', 'almaty-bostandyk', 'almaty-auezov'].map((k) => demoWaterId(`region:${k}`)).sort());
    const objects = await listObjects(t.db, scope);
    expect(objects).toHaveLength(8);
    expect(objects.every((o) => o.entityId === demoWaterId('entity:almaty'))).toBe(true);
    expect((await listAlerts(t.db, scope)).map((a) => a.objectId)).toEqual([obj('almaty', 'intake')]);

    const district = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: demoWaterId('region:almaty-bostandyk') } });
    const dObjects = await listObjects(t.db, await waterScope(t.db, district));
    // the pumping station, the reservoir and DMA-2 lie in Bostandyk
    expect(dObjects.map((o) => o.id).sort()).toEqual([obj('almaty', 'ps'), obj('almaty', 'res'), obj('almaty', 'dma2')].sort());
    expect(await listAlerts(t.db, await waterScope(t.db, district))).toEqual([]);
    // an akimat without a scope row sees nothing
    const bare = await createWaterUser(t.db, { role: 'akimat' });
    expect(await waterScope(t.db, bare)).toMatchObject({ level: 'none' });
    expect(await listObjects(t.db, await waterScope(t.db, bare))).toEqual([]);
  });

  it('W-16 the authorised body sees the nation; users without a water role see nothing (X-11)', async () => {
    const body = await createWaterUser(t.db, { role: 'authorised_body' });
    const scope = await waterScope(t.db, body);
    expect(scope.level).toBe('national');
    expect(await listObjects(t.db, scope)).toHaveLength(16);
    expect(await listAlerts(t.db, scope)).toHaveLength(2);
    const applicant = await createWaterUser(t.db, { role: 'applicant', scope: { level: 'national' } });
    expect(await waterScope(t.db, applicant)).toMatchObject({ level: 'none' });
    expect(await waterScope(t.db, null)).toMatchObject({ level: 'none' });
    expect(await listDevices(t.db, await waterScope(t.db, applicant))).toEqual([]);
  });
});
