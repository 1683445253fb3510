import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices, regions, waterObjects } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { astanaDate, expectedIntervalSec, listVerificationsDue, metrologyStatus, nextDueOn } from './registry';

const t = useTestDb();
// 23:30 on 19 June in New York (the test TZ) is already 20 June in Astana.
const NOW = '2025-06-20T03:30:00Z';

beforeAll(() => setClock(NOW));
afterAll(() => setClock(null));

describe('water registry', () => {
  it('W-35 next_due_on is last verification + interval in calendar months (pure, month ends clamped)', () => {
    expect(nextDueOn('2023-05-15', 24)).toBe('2025-05-15');
    expect(nextDueOn('2024-01-31', 1)).toBe('2024-02-29');
    expect(nextDueOn('2023-11-30', 3)).toBe('2024-02-29');
    expect(nextDueOn('2024-12-31', 12)).toBe('2025-12-31');
  });

  it('W-35 devices carry metrology and PostgreSQL computes next_due_on from last verification + interval', async () => {
    await seedWater(t.db);
    const id = demoWaterId('device:astana:dma1-pr');
    for (const [last, months] of [
      ['2024-01-31', 1],
      ['2023-05-15', 24],
      ['2023-11-30', 3],
    ] as const) {
      await t.db.update(devices).set({ lastVerifiedOn: last, verificationIntervalMonths: months }).where(eq(devices.id, id));
      const [d] = await t.db.select().from(devices).where(eq(devices.id, id));
      expect(d.nextDueOn).toBe(nextDueOn(last, months));
      expect(d.model).toBeTruthy();
      expect(d.serialNumber).toBe('AST-DMA1-PR');
    }
    await t.db.update(devices).set({ lastVerifiedOn: null }).where(eq(devices.id, id));
    const [none] = await t.db.select().from(devices).where(eq(devices.id, id));
    expect(none.nextDueOn).toBeNull();
  });

  it('W-35 due and overdue verifications are listed by Astana date (the demo has one overdue and two due soon)', async () => {
    const today = astanaDate(new Date(NOW));
    expect(today).toBe('2025-06-20');
    expect(metrologyStatus('2025-06-19', today)).toBe('overdue');
    expect(metrologyStatus('2025-06-20', today)).toBe('due_soon');
    expect(metrologyStatus('2025-07-20', today)).toBe('due_soon');
    expect(metrologyStatus('2025-07-21', today)).toBe('ok');
    const due = await listVerificationsDue(t.db, { today, withinDays: 30 });
    expect(due.map((d) => [d.serialNumber, d.status])).toEqual([
      ['AST-WTP-Q', 'overdue'],
      ['ALM-RES-LV', 'due_soon'],
      ['ALM-WTP-FM', 'due_soon'],
      ['AST-WTP-FM', 'due_soon'],
    ]);
  });

  it('W-17 each object’s criticality sets its expected reporting interval', async () => {
    const objs = await t.db.select().from(waterObjects).where(eq(waterObjects.entityId, demoWaterId('entity:astana')));
    const byKind = Object.fromEntries(objs.map((o) => [o.kind, expectedIntervalSec(o)]));
    expect(byKind).toMatchObject({ intake: 60, treatment_plant: 60, pumping_station: 300, reservoir: 300, network: 900, dma: 900 });
    expect(expectedIntervalSec({ criticality: 'low', reportingIntervalSec: 120 })).toBe(120);
  });

  it('the demo seed is idempotent and builds national → region → district', async () => {
    const count = async () => ({
      regions: (await t.db.select().from(regions)).length,
      objects: (await t.db.select().from(waterObjects)).length,
      devices: (await t.db.select().from(devices)).length,
    });
    const before = await count();
    await seedWater(t.db);
    expect(await count()).toEqual(before);
    expect(before).toEqual({ regions: 12, objects: 16, devices: 26 });
    const [kz] = await t.db.select().from(regions).where(eq(regions.level, 'national'));
    const children = await t.db.select().from(regions).where(eq(regions.parentId, kz.id));
    expect(children.map((c) => c.code).sort()).toEqual(['110000000', '710000000', '750000000']);
  });
});
