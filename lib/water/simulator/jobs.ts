import { registerPeriodic } from '@/lib/jobs';
import { demoSimulatorEnabled, runDemoSimulator } from './demo';

/** The demo's live telemetry (only when WATER_DEMO_SIMULATOR is on: `npm start`'s demo). */
if (demoSimulatorEnabled()) {
  registerPeriodic('water.demo-simulator', { everyMinutes: 1 }, async ({ db, now }) => runDemoSimulator(db, now));
}
