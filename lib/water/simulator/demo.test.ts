import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedWater } from '@/db/seed/water';
import { useTestDb } from '@/lib/testing/db';
import { BACKFILL_DAYS, runDemoSimulator } from './demo';

const t = useTestDb();
const now = new Date('2026-11-25T06:00:00Z');

describe('demo simulator', () => {
  beforeAll(async () => {
    await seedWater(t.db);
  });

  it('W-18 the demo backfills history slice by slice through the ingestion pipeline, then follows the clock', async () => {
    const first = await runDemoSimulator(t.db, now);
    expect(new Date(first.from).getTime()).toBe(now.getTime() - BACKFILL_DAYS * 86_400_000);
    expect(first.accepted).toBeGreaterThan(1000);
    expect(first.rejected).toBe(0);
    const [{ n }] = await t.db.execute<{ n: string }>(sql`select count(*)::text as n from readings`);
    expect(Number(n)).toBe(first.accepted);
    const [{ h }] = await t.db.execute<{ h: string }>(sql`select count(*)::text as h from readings_hourly`);
    expect(Number(h)).toBeGreaterThan(0);
    const second = await runDemoSimulator(t.db, now);
    expect(second.from).toBe(first.to);
  });
});
