/**
 * The demo network's history (WATER_DEMO_SIMULATOR, on under `npm start`): 14 days of simulated telemetry with
 * the injected leak in AST-DMA2, then the daily monitoring pass — so the leak's night-flow alert (W-21, W-31) is
 * there from the first page view, not after the next 05:30 Astana. Runs once; re-runs when the simulator is
 * switched on later.
 */
import type { Db } from '@/db/client';
import { now } from '@/lib/time/clock';
import { demoSimulatorEnabled, prepareDemoNetwork } from '@/lib/water/simulator/demo';
import { registerSeeders } from './index';

registerSeeders({
  name: 'water-demo',
  get version() {
    return demoSimulatorEnabled() ? '1' : 'off';
  },
  run: async (db: Db) => {
    if (!demoSimulatorEnabled()) return;
    const r = await prepareDemoNetwork(db, now());
    console.log(`  water demo: ${r.accepted} readings in ${r.slices} slices up to ${r.simulatedTo}; alerts opened ${r.monitoring.opened}`);
  },
});
