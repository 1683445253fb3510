/**
 * Sends simulated readings through the real ingestion paths: POST {APP_URL}/api/v1/telemetry with the gateway
 * key (in chunks of at most 10,000), or MQTT `water/<key>/telemetry`. Network errors, 5xx and 429 are retried
 * with backoff; the route's de-duplication makes a retry of a batch that was in fact stored harmless.
 */
import type { MqttClient } from 'mqtt';
import type { SimReading } from './generate';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type SendTotals = { accepted: number; duplicates: number; rejected: number; retries: number; requests: number };

export const CHUNK = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts readings to the telemetry route; returns the summed counts. Throws after `retries` failed attempts. */
export async function sendHttp(
  baseUrl: string,
  key: string,
  readings: readonly SimReading[],
  opts: { fetch?: FetchLike; retries?: number; backoffMs?: number; chunk?: number } = {},
): Promise<SendTotals> {
  const doFetch: FetchLike = opts.fetch ?? ((u, i) => fetch(u, i));
  const url = new URL('/api/v1/telemetry', baseUrl).toString();
  const totals: SendTotals = { accepted: 0, duplicates: 0, rejected: 0, retries: 0, requests: 0 };
  const size = Math.min(opts.chunk ?? CHUNK, CHUNK);
  for (let i = 0; i < readings.length; i += size) {
    const body = JSON.stringify(readings.slice(i, i + size));
    for (let attempt = 0; ; attempt++) {
      let res: Response | null = null;
      let failure = '';
      totals.requests++;
      try {
        res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
      } catch (e) {
        failure = e instanceof Error ? e.message : String(e);
      }
      if (res) {
        if (res.ok || res.status === 422) {
          const r = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
          totals.accepted += r.accepted;
          totals.duplicates += r.duplicates;
          totals.rejected += r.rejected.length;
          break;
        }
        failure = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
        // Other 4xx will not get better by retrying.
        if (res.status < 500 && res.status !== 429) throw new Error(failure);
      }
      if (attempt >= (opts.retries ?? 8)) throw new Error(`telemetry POST failed after ${attempt + 1} attempts: ${failure}`);
      totals.retries++;
      await sleep(Math.min((opts.backoffMs ?? 500) * 2 ** attempt, 30_000));
    }
  }
  return totals;
}

/** Publishes readings over MQTT (QoS 1: the broker redelivers until acknowledged; duplicates are harmless). */
export async function sendMqtt(client: MqttClient, key: string, readings: readonly SimReading[], chunk = 2_000): Promise<number> {
  let n = 0;
  for (let i = 0; i < readings.length; i += chunk) {
    await client.publishAsync(`water/${key}/telemetry`, JSON.stringify(readings.slice(i, i + chunk)), { qos: 1 });
    n++;
  }
  return n;
}
