/**
 * W-18: the MQTT bridge. Devices and gateways publish readings (a JSON array, or NDJSON) to
 * `water/<token>/telemetry`, where <token> is the device token or gateway key of the HTTP route's
 * `Authorization: Bearer`. The bridge authenticates it the same way, feeds the same ingestReadings pipeline
 * (so a re-sent reading is a duplicate, never a second row), and answers on `water/<token>/ack` with the counts
 * (or an error). The mqtt client reconnects by itself (reconnectPeriod) and resubscribes.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { DbOrTx } from '@/db/client';
import { AppError, toAppError } from '@/lib/errors';
import { telemetryPrincipal } from './auth';
import { ingestReadings, type IngestOptions } from './ingest';
import { MAX_READINGS } from './telemetry-http';

export const TELEMETRY_TOPIC = 'water/+/telemetry';
const TOPIC = /^water\/([^/]+)\/telemetry$/;

export type MqttAck =
  | { ok: true; accepted: number; duplicates: number; rejected: { index: number; reason: string; message: string }[] }
  | { ok: false; error: { code: string; message: string } };

export type MqttBridge = { client: MqttClient; stop: () => Promise<void> };

/** Parses a payload: a JSON array, or NDJSON (one reading per line). */
function parsePayload(buf: Buffer): unknown[] {
  const text = buf.toString('utf8').trim();
  if (text === '') throw new AppError('invalid_json', 'The message is empty.');
  if (text.startsWith('[')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError('invalid_json', 'The message is not valid JSON.');
    }
    if (!Array.isArray(body)) throw new AppError('bad_request', 'The message must be a JSON array of readings.');
    return body;
  }
  const out: unknown[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      throw new AppError('invalid_json', `Line ${i + 1} of the message is not valid JSON; nothing was stored.`);
    }
  }
  return out;
}

/** Handles one telemetry message (exported for tests without a broker). */
export async function handleTelemetryMessage(db: DbOrTx, token: string, payload: Buffer, opts: IngestOptions = {}): Promise<MqttAck> {
  try {
    const principal = await telemetryPrincipal(db, `Bearer ${token}`);
    const readings = parsePayload(payload);
    if (readings.length > MAX_READINGS) throw new AppError('payload_too_large', `At most ${MAX_READINGS} readings per message.`);
    const r = await ingestReadings(db, { principal }, readings, opts);
    return { ok: true, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected.map((x) => ({ index: x.index, reason: x.reason, message: x.message })) };
  } catch (e) {
    const err = toAppError(e);
    if (err.status >= 500) console.error('[mqtt] telemetry message failed', e);
    return { ok: false, error: { code: err.code, message: err.status >= 500 ? 'Internal error; send again later.' : err.message } };
  }
}

export function startMqttBridge(opts: {
  url: string;
  db: DbOrTx;
  clientId?: string;
  /** Default 2000 ms. */
  reconnectPeriod?: number;
  ingest?: IngestOptions;
  /**
   * With several app instances, a shared subscription (`$share/<group>/…`, supported by Mosquitto) hands each
   * message to one of them instead of all (de-duplication would make the extra copies harmless, only wasteful).
   */
  shareGroup?: string;
  /** Called after each message is handled (tests, metrics). */
  onAck?: (token: string, ack: MqttAck) => void;
}): MqttBridge {
  const client = mqtt.connect(opts.url, {
    clientId: opts.clientId ?? `bt-water-bridge-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectPeriod: opts.reconnectPeriod ?? 2000,
    clean: true,
  });
  client.on('connect', () => {
    // A clean session forgets subscriptions: subscribe on every (re)connect.
    client.subscribe(opts.shareGroup ? `$share/${opts.shareGroup}/${TELEMETRY_TOPIC}` : TELEMETRY_TOPIC, { qos: 1 }, (err) => {
      if (err) console.error('[mqtt] subscribe failed', err);
    });
  });
  client.on('error', (err) => console.error('[mqtt] error', err.message));
  // Messages are handled one at a time so that a device's batches are stored in the order they arrived.
  let chain: Promise<void> = Promise.resolve();
  client.on('message', (topic, payload) => {
    const m = TOPIC.exec(topic);
    if (!m) return;
    const token = m[1];
    chain = chain.then(async () => {
      const ack = await handleTelemetryMessage(opts.db, token, payload, opts.ingest);
      if (client.connected) client.publish(`water/${token}/ack`, JSON.stringify(ack), { qos: 1 });
      opts.onAck?.(token, ack);
    });
  });
  return {
    client,
    stop: async () => {
      await chain.catch(() => {});
      await client.endAsync();
    },
  };
}
