/**
 * Next.js calls register() once per server instance. Only the Node.js runtime boots (checks + the
 * in-process scheduler); never during `next build`, which must not touch the database.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { bootNode } = await import('./lib/jobs/boot-node');
  await bootNode();
  // W-18: the MQTT bridge feeds the same ingestion pipeline as POST /api/v1/telemetry.
  if (process.env.MQTT_URL) {
    const [{ startMqttBridge }, { getDb }] = await Promise.all([import('./lib/water/mqtt'), import('./db/client')]);
    startMqttBridge({ url: process.env.MQTT_URL, db: getDb(), shareGroup: 'bt' });
  }
}
