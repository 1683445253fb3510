/** Authentication of telemetry posts: `Authorization: Bearer <device token | gateway key>` (W-18). */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { devices, gateways } from '@/db/schema';
import { AppError } from '@/lib/errors';
import type { Principal } from './ingest';
import { hashSecret } from './registry';

/** Resolves the bearer secret to a device or gateway; 401 when absent or unknown, 403 when not active. */
export async function telemetryPrincipal(db: DbOrTx, authorization: string | null): Promise<Principal> {
  const m = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{16,256})[ \t]*$/i.exec(authorization ?? '');
  if (!m) throw new AppError('unauthenticated', 'Send the device token or gateway key as Authorization: Bearer <token>.');
  const hash = hashSecret(m[1]);
  // Both lookups at once, as prepared statements: one round trip (ingestion runs this for every batch).
  const [[dev], [gw]] = await Promise.all([
    db.select({ id: devices.id, status: devices.status }).from(devices).where(eq(devices.tokenHash, hash)).prepare('telemetry_device_token').execute(),
    db
      .select({ id: gateways.id, entityId: gateways.entityId, status: gateways.status })
      .from(gateways)
      .where(eq(gateways.keyHash, hash))
      .prepare('telemetry_gateway_key')
      .execute(),
  ]);
  if (dev) {
    if (dev.status !== 'active') throw new AppError('forbidden', 'This device is suspended or retired.');
    return { kind: 'device', deviceId: dev.id };
  }
  if (gw) {
    if (gw.status !== 'active') throw new AppError('forbidden', 'This gateway is suspended or retired.');
    return { kind: 'gateway', gatewayId: gw.id, entityId: gw.entityId };
  }
  throw new AppError('unauthenticated', 'The token or key is not known.');
}

