import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices, readings, readingsDaily, readingsHourly } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { FLAG } from './flags';
import { ingestReadings, type Principal } from './ingest';
import { ensureReadingPartitions, partitionOf } from './partitions';

const t = useTestDb();
const NOW = '2025-06-20T09:00:00Z';
const dev = (key: string) => demoWaterId(`device:astana:${key}`);
const DMA1_FM = dev('dma1-fm');
const DMA2_PR = dev('dma2-pr');
const asDevice = (id: string): { principal: Principal } => ({ principal: { kind: 'device', deviceId: id } });
const astanaGateway: { principal: Principal } = {
  principal: { kind: 'gateway', gatewayId: demoWaterId('gateway:astana'), entityId: demoWaterId('entity:astana') },
};

async function rowsOf(deviceId: string, metric: string) {
  return t.db
    .select()
    .from(readings)
    .where(and(eq(readings.deviceId, deviceId), eq(readings.metric, metric)))
    .orderBy(readings.ts);
}

beforeAll(async () => {
  setClock(NOW);
  await seedWater(t.db);
});
afterAll(() => setClock(null));

describe('ingestReadings', () => {
  it('W-18 a device posts readings and they are stored once; a re-post counts as duplicates, no second row', async () => {
    const batch = [0, 1, 2, 3, 4].map((i) => ({ metric: 'flow', ts: `2025-06-20T10:0${i}:00+05:00`, value: 40 + i, unit: 'm3/h' }));
    const first = await ingestReadings(t.db, asDevice(DMA1_FM), batch);
    expect(first).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
    const again = await ingestReadings(t.db, asDevice(DMA1_FM), [...batch, { metric: 'flow', ts: '2025-06-20T10:05:00+05:00', value: 45, unit: 'm3/h' }]);
    expect(again).toEqual({ accepted: 1, duplicates: 5, rejected: [] });
    // the same instant written another way (UTC, epoch ms) is the same reading
    const sameInstant = await ingestReadings(t.db, asDevice(DMA1_FM), [
      { metric: 'flow', ts: '2025-06-20T05:00:00Z', value: 99, unit: 'm3/h' },
      { metric: 'flow', ts: Date.parse('2025-06-20T05:01:00Z'), value: 99, unit: 'm3/h' },
    ]);
    expect(sameInstant).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const rows = await rowsOf(DMA1_FM, 'flow');
    expect(rows.map((r) => [r.ts.toISOString(), r.value])).toEqual([
      ['2025-06-20T05:00:00.000Z', 40],
      ['2025-06-20T05:01:00.000Z', 41],
      ['2025-06-20T05:02:00.000Z', 42],
      ['2025-06-20T05:03:00.000Z', 43],
      ['2025-06-20T05:04:00.000Z', 44],
      ['2025-06-20T05:05:00.000Z', 45],
    ]);
  });

  it('W-23 values are stored in the canonical unit, times in UTC, the conversion marked', async () => {
    const res = await ingestReadings(t.db, asDevice(DMA1_FM), [{ metric: 'flow', ts: '2025-06-20T12:10:00+06:00', value: 10, unit: 'l/s' }]);
    expect(res.accepted).toBe(1);
    const row = (await rowsOf(DMA1_FM, 'flow')).find((r) => r.ts.toISOString() === '2025-06-20T06:10:00.000Z');
    expect(row && { value: row.value, unit: row.unit, flags: row.flags }).toEqual({ value: 36, unit: 'm3/h', flags: FLAG.CONVERTED });
  });

  it('a device cannot write another device’s readings', async () => {
    const before = await rowsOf(DMA2_PR, 'pressure');
    const res = await ingestReadings(t.db, asDevice(DMA1_FM), [
      { device: DMA2_PR, metric: 'pressure', ts: '2025-06-20T10:00:00+05:00', value: 3.5, unit: 'bar' },
      { device: 'AST-DMA2-PR', metric: 'pressure', ts: '2025-06-20T10:01:00+05:00', value: 3.5, unit: 'bar' },
      { device: 'AST-DMA1-FM', metric: 'flow', ts: '2025-06-20T10:30:00+05:00', value: 41, unit: 'm3/h' },
      { device: DMA1_FM, metric: 'pressure', ts: '2025-06-20T10:31:00+05:00', value: 3.5, unit: 'bar' },
    ]);
    expect(res.accepted).toBe(1);
    expect(res.rejected).toEqual([
      expect.objectContaining({ index: 0, reason: 'device_not_allowed', field: 'device' }),
      expect.objectContaining({ index: 1, reason: 'device_not_allowed', field: 'device' }),
      expect.objectContaining({ index: 3, reason: 'metric_not_measured', field: 'metric' }),
    ]);
    expect(await rowsOf(DMA2_PR, 'pressure')).toEqual(before);
  });

  it('a gateway writes for its own entity’s devices only', async () => {
    const almatyDevice = demoWaterId('device:almaty:dma1-pr');
    const res = await ingestReadings(t.db, astanaGateway, [
      { device: 'AST-DMA2-PR', metric: 'pressure', ts: '2025-06-20T11:00:00+05:00', value: 3.4, unit: 'bar' },
      { device: DMA2_PR.toUpperCase(), metric: 'pressure', ts: '2025-06-20T11:01:00+05:00', value: 340, unit: 'kPa' },
      { device: 'ALM-DMA1-PR', metric: 'pressure', ts: '2025-06-20T11:00:00+05:00', value: 3.4, unit: 'bar' },
      { device: almatyDevice, metric: 'pressure', ts: '2025-06-20T11:00:00+05:00', value: 3.4, unit: 'bar' },
      { metric: 'pressure', ts: '2025-06-20T11:00:00+05:00', value: 3.4, unit: 'bar' },
    ]);
    expect(res.accepted).toBe(2);
    expect(res.rejected.map((r) => [r.index, r.reason])).toEqual([
      [2, 'device_not_allowed'],
      [3, 'device_not_allowed'],
      [4, 'device_missing'],
    ]);
    const rows = await rowsOf(DMA2_PR, 'pressure');
    expect(rows.map((r) => [r.value, r.flags])).toEqual([
      [3.4, 0],
      [3.4, FLAG.CONVERTED],
    ]);
    expect(await rowsOf(almatyDevice, 'pressure')).toEqual([]);
  });

  it('W-23 out-of-range, spike and stuck values are flagged, not dropped', async () => {
    const pr = dev('dma3-pr'); // rated 0..10 bar
    const base = Date.parse('2025-06-20T00:00:00Z');
    const values = [3.1, 3.2, 3.0, 3.1, 3.2, 3.1, 9.8, 3.1, 12.5, 3.3, 3.3, 3.3, 3.3, 3.3, 3.3, 3.3, 3.3];
    const res = await ingestReadings(
      t.db,
      astanaGateway,
      values.map((value, i) => ({ device: pr, metric: 'pressure', ts: base + i * 60_000, value, unit: 'bar' })),
    );
    expect(res).toEqual({ accepted: values.length, duplicates: 0, rejected: [] });
    const rows = await rowsOf(pr, 'pressure');
    expect(rows.map((r) => r.value)).toEqual(values);
    const f = rows.map((r) => r.flags);
    expect(f[6] & FLAG.SPIKE).toBeTruthy();
    expect(f[8] & FLAG.OUT_OF_RANGE).toBeTruthy();
    expect(f[8] & FLAG.SPIKE).toBeTruthy();
    expect(f.slice(9).every((x) => x & FLAG.STUCK)).toBe(true);
    expect(f.slice(0, 6).every((x) => x === 0)).toBe(true);
    // a later batch continues the stuck run from the stored values
    const more = await ingestReadings(t.db, astanaGateway, [{ device: pr, metric: 'pressure', ts: base + values.length * 60_000, value: 3.3, unit: 'bar' }]);
    expect(more.accepted).toBe(1);
    const [last] = (await rowsOf(pr, 'pressure')).slice(-1);
    expect(last.flags & FLAG.STUCK).toBeTruthy();
  });

  it('W-17 readings land in the right monthly partition (Astana months) and partitions are created ahead', async () => {
    const created = await ensureReadingPartitions(t.db, new Date(NOW), 3);
    // The first batch already made June and July (ingest keeps the current and the next month ready).
    expect(created).toEqual(['readings_y2025m08', 'readings_y2025m09']);
    const parts = await t.db.execute<{ name: string }>(
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'readings'::regclass order by 1`,
    );
    expect(parts.map((p) => p.name)).toEqual(['readings_default', 'readings_y2025m06', 'readings_y2025m07', 'readings_y2025m08', 'readings_y2025m09']);

    const lv = dev('res-lv');
    // 2025-05-31T19:00Z is 1 June 00:00 in Astana: the June partition; a second earlier is still May in Astana.
    const res = await ingestReadings(t.db, astanaGateway, [
      { device: lv, metric: 'level', ts: '2025-05-31T19:00:00Z', value: 4.1, unit: 'm' },
      { device: lv, metric: 'level', ts: '2025-05-31T18:59:59Z', value: 4.0, unit: 'm' },
      { device: lv, metric: 'level', ts: '2025-06-20T14:00:00+05:00', value: 410, unit: 'cm' },
    ]);
    expect(res.accepted).toBe(3);
    expect(await partitionOf(t.db, lv, 'level', new Date('2025-05-31T19:00:00Z'))).toBe('readings_y2025m06');
    expect(await partitionOf(t.db, lv, 'level', new Date('2025-05-31T18:59:59Z'))).toBe('readings_y2025m05');
    expect(await partitionOf(t.db, lv, 'level', new Date('2025-06-20T09:00:00Z'))).toBe('readings_y2025m06');
  });

  it('W-17 a reading of a month without a partition waits in the default partition and moves out when the month is created', async () => {
    const lv = dev('res-lv');
    // Written directly (as a restore would): October has no partition yet.
    await t.db.insert(readings).values({ deviceId: lv, metric: 'level', ts: new Date('2025-10-10T00:00:00Z'), value: 4, unit: 'm' });
    expect(await partitionOf(t.db, lv, 'level', new Date('2025-10-10T00:00:00Z'))).toBe('readings_default');
    expect(await ensureReadingPartitions(t.db, new Date('2025-10-01T00:00:00+05:00'), 0)).toEqual(['readings_y2025m10']);
    expect(await partitionOf(t.db, lv, 'level', new Date('2025-10-10T00:00:00Z'))).toBe('readings_y2025m10');
    await t.db.delete(readings).where(and(eq(readings.deviceId, lv), eq(readings.ts, new Date('2025-10-10T00:00:00Z'))));
  });

  it('W-17 rollups match the raw data (hourly UTC, daily by Astana day), also after duplicates and late readings', async () => {
    const fm = dev('dma2-fm');
    const base = Date.parse('2025-06-19T18:30:00Z'); // 23:30 Astana: the batch spans two Astana days and several hours
    const batch = Array.from({ length: 120 }, (_, i) => ({ device: fm, metric: 'flow', ts: base + i * 60_000, value: 30 + ((i * 7) % 11), unit: 'm3/h' }));
    await ingestReadings(t.db, astanaGateway, batch.slice(0, 80));
    await ingestReadings(t.db, astanaGateway, batch.slice(40)); // overlaps: 40 duplicates
    await ingestReadings(t.db, astanaGateway, [batch[5]]); // a late duplicate changes nothing

    const expected = async (bucketSql: ReturnType<typeof sql>) =>
      t.db.execute<{ bucket: string; count: number; sum: number; min: number; max: number; last: number }>(sql`
        select ${bucketSql} as bucket, count(*)::int as count, sum(value) as sum, min(value) as min, max(value) as max,
               (array_agg(value order by ts desc))[1] as last
        from readings where device_id = ${fm} and metric = 'flow' group by 1 order by 1`);
    const norm = (rows: { bucket: unknown; count: number; sum: number; min: number; max: number; last: number }[]) =>
      rows.map((r) => ({ bucket: new Date(r.bucket as string).toISOString(), count: r.count, sum: r.sum, min: r.min, max: r.max, last: r.last }));

    const hourly = await t.db.select().from(readingsHourly).where(eq(readingsHourly.deviceId, fm)).orderBy(readingsHourly.bucket);
    expect(norm(hourly)).toEqual(norm([...(await expected(sql`date_trunc('hour', ts)`))]));
    expect(hourly.map((h) => h.bucket.toISOString())).toEqual([
      '2025-06-19T18:00:00.000Z',
      '2025-06-19T19:00:00.000Z',
      '2025-06-19T20:00:00.000Z',
    ]);
    const daily = await t.db.select().from(readingsDaily).where(eq(readingsDaily.deviceId, fm)).orderBy(readingsDaily.bucket);
    expect(norm(daily)).toEqual(norm([...(await expected(sql`date_trunc('day', ts, 'Asia/Almaty')`))]));
    // Astana days start at 19:00Z: 30 readings on 19 June, 90 on 20 June
    expect(daily.map((d) => [d.bucket.toISOString(), d.count])).toEqual([
      ['2025-06-18T19:00:00.000Z', 30],
      ['2025-06-19T19:00:00.000Z', 90],
    ]);

    // a late reading inside an existing hour updates the aggregates but not `last`
    await ingestReadings(t.db, astanaGateway, [{ device: fm, metric: 'flow', ts: base - 60_000, value: 1000, unit: 'm3/h' }]);
    const [h18] = await t.db.select().from(readingsHourly).where(and(eq(readingsHourly.deviceId, fm), eq(readingsHourly.bucket, new Date('2025-06-19T18:00:00Z'))));
    const [raw18] = await expected(sql`date_trunc('hour', ts)`);
    expect(norm([h18])).toEqual(norm([raw18]));
    expect(h18.max).toBe(1000);
  });

  it('W-17 W-23 a batch out of time order, with repeats inside it and several series: each reading stored once, exactly, with its flags; rollups equal the raw data', async () => {
    const fm = dev('dma1-fm');
    const pr = dev('dma1-pr');
    const base = Date.parse('2025-06-17T03:00:00.000Z');
    // 600 flow readings (some in l/s) and 600 pressure readings, one every 7.5 s with milliseconds, shuffled,
    // every 10th flow reading sent twice (the second copy with another value: the first one wins)
    const flow = Array.from({ length: 600 }, (_, i) => ({
      device: 'AST-DMA1-FM', metric: 'flow', ts: new Date(base + i * 7_500 + 123).toISOString(),
      value: i % 5 === 0 ? 10 + i / 1000 : 40.125 + (i % 17) / 3, unit: i % 5 === 0 ? 'l/s' : 'm3/h',
    }));
    const pressure = Array.from({ length: 600 }, (_, i) => ({ device: pr, metric: 'pressure', ts: base + i * 7_500, value: -0.5 + (i % 9) * 0.7, unit: 'bar' }));
    const repeats = flow.filter((_, i) => i % 10 === 0).map((r) => ({ ...r, value: 999 }));
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const batch = [...flow, ...pressure];
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [batch[i], batch[j]] = [batch[j], batch[i]];
    }
    const res = await ingestReadings(t.db, astanaGateway, [...batch, ...repeats]);
    expect(res).toEqual({ accepted: 1200, duplicates: 60, rejected: [] });

    const since = new Date(base);
    const until = new Date(base + 600 * 7_500);
    const stored = await t.db.execute<{ ts: Date | string; value: number; flags: number }>(sql`
      select ts, value, flags from readings where device_id = ${fm} and metric = 'flow' and ts >= ${since.toISOString()}::timestamptz and ts < ${until.toISOString()}::timestamptz order by ts`);
    expect(stored.map((r) => [new Date(r.ts).toISOString(), r.value])).toEqual(
      flow.map((r) => [r.ts, r.unit === 'l/s' ? r.value * 3.6 : r.value]),
    );
    expect(stored.every((r, i) => ((r.flags & FLAG.CONVERTED) !== 0) === (i % 5 === 0))).toBe(true);
    const prStored = await t.db.execute<{ value: number; flags: number }>(sql`
      select value, flags from readings where device_id = ${pr} and metric = 'pressure' and ts >= ${since.toISOString()}::timestamptz and ts < ${until.toISOString()}::timestamptz order by ts`);
    expect(prStored.map((r) => r.value)).toEqual(pressure.map((r) => r.value));
    // -0.5 bar is below the sensor's rated range (0..10): flagged, stored
    expect(prStored.filter((r) => r.flags & FLAG.OUT_OF_RANGE).length).toBe(pressure.filter((r) => r.value < 0).length);

    for (const [device, metric] of [[fm, 'flow'], [pr, 'pressure']] as const) {
      const [agg] = await t.db.execute<{ raw: number; hourly: number; daily: number; rawsum: number; hsum: number }>(sql`
        select (select count(*)::int from readings where device_id = ${device} and metric = ${metric}) as raw,
               (select sum(count)::int from readings_hourly where device_id = ${device} and metric = ${metric}) as hourly,
               (select sum(count)::int from readings_daily where device_id = ${device} and metric = ${metric}) as daily,
               (select sum(value) from readings where device_id = ${device} and metric = ${metric}) as rawsum,
               (select sum(sum) from readings_hourly where device_id = ${device} and metric = ${metric}) as hsum`);
      expect(agg.hourly).toBe(agg.raw);
      expect(agg.daily).toBe(agg.raw);
      expect(agg.hsum).toBeCloseTo(agg.rawsum, 6);
    }
  });

  it('W-18 a suspended device’s readings are refused by the gateway too', async () => {
    await t.db.update(devices).set({ status: 'suspended' }).where(eq(devices.id, dev('ps-pr')));
    const res = await ingestReadings(t.db, astanaGateway, [{ device: 'AST-PS-PR', metric: 'pressure', ts: '2025-06-20T10:00:00+05:00', value: 5, unit: 'bar' }]);
    expect(res).toEqual({ accepted: 0, duplicates: 0, rejected: [expect.objectContaining({ index: 0, reason: 'device_inactive' })] });
    await t.db.update(devices).set({ status: 'active' }).where(eq(devices.id, dev('ps-pr')));
  });
});

describe('ingestReadings under concurrency', () => {
  it('W-18 the same batch posted twice at once is stored once (one answer accepts, the other counts duplicates)', async () => {
    const fm = dev('dma3-fm');
    const base = Date.parse('2025-06-18T00:00:00Z');
    const batch = Array.from({ length: 3000 }, (_, i) => ({ device: fm, metric: 'flow', ts: base + i * 10_000, value: 50 + (i % 13), unit: 'm3/h' }));
    const [a, b] = await Promise.all([ingestReadings(t.db, astanaGateway, batch), ingestReadings(t.db, astanaGateway, batch)]);
    expect(a.accepted + b.accepted).toBe(3000);
    expect(a.duplicates + b.duplicates).toBe(3000);
    expect((await rowsOf(fm, 'flow')).length).toBe(3000);
    const [h] = await t.db.execute<{ n: number }>(sql`select sum(count)::int as n from readings_daily where device_id = ${fm} and metric = 'flow'`);
    expect(h.n).toBe(3000);
  });
});
