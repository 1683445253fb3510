/**
 * Issue 6 part 11: a deterministic generator of the demo network's telemetry (pure; the same seed gives the
 * same readings). Daily and weekly demand patterns in Astana time, weather (a seasonal temperature with daily
 * noise, rainy days) scaling demand, injected leaks (extra constant flow in a DMA, which lifts its minimum
 * night flow) and sensor faults (stuck value, spike, silence).
 *
 * The device list mirrors db/seed/water.ts (serials AST-… / ALM-…, gateway keys in DEMO_WATER_SECRETS).
 */
import { DEMO_WATER_SECRETS } from '@/db/seed/water';
import { astanaParts } from '@/lib/time/astana';

export type SimReading = { device: string; metric: string; ts: string; value: number; unit: string };

export type SimUtility = { key: 'astana' | 'almaty'; prefix: 'AST' | 'ALM'; gatewayKey: string; scale: number };

export const SIM_UTILITIES: SimUtility[] = [
  { key: 'astana', prefix: 'AST', gatewayKey: DEMO_WATER_SECRETS.astanaGateway, scale: 1 },
  { key: 'almaty', prefix: 'ALM', gatewayKey: DEMO_WATER_SECRETS.almatyGateway, scale: 1.4 },
];

/** A leak: from `from` on, `extraM3h` more flow into the DMA (e.g. 'AST-DMA2'). */
export type SimLeak = { dma: string; extraM3h: number; from?: Date };

export type SimFault =
  | { kind: 'stuck'; device: string; from: Date; to: Date }
  | { kind: 'spike'; device: string; at: Date; factor?: number }
  | { kind: 'silence'; device: string; from: Date; to: Date };

export type SimOptions = {
  from: Date;
  to: Date;
  /** Seconds between readings (default 300). */
  stepSec?: number;
  seed?: number;
  leaks?: SimLeak[];
  faults?: SimFault[];
  utilities?: SimUtility[];
};

/** mulberry32: a small, fast, seedable PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value in [0,1) from (seed, integer key): the same key always gives the same number. */
function hash01(seed: number, key: number): number {
  return rng((seed * 2654435761) ^ key)();
}

/** Demand factor by Astana hour (0..23): low at night, a morning and an evening peak. */
const DIURNAL = [0.45, 0.38, 0.34, 0.32, 0.33, 0.42, 0.7, 1.1, 1.35, 1.25, 1.1, 1.05, 1.05, 1.0, 0.98, 1.0, 1.05, 1.15, 1.3, 1.35, 1.25, 1.0, 0.75, 0.55];

export type Weather = { temperatureC: number; precipitationMm: number };

/** The day's weather (Astana date number → deterministic): seasonal temperature with noise, some rainy days. */
export function weatherOf(seed: number, dayNumber: number, utility: SimUtility['key']): Weather {
  const doy = ((dayNumber % 365) + 365) % 365; // day 0 = 1970-01-01, close enough to a calendar year phase
  const mean = utility === 'almaty' ? 10 : 3;
  const amp = utility === 'almaty' ? 14 : 19;
  const seasonal = mean - amp * Math.cos(((doy - 15) / 365) * 2 * Math.PI);
  const noise = (hash01(seed, dayNumber * 7 + (utility === 'almaty' ? 1 : 0)) - 0.5) * 8;
  const rain = hash01(seed + 1, dayNumber * 13 + (utility === 'almaty' ? 1 : 0));
  return { temperatureC: Math.round((seasonal + noise) * 10) / 10, precipitationMm: rain > 0.8 ? Math.round((rain - 0.8) * 100) : 0 };
}

/** Demand multiplier of a moment: daily × weekly × weather. */
export function demandFactor(at: Date, weather: Weather): number {
  const p = astanaParts(at);
  const frac = p.minute / 60;
  const h = DIURNAL[p.hour] * (1 - frac) + DIURNAL[(p.hour + 1) % 24] * frac;
  const weekend = p.weekday >= 6;
  // weekends: a later, flatter morning and a little more use through the day
  const weekly = weekend ? (p.hour >= 7 && p.hour <= 9 ? 0.85 : p.hour >= 10 && p.hour <= 16 ? 1.12 : 1) : 1;
  const heat = 1 + Math.max(0, weather.temperatureC - 20) * 0.015;
  const rain = weather.precipitationMm > 0 ? 0.95 : 1;
  return h * weekly * heat * rain;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function dmaBase(n: number, scale: number): number {
  return (2500 + 700 * n) * scale * 0.02; // m³/h at factor 1
}

/** Generates every demo device's readings in [from, to) every stepSec, grouped by the gateway key to send with. */
export function generateTelemetry(opts: SimOptions): Map<string, SimReading[]> {
  const step = (opts.stepSec ?? 300) * 1000;
  const seed = opts.seed ?? 1;
  const out = new Map<string, SimReading[]>();
  const start = Math.ceil(opts.from.getTime() / step) * step;
  for (const u of opts.utilities ?? SIM_UTILITIES) {
    const list: SimReading[] = [];
    out.set(u.gatewayKey, list);
    const P = u.prefix;
    const stuckValue = new Map<string, number>();
    const push = (device: string, metric: string, t: number, value: number, unit: string) => {
      for (const f of opts.faults ?? []) {
        if (f.device !== device) continue;
        if (f.kind === 'silence' && t >= f.from.getTime() && t < f.to.getTime()) return;
        if (f.kind === 'stuck' && t >= f.from.getTime() && t < f.to.getTime()) {
          const k = `${device}|${metric}`;
          if (!stuckValue.has(k)) stuckValue.set(k, value);
          value = stuckValue.get(k)!;
        }
        if (f.kind === 'spike' && t === Math.ceil(f.at.getTime() / step) * step) value *= f.factor ?? 8;
      }
      list.push({ device, metric, ts: new Date(t).toISOString(), value: r3(value), unit });
    };
    for (let t = start; t < opts.to.getTime(); t += step) {
      const at = new Date(t);
      const day = Math.floor((t + 5 * 3_600_000) / 86_400_000);
      const weather = weatherOf(seed, day, u.key);
      const f = demandFactor(at, weather);
      const noise = (k: number, amp: number) => 1 + (hash01(seed, Math.floor(t / step) * 31 + k + (u.key === 'almaty' ? 17 : 0)) - 0.5) * 2 * amp;
      let total = 0;
      for (const n of [1, 2, 3]) {
        let flow = dmaBase(n, u.scale) * f * noise(n, 0.03);
        for (const l of opts.leaks ?? []) if (l.dma === `${P}-DMA${n}` && (!l.from || t >= l.from.getTime())) flow += l.extraM3h;
        total += flow;
        push(`${P}-DMA${n}-FM`, 'flow', t, flow, 'm3/h');
        // pressure falls with demand (head loss), 0.3 bar higher per DMA index as in the seed
        push(`${P}-DMA${n}-PR`, 'pressure', t, (3.9 + 0.3 * n - 0.9 * f) * noise(10 + n, 0.01), 'bar');
      }
      const supply = total * 1.18; // network losses and unmetered use between the plant and the DMAs
      push(`${P}-INT-FM`, 'flow', t, supply * 1.04 * noise(20, 0.01), 'm3/h');
      push(`${P}-WTP-FM`, 'flow', t, supply * noise(21, 0.01), 'm3/h');
      push(`${P}-INT-PP`, 'power', t, 120 + supply * 0.9 * noise(22, 0.02), 'kW');
      push(`${P}-INT-PP`, 'voltage', t, 400 * noise(23, 0.01), 'V');
      push(`${P}-PS-PP`, 'power', t, 60 + supply * 0.45 * noise(24, 0.02), 'kW');
      push(`${P}-PS-PP`, 'voltage', t, 400 * noise(25, 0.01), 'V');
      push(`${P}-PS-PR`, 'pressure', t, 5.2 * noise(26, 0.01), 'bar');
      const hourOfDay = astanaParts(at).hour + astanaParts(at).minute / 60;
      push(`${P}-RES-LV`, 'level', t, 4.5 + 1.5 * Math.cos(((hourOfDay - 4) / 24) * 2 * Math.PI) * noise(27, 0.01), 'm');
      push(`${P}-WTP-Q`, 'chlorine', t, 0.8 * noise(28, 0.05), 'mg/l');
      push(`${P}-WTP-Q`, 'turbidity', t, (weather.precipitationMm > 0 ? 1.2 : 0.5) * noise(29, 0.1), 'NTU');
      push(`${P}-WTP-Q`, 'ph', t, 7.2 * noise(30, 0.005), 'pH');
    }
  }
  return out;
}
