/**
 * Issue 6 part 11, the demo's live telemetry: while the demo runs (`npm start` turns WATER_DEMO_SIMULATOR on),
 * a periodic job generates the demo network's readings from where it stopped up to now and feeds them through
 * the same ingestion pipeline as the HTTP route and the MQTT bridge (validated, normalised, flagged,
 * de-duplicated, rolled up). The first runs backfill the last BACKFILL_DAYS days, a slice at a time, so the
 * dashboards have history; a leak is injected in one DMA a few days ago so that the night-flow alert shows.
 * The standalone `npm run simulate` sends the same data over HTTP instead.
 */
import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { settings } from '@/db/schema';
import { addDays, astanaDateOf, astanaMidnight } from '@/lib/time/astana';
import { telemetryPrincipal } from '@/lib/water/auth';
import { ingestReadings } from '@/lib/water/ingest';
import { runMonitoring, type MonitoringResult } from '@/lib/water/monitoring';
import { upsertDemoWeather } from '@/lib/water/weather/demo';
import { generateTelemetry, type SimLeak } from './generate';

export const BACKFILL_DAYS = 14;
const SLICE_MS = 2 * 86_400_000;
const STATE_KEY = 'water.demoSimulator';
const DAY = 86_400_000;

type State = { simulatedTo: string; leakFrom: string };

export function demoSimulatorEnabled(): boolean {
  return ['1', 'true', 'on'].includes(process.env.WATER_DEMO_SIMULATOR ?? '');
}

/** The leaking DMA of the demo (AST-DMA2, the Astana utility's second district metered area). */
export const DEMO_LEAK_DMA = 'AST-DMA2';

/**
 * The demo leak starts at Astana midnight three days before `now`'s Astana date: whatever the hour of the start,
 * at least three whole nights (02:00–05:00) are leaking — the MNF rule's three consecutive nights — and the
 * eleven nights before them are leak-free (its baseline).
 */
export function demoLeakStart(now: Date): Date {
  return astanaMidnight(addDays(astanaDateOf(now), -3));
}

/** Simulates (previous end, min(now, previous end + a slice)] and returns what was ingested. */
export async function runDemoSimulator(db: DbOrTx, now: Date): Promise<{ from: string; to: string; accepted: number; duplicates: number; rejected: number }> {
  const [row] = await db.select().from(settings).where(eq(settings.key, STATE_KEY));
  const state: State = (row?.value as State | undefined) ?? {
    simulatedTo: new Date(now.getTime() - BACKFILL_DAYS * DAY).toISOString(),
    leakFrom: demoLeakStart(now).toISOString(),
  };
  const from = new Date(state.simulatedTo);
  const to = new Date(Math.min(now.getTime(), from.getTime() + SLICE_MS));
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  if (to > from) {
    const leaks: SimLeak[] = [{ dma: DEMO_LEAK_DMA, extraM3h: 9, from: new Date(state.leakFrom) }];
    for (const [key, readings] of generateTelemetry({ from, to, leaks })) {
      const principal = await telemetryPrincipal(db, `Bearer ${key}`);
      for (let i = 0; i < readings.length; i += 10_000) {
        const r = await ingestReadings(db, { principal }, readings.slice(i, i + 10_000), { now: to });
        totals.accepted += r.accepted;
        totals.duplicates += r.duplicates;
        totals.rejected += r.rejected.length;
      }
    }
    // the weather that drove this slice (observed) and the next 8 days (the demo's weather forecast)
    await upsertDemoWeather(db, from, new Date(to.getTime() + 8 * DAY), to);
  }
  const next: State = { ...state, simulatedTo: to.toISOString() };
  await db
    .insert(settings)
    .values({ key: STATE_KEY, value: next })
    .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: now } });
  return { from: from.toISOString(), to: to.toISOString(), ...totals };
}

/**
 * The demo's start (the `water-demo` seeder, db/seed/water-demo.ts): backfills the history slice by slice up to
 * `now` (the same pipeline as the periodic job) and then runs the daily monitoring pass, so that the injected
 * leak is raised as a night-flow alert deterministically at start instead of at the next 05:30 Astana.
 */
export async function prepareDemoNetwork(db: Db, now: Date): Promise<{ slices: number; accepted: number; simulatedTo: string; monitoring: MonitoringResult }> {
  let slices = 0;
  let accepted = 0;
  let simulatedTo = '';
  // A long-stopped demo catches up at most the backfill window here; the periodic job does the rest.
  const maxSlices = Math.ceil((BACKFILL_DAYS * DAY) / SLICE_MS) + 1;
  while (slices < maxSlices) {
    const r = await runDemoSimulator(db, now);
    slices++;
    accepted += r.accepted;
    simulatedTo = r.to;
    if (new Date(r.to).getTime() >= now.getTime()) break;
  }
  const monitoring = await runMonitoring(db, now, { daily: true, realtime: false });
  return { slices, accepted, simulatedTo, monitoring };
}
