/**
 * Issue 6 part 11, the demo's live telemetry: while the demo runs (`npm start` turns WATER_DEMO_SIMULATOR on),
 * a periodic job generates the demo network's readings from where it stopped up to now and feeds them through
 * the same ingestion pipeline as the HTTP route and the MQTT bridge (validated, normalised, flagged,
 * de-duplicated, rolled up). The first runs backfill the last BACKFILL_DAYS days, a slice at a time, so the
 * dashboards have history; a leak is injected in one DMA a few days ago so that the night-flow alert shows.
 * The standalone `npm run simulate` sends the same data over HTTP instead.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { settings } from '@/db/schema';
import { telemetryPrincipal } from '@/lib/water/auth';
import { ingestReadings } from '@/lib/water/ingest';
import { generateTelemetry, type SimLeak } from './generate';

export const BACKFILL_DAYS = 14;
const SLICE_MS = 2 * 86_400_000;
const STATE_KEY = 'water.demoSimulator';
const DAY = 86_400_000;

type State = { simulatedTo: string; leakFrom: string };

export function demoSimulatorEnabled(): boolean {
  return ['1', 'true', 'on'].includes(process.env.WATER_DEMO_SIMULATOR ?? '');
}

/** Simulates (previous end, min(now, previous end + a slice)] and returns what was ingested. */
export async function runDemoSimulator(db: DbOrTx, now: Date): Promise<{ from: string; to: string; accepted: number; duplicates: number; rejected: number }> {
  const [row] = await db.select().from(settings).where(eq(settings.key, STATE_KEY));
  const state: State = (row?.value as State | undefined) ?? {
    simulatedTo: new Date(now.getTime() - BACKFILL_DAYS * DAY).toISOString(),
    leakFrom: new Date(now.getTime() - 3 * DAY).toISOString(),
  };
  const from = new Date(state.simulatedTo);
  const to = new Date(Math.min(now.getTime(), from.getTime() + SLICE_MS));
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  if (to > from) {
    const leaks: SimLeak[] = [{ dma: 'AST-DMA2', extraM3h: 9, from: new Date(state.leakFrom) }];
    for (const [key, readings] of generateTelemetry({ from, to, leaks })) {
      const principal = await telemetryPrincipal(db, `Bearer ${key}`);
      for (let i = 0; i < readings.length; i += 10_000) {
        const r = await ingestReadings(db, { principal }, readings.slice(i, i + 10_000), { now: to });
        totals.accepted += r.accepted;
        totals.duplicates += r.duplicates;
        totals.rejected += r.rejected.length;
      }
    }
  }
  const next: State = { ...state, simulatedTo: to.toISOString() };
  await db
    .insert(settings)
    .values({ key: STATE_KEY, value: next })
    .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: now } });
  return { from: from.toISOString(), to: to.toISOString(), ...totals };
}
