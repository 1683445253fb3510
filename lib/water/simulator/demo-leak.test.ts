import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { waterAlerts } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { useTestDb } from '@/lib/testing/db';
import { astanaParts } from '@/lib/time/astana';
import { demoLeakStart, prepareDemoNetwork } from './demo';

const t = useTestDb();
// 02:30 Astana: the night in progress is not complete, the worst hour for "three leaking nights".
const now = new Date('2026-11-24T21:30:00Z');

describe('demo start: the injected leak is raised deterministically (W-21, W-31)', () => {
  beforeAll(async () => {
    await seedWater(t.db);
  });

  it('W-21 the leak starts at Astana midnight three days back', () => {
    const p = astanaParts(demoLeakStart(now));
    expect([p.date, p.hour, p.minute]).toEqual(['2026-11-22', 0, 0]);
  });

  it('W-21 W-31 the demo start backfills the history and raises the night-flow alert in AST-DMA2 only, with "send leak detection"', async () => {
    const r = await prepareDemoNetwork(t.db, now);
    expect(new Date(r.simulatedTo).getTime()).toBe(now.getTime());
    expect(r.accepted).toBeGreaterThan(50_000);
    const night = await t.db.select().from(waterAlerts).where(eq(waterAlerts.type, 'night_flow_high'));
    expect(night.map((a) => a.objectId)).toEqual([demoWaterId('object:astana:dma2')]);
    const [leak] = night;
    expect(leak.status).toBe('open');
    expect(leak.messageKey).toBe('water.alerts.night_flow_high');
    expect(Number(leak.params.nights)).toBeGreaterThanOrEqual(3);
    expect(Number(leak.params.excess)).toBeGreaterThan(5);
    const rec = leak.recommendations as { actions: { id: string }[] };
    expect(rec.actions[0].id).toBe('send_leak_detection');
    // Idempotent: a second start changes nothing (the same observation).
    const again = await prepareDemoNetwork(t.db, now);
    expect(again.monitoring.opened).toBe(0);
    const rows = await t.db
      .select()
      .from(waterAlerts)
      .where(and(eq(waterAlerts.type, 'night_flow_high'), eq(waterAlerts.objectId, demoWaterId('object:astana:dma2'))));
    expect(rows).toHaveLength(1);
    expect(rows[0].count).toBe(1);
  }, 120_000);
});
