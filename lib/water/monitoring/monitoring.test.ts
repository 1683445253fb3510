import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, devices, notifications, readingsDaily, readingsHourly, waterAlerts } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { setClock } from '@/lib/time/clock';
import { astanaInstant, addDays } from '@/lib/time/astana';
import { useTestDb } from '@/lib/testing/db';
import { ingestReadings } from '@/lib/water/ingest';
import type { Principal } from '@/lib/auth/principal';
import { acknowledgeAlert, clearAlert, runMonitoring } from './index';
import { createWaterUser } from './testing';

const t = useTestDb();
const T0 = new Date('2025-06-20T09:00:00Z'); // 14:00 Astana
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const dev = (key: string, u = 'astana') => demoWaterId(`device:${u}:${key}`);
const obj = (key: string, u = 'astana') => demoWaterId(`object:${u}:${key}`);
const astanaGw = { principal: { kind: 'gateway' as const, gatewayId: demoWaterId('gateway:astana'), entityId: demoWaterId('entity:astana') } };

let utility: Principal;
let almatyUtility: Principal;
let akimatAstana: Principal;
let akimatAlmaty: Principal;

async function alertOf(type: string, objectId: string, deviceId: string | null) {
  const rows = await t.db
    .select()
    .from(waterAlerts)
    .where(and(eq(waterAlerts.type, type), eq(waterAlerts.objectId, objectId), deviceId ? eq(waterAlerts.deviceId, deviceId) : sql`device_id is null`))
    .orderBy(waterAlerts.firstSeen);
  return rows;
}

async function ingest(readings: unknown[], now: Date) {
  setClock(now);
  const r = await ingestReadings(t.db, astanaGw, readings, { now });
  expect(r.rejected).toEqual([]);
}

beforeAll(async () => {
  setClock(T0);
  await seedWater(t.db);
  utility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001', locale: 'ru', email: 'ops@astana-su.kz' });
  almatyUtility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000002' });
  akimatAstana = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: demoWaterId('region:astana') }, locale: 'kk' });
  akimatAlmaty = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: demoWaterId('region:almaty') } });
  // Operating pressure bounds for the pumping station's sensor (W-23).
  await t.db.update(devices).set({ rated: { ranges: { pressure: { min: 0, max: 16 } }, pressureMinBar: 2, pressureMaxBar: 6 } }).where(eq(devices.id, dev('ps-pr')));
});
afterAll(() => setClock(null));

describe('runMonitoring — realtime', () => {
  it('W-27 silence raises an inactivity alert by criticality and a repeat updates it', async () => {
    await ingest(
      [
        { device: 'AST-INT-FM', metric: 'flow', ts: at(-1).toISOString(), value: 3000, unit: 'm3/h' }, // critical: 60 s interval
        { device: 'AST-DMA1-FM', metric: 'flow', ts: at(-1).toISOString(), value: 40, unit: 'm3/h' }, // normal: 900 s
      ],
      T0,
    );
    await runMonitoring(t.db, T0);
    expect(await alertOf('device_silent', obj('intake'), dev('intake-fm'))).toHaveLength(0);

    await runMonitoring(t.db, at(5));
    const [silent] = await alertOf('device_silent', obj('intake'), dev('intake-fm'));
    expect(silent).toMatchObject({ status: 'open', severity: 'critical', count: 1 });
    // the normal-criticality meter is allowed 2 × 15 min
    expect(await alertOf('device_silent', obj('dma1'), dev('dma1-fm'))).toHaveLength(0);

    await runMonitoring(t.db, at(6));
    const again = await alertOf('device_silent', obj('intake'), dev('intake-fm'));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: silent.id, count: 2 });
    expect(again[0].lastSeen.toISOString()).toBe(at(6).toISOString());

    // it reports again: the alert clears by itself
    await ingest([{ device: 'AST-INT-FM', metric: 'flow', ts: at(7).toISOString(), value: 3010, unit: 'm3/h' }], at(7));
    await runMonitoring(t.db, at(7));
    const [cleared] = await alertOf('device_silent', obj('intake'), dev('intake-fm'));
    expect(cleared).toMatchObject({ id: silent.id, status: 'cleared', clearedBy: null });
  });

  it('W-23 supply voltage beyond ±10 % of rated and pressure below the bound raise threshold alerts', async () => {
    await ingest(
      [
        { device: 'AST-INT-PP', metric: 'voltage', ts: at(10).toISOString(), value: 460, unit: 'V' }, // +15 %
        { device: 'AST-PS-PR', metric: 'pressure', ts: at(10).toISOString(), value: 1.2, unit: 'bar' },
        { device: 'AST-PS-PP', metric: 'voltage', ts: at(10).toISOString(), value: 430, unit: 'V' }, // +7.5 %: within
      ],
      at(10),
    );
    await runMonitoring(t.db, at(10));
    const [volt] = await alertOf('voltage_deviation', obj('intake'), dev('intake-pp'));
    expect(volt).toMatchObject({ status: 'open', severity: 'warning', value: 460 });
    expect(volt.limit).toBeCloseTo(440, 9);
    expect(await alertOf('voltage_deviation', obj('ps'), dev('ps-pp'))).toHaveLength(0);
    const [low] = await alertOf('pressure_low', obj('ps'), dev('ps-pr'));
    expect(low).toMatchObject({ status: 'open', severity: 'critical', value: 1.2, limit: 2 });
    // the same observation evaluated again changes nothing; a new reading updates the alert
    await runMonitoring(t.db, at(11));
    expect((await alertOf('pressure_low', obj('ps'), dev('ps-pr')))[0].count).toBe(1);
    await ingest([{ device: 'AST-PS-PR', metric: 'pressure', ts: at(12).toISOString(), value: 1.6, unit: 'bar' }], at(12));
    await runMonitoring(t.db, at(12));
    expect((await alertOf('pressure_low', obj('ps'), dev('ps-pr')))[0]).toMatchObject({ id: low.id, count: 2, value: 1.6 });
    // back within bounds: cleared
    await ingest([{ device: 'AST-PS-PR', metric: 'pressure', ts: at(13).toISOString(), value: 3.5, unit: 'bar' }], at(13));
    await runMonitoring(t.db, at(13));
    expect((await alertOf('pressure_low', obj('ps'), dev('ps-pr')))[0].status).toBe('cleared');
  });

  it('W-27 open → acknowledged → cleared within scope, audited; escalation of an unacknowledged critical alert notifies the entity and the akimat', async () => {
    const [volt] = await alertOf('voltage_deviation', obj('intake'), dev('intake-pp'));
    await expect(acknowledgeAlert(t.db, almatyUtility, volt.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(acknowledgeAlert(t.db, akimatAlmaty, volt.id)).rejects.toMatchObject({ code: 'not_found' });
    const acked = await acknowledgeAlert(t.db, utility, volt.id, { note: 'crew sent' });
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: utility.userId, note: 'crew sent' });
    await expect(acknowledgeAlert(t.db, utility, volt.id)).rejects.toMatchObject({ code: 'alert_invalid_transition' });
    const cleared = await clearAlert(t.db, akimatAstana, volt.id, { note: 'fixed' });
    expect(cleared).toMatchObject({ status: 'cleared', clearedBy: akimatAstana.userId });
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, volt.id)).orderBy(auditLog.seq);
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([
      ['water.alert.acknowledge', utility.userId],
      ['water.alert.clear', akimatAstana.userId],
    ]);

    // the intake flow meter falls silent (critical) and nobody acknowledges within 15 minutes
    await runMonitoring(t.db, at(20));
    const [silent] = (await alertOf('device_silent', obj('intake'), dev('intake-fm'))).filter((a) => a.status === 'open');
    expect(silent.severity).toBe('critical');
    expect(silent.escalationLevel).toBe(0);
    await runMonitoring(t.db, at(36));
    const [esc] = (await alertOf('device_silent', obj('intake'), dev('intake-fm'))).filter((a) => a.id === silent.id);
    expect(esc.escalationLevel).toBe(1);
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.entityId, silent.id), eq(notifications.kind, 'water.alert.escalated')));
    expect(notes.map((n) => n.userId).sort()).toEqual([utility.userId, akimatAstana.userId].sort());
    expect(notes.find((n) => n.userId === akimatAlmaty.userId)).toBeUndefined();
    // in each recipient's language, with the W-31 recommendation
    expect(notes.find((n) => n.userId === utility.userId)!.body).toContain('Проверить электропитание устройства и канал связи.');
    expect(notes.find((n) => n.userId === akimatAstana.userId)!.body).toContain('Құрылғының электрмен қоректенуін');
  });
});

describe('runMonitoring — daily', () => {
  it('W-21 an injected leak (synthetic hourly rollups) raises a night-flow alert with its W-31 recommendation', async () => {
    const meter = dev('dma2-fm');
    const rows = [];
    for (let n = 0; n < 20; n++) {
      const day = addDays('2025-06-20', n - 19);
      for (const hh of ['02:00', '03:00', '04:00']) {
        const bucket = astanaInstant(day, hh);
        const v = n >= 16 ? 16 + (n % 2) * 0.3 : 10 + (n % 3) * 0.2; // the last four nights leak
        rows.push({ deviceId: meter, metric: 'flow', bucket, count: 1, sum: v, min: v, max: v, last: v, lastTs: bucket, flagged: 0 });
      }
    }
    await t.db.insert(readingsHourly).values(rows);
    const res = await runMonitoring(t.db, at(60), { daily: true, realtime: false });
    expect(res.opened).toBeGreaterThan(0);
    const [leak] = await alertOf('night_flow_high', obj('dma2'), null);
    expect(leak).toMatchObject({ status: 'open', type: 'night_flow_high', messageKey: 'water.alerts.night_flow_high' });
    expect(leak.params).toMatchObject({ since: '2025-06-17', nights: 4 });
    expect(JSON.stringify(leak.recommendations)).toContain('send_leak_detection');
    const [note] = await t.db.select().from(notifications).where(and(eq(notifications.entityId, leak.id), eq(notifications.userId, utility.userId)));
    expect(note.body).toContain('Направить бригаду по поиску утечек в зону учёта (DMA).');
    // no leak in the other DMAs (no history there)
    expect(await alertOf('night_flow_high', obj('dma1'), null)).toHaveLength(0);
    // the same nights evaluated again: no repeat
    await runMonitoring(t.db, at(61), { daily: true, realtime: false });
    expect((await alertOf('night_flow_high', obj('dma2'), null))[0].count).toBe(1);
  });

  it('W-35 verification overdue and due-soon alerts from the devices’ metrology', async () => {
    // seeded: the Astana WTP quality sensor is 15 days overdue, the WTP flow meter due in 20 days
    const [overdue] = await alertOf('verification_overdue', obj('wtp'), dev('wtp-q'));
    expect(overdue).toMatchObject({ status: 'open', severity: 'warning', value: -15 });
    const [due] = await alertOf('verification_due', obj('wtp'), dev('wtp-fm'));
    expect(due).toMatchObject({ status: 'open', severity: 'info', value: 20 });
    expect(await alertOf('verification_due', obj('intake'), dev('intake-fm'))).toHaveLength(0);
    // verified today: the overdue alert clears on the next daily pass
    await t.db.update(devices).set({ lastVerifiedOn: '2025-06-20' }).where(eq(devices.id, dev('wtp-q')));
    await runMonitoring(t.db, at(24 * 60), { daily: true, realtime: false });
    expect((await alertOf('verification_overdue', obj('wtp'), dev('wtp-q')))[0].status).toBe('cleared');
  });

  it('W-23 daily consumption above the norm (mean flow × 24 h against norm × connections) raises an alert', async () => {
    const meter = dev('dma3-fm');
    await t.db
      .update(devices)
      .set({ rated: { ranges: { flow: { min: 0, max: 400 } }, consumptionNorm: { kind: 'per_connection', m3PerConnectionPerDay: 0.3, connections: 100 } } })
      .where(eq(devices.id, meter));
    const day = astanaInstant('2025-06-21', '00:00');
    await t.db.insert(readingsDaily).values({ deviceId: meter, metric: 'flow', bucket: day, count: 24, sum: 5 * 24, min: 4, max: 6, last: 5, lastTs: day, flagged: 0 });
    await runMonitoring(t.db, astanaInstant('2025-06-22', '06:00'), { daily: true, realtime: false });
    const [a] = await alertOf('consumption_above_norm', obj('dma3'), meter);
    expect(a).toMatchObject({ status: 'open', severity: 'critical', value: 120, limit: 30 });
    expect(JSON.stringify(a.recommendations)).toContain('check_consumer_leaks');
  });

  it('W-21 the last hour outside the seasonal band (same hour of the week, MAD without outliers) raises a seasonal alert', async () => {
    const meter = dev('dma1-fm', 'almaty');
    const now = new Date('2025-06-21T11:20:00Z');
    const hour = Date.parse('2025-06-21T10:00:00Z');
    const week = 7 * 86_400_000;
    const past = [50, 51, 49, 50.5, 49.5, 80]; // the 80 is an outlier the MAD filter drops
    const row = (bucket: Date, v: number) => ({ deviceId: meter, metric: 'flow', bucket, count: 4, sum: 4 * v, min: v, max: v, last: v, lastTs: bucket, flagged: 0 });
    await t.db.insert(readingsHourly).values([...past.map((v, i) => row(new Date(hour - (i + 1) * week), v)), row(new Date(hour), 95)]);
    await runMonitoring(t.db, now);
    const [a] = await alertOf('seasonal_above', obj('dma1', 'almaty'), meter);
    expect(a).toMatchObject({ status: 'open', severity: 'critical', value: 95 });
    expect(a.limit!).toBeGreaterThan(50);
    expect(a.limit!).toBeLessThan(60);
    // an hour within the band does not alert (and the previous alert clears)
    await t.db.insert(readingsHourly).values([...past.map((v, i) => row(new Date(hour + 3_600_000 - (i + 1) * week), v)), row(new Date(hour + 3_600_000), 50.2)]);
    await runMonitoring(t.db, new Date(now.getTime() + 3_600_000));
    expect((await alertOf('seasonal_above', obj('dma1', 'almaty'), meter))[0].status).toBe('cleared');
  });
});
