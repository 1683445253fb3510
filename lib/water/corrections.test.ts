import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, notifications, readingCorrections, readings, readingsDaily, readingsHourly } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import type { Principal } from '@/lib/auth/principal';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { correctReading, readingsEffective } from './corrections';
import { FLAG } from './flags';
import { ingestReadings } from './ingest';
import { createWaterUser } from './monitoring/testing';

const t = useTestDb();
const NOW = new Date('2025-06-20T09:00:00Z');
const FM = demoWaterId('device:astana:dma1-fm');
let utility: Principal;
let colleague: Principal;
let almaty: Principal;

beforeAll(async () => {
  setClock(NOW);
  await seedWater(t.db);
  utility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001' });
  colleague = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001', locale: 'en' });
  almaty = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000002' });
  const r = await ingestReadings(
    t.db,
    { principal: { kind: 'device', deviceId: FM } },
    [0, 10, 20].map((m) => ({ metric: 'flow', ts: `2025-06-20T13:${String(m).padStart(2, '0')}:00+05:00`, value: m === 10 ? 400 : 40, unit: 'm3/h' })),
  );
  expect(r.accepted).toBe(3);
});
afterAll(() => setClock(null));

describe('correctReading', () => {
  it('W-33 a correction keeps the original, records value/reason/author, audits (X-9) and notifies the entity users', async () => {
    const ts = new Date('2025-06-20T08:10:00Z');
    await expect(correctReading(t.db, almaty, { deviceId: FM, metric: 'flow', ts, value: 41, reason: 'meter glitch' })).rejects.toMatchObject({ code: 'not_found' });
    const c = await correctReading(t.db, utility, { deviceId: FM, metric: 'flow', ts, value: 41, reason: 'meter glitch' });
    expect(c).toMatchObject({ originalValue: 400, correctedValue: 41, reason: 'meter glitch', authorUserId: utility.userId });

    const [raw] = await t.db.select().from(readings).where(and(eq(readings.deviceId, FM), eq(readings.ts, ts)));
    expect(raw.value).toBe(400); // the original stays
    expect(raw.flags & FLAG.CORRECTED).toBe(FLAG.CORRECTED);
    expect((await readingsEffective(t.db, FM, 'flow', new Date('2025-06-20T08:00:00Z'), new Date('2025-06-20T09:00:00Z'))).map((r) => [r.original, r.value])).toEqual([
      [40, 40],
      [400, 41],
      [40, 40],
    ]);
    // rollups use the effective value
    const [h] = await t.db.select().from(readingsHourly).where(and(eq(readingsHourly.deviceId, FM), eq(readingsHourly.bucket, new Date('2025-06-20T08:00:00Z'))));
    expect(h).toMatchObject({ count: 3, sum: 121, max: 41 });
    const [d] = await t.db.select().from(readingsDaily).where(and(eq(readingsDaily.deviceId, FM), eq(readingsDaily.bucket, new Date('2025-06-19T19:00:00Z'))));
    expect(d).toMatchObject({ count: 3, sum: 121 });

    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.entityId, c.id));
    expect(audit).toMatchObject({ action: 'water.reading.correct', actorUserId: utility.userId, basis: 'meter glitch' });
    expect(audit.before).toMatchObject({ value: 400, original: 400 });
    expect(audit.after).toMatchObject({ value: 41 });
    const notes = await t.db.select().from(notifications).where(eq(notifications.entityId, c.id));
    expect(notes.map((n) => n.userId).sort()).toEqual([utility.userId, colleague.userId].sort());
    expect(notes.find((n) => n.userId === almaty.userId)).toBeUndefined();
    expect(notes.find((n) => n.userId === colleague.userId)!.body).toContain('Basis: meter glitch');

    // a second correction: the latest wins, the original is still the stored value
    await correctReading(t.db, colleague, { deviceId: FM, metric: 'flow', ts, value: 42, reason: 'recalibrated' });
    expect((await t.db.select().from(readingCorrections).where(eq(readingCorrections.deviceId, FM))).map((r) => r.originalValue)).toEqual([400, 400]);
    const [h2] = await t.db.select().from(readingsHourly).where(and(eq(readingsHourly.deviceId, FM), eq(readingsHourly.bucket, new Date('2025-06-20T08:00:00Z'))));
    expect(h2.sum).toBe(122);
  });

  it('W-33 corrections outside the access level or without a reason are refused', async () => {
    const ts = new Date('2025-06-20T08:00:00Z');
    const applicant = await createWaterUser(t.db, { role: 'applicant' });
    await expect(correctReading(t.db, applicant, { deviceId: FM, metric: 'flow', ts, value: 1, reason: 'xyz' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(correctReading(t.db, utility, { deviceId: FM, metric: 'flow', ts, value: 1, reason: '' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(correctReading(t.db, utility, { deviceId: FM, metric: 'flow', ts: new Date('2025-06-20T07:00:00Z'), value: 1, reason: 'no such' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
