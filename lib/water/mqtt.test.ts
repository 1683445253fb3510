import { and, eq, sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readings } from '@/db/schema';
import { DEMO_WATER_SECRETS, demoWaterId, seedWater } from '@/db/seed/water';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { handleTelemetryMessage, startMqttBridge, type MqttAck, type MqttBridge } from './mqtt';

const t = useTestDb();
const URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const NOW = new Date('2025-06-20T09:00:00Z');
let bridge: MqttBridge;
// A per-run suffix is impossible in the token (it must be the demo one), so acks are matched by content.
const acks: { token: string; ack: MqttAck }[] = [];

beforeAll(async () => {
  setClock(NOW);
  await seedWater(t.db);
  bridge = startMqttBridge({ url: URL, db: t.db, ingest: { now: NOW }, onAck: (token, ack) => acks.push({ token, ack }) });
  await new Promise<void>((resolve, reject) => {
    bridge.client.once('connect', () => resolve());
    setTimeout(() => reject(new Error('broker not reachable')), 10_000);
  });
  // wait for the subscription to be in place
  await new Promise((r) => setTimeout(r, 300));
});
afterAll(async () => {
  await bridge?.stop();
  setClock(null);
});

async function publishAndAwaitAck(token: string, payload: string): Promise<MqttAck> {
  const pub = await mqtt.connectAsync(URL, { clientId: `bt-test-pub-${process.pid}-${Math.random().toString(16).slice(2)}` });
  try {
    const gotAck = new Promise<MqttAck>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ack')), 10_000);
      pub.on('message', (topic, msg) => {
        if (topic !== `water/${token}/ack`) return;
        clearTimeout(timer);
        resolve(JSON.parse(msg.toString()) as MqttAck);
      });
    });
    await pub.subscribeAsync(`water/${token}/ack`, { qos: 1 });
    await pub.publishAsync(`water/${token}/telemetry`, payload, { qos: 1 });
    return await gotAck;
  } finally {
    await pub.endAsync();
  }
}

describe('MQTT bridge (real Mosquitto broker)', () => {
  it('W-18 readings published over MQTT are stored once; publishing again counts duplicates', async () => {
    const batch = [0, 1, 2].map((i) => ({ device: 'AST-DMA2-PR', metric: 'pressure', ts: `2025-06-20T13:0${i}:00+05:00`, value: 3 + i / 10, unit: 'bar' }));
    const first = await publishAndAwaitAck(DEMO_WATER_SECRETS.astanaGateway, JSON.stringify(batch));
    expect(first).toEqual({ ok: true, accepted: 3, duplicates: 0, rejected: [] });
    const again = await publishAndAwaitAck(DEMO_WATER_SECRETS.astanaGateway, batch.map((b) => JSON.stringify(b)).join('\n'));
    expect(again).toEqual({ ok: true, accepted: 0, duplicates: 3, rejected: [] });
    const [{ n }] = await t.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(readings)
      .where(and(eq(readings.deviceId, demoWaterId('device:astana:dma2-pr')), eq(readings.metric, 'pressure')));
    expect(n).toBe(3);
    // a device token works too, and a reading the device may not send is rejected by index
    const dev = await publishAndAwaitAck(DEMO_WATER_SECRETS.astanaDma1Flow, JSON.stringify([{ metric: 'flow', ts: '2025-06-20T13:00:00+05:00', value: 40, unit: 'm3/h' }, { metric: 'pressure', ts: '2025-06-20T13:00:00+05:00', value: 3, unit: 'bar' }]));
    expect(dev).toMatchObject({ ok: true, accepted: 1, duplicates: 0, rejected: [{ index: 1, reason: 'metric_not_measured' }] });
  });

  it('W-18 an unknown token or a malformed message is answered with an error, nothing stored', async () => {
    expect(await publishAndAwaitAck('btg_not_a_known_key_00000', '[]')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await publishAndAwaitAck(DEMO_WATER_SECRETS.astanaGateway, '[{"metric":')).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
    expect(await handleTelemetryMessage(t.db, DEMO_WATER_SECRETS.astanaGateway, Buffer.from('{"a":1}'))).toMatchObject({
      ok: true,
      accepted: 0,
      rejected: [{ index: 0 }],
    });
    expect(await handleTelemetryMessage(t.db, DEMO_WATER_SECRETS.astanaGateway, Buffer.from('{"a":1}'))).not.toHaveProperty('error');
    expect(acks.length).toBeGreaterThanOrEqual(5);
  });
});
