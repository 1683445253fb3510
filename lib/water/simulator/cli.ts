/**
 * `npm run simulate -- [options]` (script: `tsx lib/water/simulator/cli.ts`): the demo network's telemetry
 * through the real HTTP route (and optionally MQTT). Needs the demo seed (db/seed/water.ts) in the database the
 * app uses.
 *
 *   --from 2025-05-01 --to 2025-06-01   backfill history quickly (default --to: now)
 *   --live 60                           then (or instead) send every 60 s, in real time
 *   --leak AST-DMA2[:8]                 inject a leak of 8 m³/h (default 6) into that DMA (repeatable)
 *   --fault stuck:AST-DMA3-PR           a sensor fault for the first hour of the run: stuck | spike | silence
 *   --step 300                          seconds between backfilled readings (default 300)
 *   --seed 1  --url http://localhost:3000
 *   --mqtt [--mqtt-url mqtt://127.0.0.1:1883]  publish over MQTT instead of HTTP (default MQTT_URL)
 */
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { generateTelemetry, type SimFault, type SimLeak } from './generate';
import { sendHttp, sendMqtt, type SendTotals } from './send';

const DAY = 86_400_000;

function parseDate(s: string, name: string): Date {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00+05:00` : s);
  if (Number.isNaN(d.getTime())) throw new Error(`--${name}: not a date: ${s}`);
  return d;
}

async function main() {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      live: { type: 'string' },
      leak: { type: 'string', multiple: true },
      fault: { type: 'string', multiple: true },
      step: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      url: { type: 'string', default: process.env.APP_URL ?? 'http://localhost:3000' },
      mqtt: { type: 'boolean', default: false },
      'mqtt-url': { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
    },
    allowPositionals: false,
  });
  const seed = Number(values.seed);
  const stepSec = Number(values.step);
  const runStart = values.from ? parseDate(values.from, 'from') : new Date();
  const leaks: SimLeak[] = (values.leak ?? []).map((l) => {
    const [dma, m3h] = l.split(':');
    return { dma, extraM3h: m3h ? Number(m3h) : 6 };
  });
  const faults: SimFault[] = (values.fault ?? []).map((f) => {
    const [kind, device] = f.split(':');
    const to = new Date(runStart.getTime() + 3_600_000);
    if (kind === 'stuck' || kind === 'silence') return { kind, device, from: runStart, to };
    if (kind === 'spike') return { kind, device, at: new Date(runStart.getTime() + 1_800_000) };
    throw new Error(`--fault: unknown kind ${kind} (stuck | spike | silence)`);
  });
  const client = values.mqtt ? await mqtt.connectAsync(values['mqtt-url']!, { reconnectPeriod: 2000 }) : null;
  const totals: SendTotals = { accepted: 0, duplicates: 0, rejected: 0, retries: 0, requests: 0 };

  async function send(from: Date, to: Date, step: number) {
    const batches = generateTelemetry({ from, to, stepSec: step, seed, leaks, faults });
    for (const [key, readings] of batches) {
      if (client) {
        await sendMqtt(client, key, readings);
        continue;
      }
      const r = await sendHttp(values.url!, key, readings);
      for (const k of Object.keys(totals) as (keyof SendTotals)[]) totals[k] += r[k];
    }
  }

  if (values.from) {
    const end = values.to ? parseDate(values.to, 'to') : new Date();
    for (let t = runStart.getTime(); t < end.getTime(); t += DAY) {
      await send(new Date(t), new Date(Math.min(t + DAY, end.getTime())), stepSec);
      console.log(`[simulate] ${new Date(t).toISOString().slice(0, 10)} sent`, client ? '(mqtt)' : totals);
    }
  }
  if (values.live) {
    const every = Number(values.live) * 1000;
    let last = Date.now();
    console.log(`[simulate] live every ${values.live} s; Ctrl-C to stop`);
    for (;;) {
      await new Promise((r) => setTimeout(r, every));
      const now = Date.now();
      await send(new Date(last), new Date(now), Number(values.live));
      last = now;
      console.log(`[simulate] ${new Date(now).toISOString()}`, client ? '(mqtt)' : totals);
    }
  }
  await client?.endAsync();
  if (!values.from && !values.live) console.log('Nothing to do: give --from (backfill) and/or --live N.');
}

main().catch((e) => {
  console.error('[simulate]', e instanceof Error ? e.message : e);
  process.exit(1);
});
