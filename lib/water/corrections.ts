/**
 * W-33 / X-9: correcting a wrong reading within the user's access area. The readings row keeps its original
 * value and only gains FLAG.CORRECTED; the correction (value, reason, author, optional EDS signature) is a row
 * of reading_corrections, the audit journal records it, and the entity's users are notified.
 *
 * Effective value of a reading = the corrected_value of its latest correction (by created_at), else the
 * original value. The hourly and daily rollups of the affected hour / Astana day are recomputed from the
 * effective values (readingsEffective below), so the dashboards show the corrected figures.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { devices, readingCorrections, readings, waterEntities, waterObjects } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { toAuditActor } from '@/lib/auth/policy';
import { appendAudit } from '@/lib/audit';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';
import { notify, renderTemplate, userLocale } from '@/lib/notify';
import { now as clockNow } from '@/lib/time/clock';
import { ASTANA_TZ } from '@/lib/time/zone';
import { entityUsers, requireObjectInScope, waterScope } from './access';
import { FLAG } from './flags';

const CORRECT_ROLES = ['water_utility', 'akimat', 'authorised_body', 'operator', 'admin'];

export const correctionSchema = z.object({
  deviceId: z.uuid(),
  metric: z.string().min(1).max(32),
  ts: z.coerce.date(),
  value: z.number().finite(),
  reason: z.string().trim().min(3).max(2000),
});
export type CorrectionInput = z.input<typeof correctionSchema>;

export type CorrectionResult = typeof readingCorrections.$inferSelect;

const ASTANA = sql.raw(`'${ASTANA_TZ}'`);

/**
 * Recomputes one rollup bucket from the effective values of its readings (replacing the stored aggregate).
 * `table` is readings_hourly or readings_daily; `from`/`to` bound the bucket.
 */
async function recomputeBucket(db: DbOrTx, table: 'readings_hourly' | 'readings_daily', deviceId: string, metric: string, bucket: Date, to: Date) {
  await db.execute(sql`
    insert into ${sql.identifier(table)} as r (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
    select ${deviceId}::uuid, ${metric}, ${bucket.toISOString()}::timestamptz, count(*)::int, sum(e.v), min(e.v), max(e.v),
           (array_agg(e.v order by e.ts desc))[1], max(e.ts), (count(*) filter (where e.flags <> 0))::int
    from (
      select x.ts, x.flags, coalesce((select c.corrected_value from reading_corrections c
             where c.device_id = x.device_id and c.metric = x.metric and c.ts = x.ts order by c.created_at desc, c.id desc limit 1), x.value) as v
      from readings x
      where x.device_id = ${deviceId}::uuid and x.metric = ${metric} and x.ts >= ${bucket.toISOString()}::timestamptz and x.ts < ${to.toISOString()}::timestamptz
    ) e
    having count(*) > 0
    on conflict (device_id, metric, bucket) do update set
      count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
      last = excluded.last, last_ts = excluded.last_ts, flagged = excluded.flagged`);
}

export async function correctReading(
  db: DbOrTx,
  principal: Principal,
  input: CorrectionInput,
  opts: { signatureId?: string | null } = {},
): Promise<CorrectionResult> {
  if (!principal.roles.some((r) => CORRECT_ROLES.includes(r))) throw new AppError('forbidden', 'You do not have the right to do this.');
  const parsed = correctionSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'The correction is not valid.', fieldErrorsFromZod(parsed.error));
  const c = parsed.data;
  const scope = await waterScope(db, principal);
  const [device] = await db
    .select({ id: devices.id, serial: devices.serialNumber, objectId: devices.objectId })
    .from(devices)
    .where(eq(devices.id, c.deviceId));
  if (!device) throw new AppError('not_found', 'No such device in your access area.');
  const object = await requireObjectInScope(db, scope, device.objectId);

  return db.transaction(async (tx) => {
    const at = clockNow();
    const [reading] = await tx
      .update(readings)
      .set({ flags: sql`${readings.flags} | ${FLAG.CORRECTED}` })
      .where(and(eq(readings.deviceId, c.deviceId), eq(readings.metric, c.metric), eq(readings.ts, c.ts)))
      .returning({ value: readings.value, flags: readings.flags });
    if (!reading) throw new AppError('not_found', 'No such reading.');
    const [previous] = await tx
      .select({ value: readingCorrections.correctedValue, createdAt: readingCorrections.createdAt })
      .from(readingCorrections)
      .where(and(eq(readingCorrections.deviceId, c.deviceId), eq(readingCorrections.metric, c.metric), eq(readingCorrections.ts, c.ts)))
      .orderBy(desc(readingCorrections.createdAt), desc(readingCorrections.id))
      .limit(1);
    const [row] = await tx
      .insert(readingCorrections)
      .values({
        deviceId: c.deviceId,
        metric: c.metric,
        ts: c.ts,
        originalValue: reading.value,
        correctedValue: c.value,
        reason: c.reason,
        authorUserId: principal.userId,
        signatureId: opts.signatureId ?? null,
        // Strictly after the previous correction, so "the latest" is well defined even within one clock tick.
        createdAt: previous && previous.createdAt >= at ? new Date(previous.createdAt.getTime() + 1) : at,
      })
      .returning();

    const hour = new Date(Math.floor(c.ts.getTime() / 3_600_000) * 3_600_000);
    await recomputeBucket(tx, 'readings_hourly', c.deviceId, c.metric, hour, new Date(hour.getTime() + 3_600_000));
    const [{ day }] = await tx.execute<{ day: string | Date }>(sql`select date_trunc('day', ${c.ts.toISOString()}::timestamptz, ${ASTANA}) as day`);
    const dayStart = new Date(day);
    await recomputeBucket(tx, 'readings_daily', c.deviceId, c.metric, dayStart, new Date(dayStart.getTime() + 86_400_000));

    await appendAudit(tx, {
      actor: toAuditActor(principal),
      action: 'water.reading.correct',
      entityType: 'reading',
      entityId: row.id,
      basis: c.reason,
      before: { deviceId: c.deviceId, metric: c.metric, ts: c.ts.toISOString(), value: previous?.value ?? reading.value, original: reading.value },
      after: { deviceId: c.deviceId, metric: c.metric, ts: c.ts.toISOString(), value: c.value },
      signatureId: opts.signatureId ?? null,
      at,
    });

    // the subjects affected — the users of the entity whose data changed (and the author sees it too).
    const [entity] = await tx.select({ name: waterEntities.name }).from(waterEntities).innerJoin(waterObjects, eq(waterObjects.entityId, waterEntities.id)).where(eq(waterObjects.id, object.id));
    const recipients = new Set(await entityUsers(tx, object.entityId));
    recipients.add(principal.userId);
    for (const userId of recipients) {
      const msg = renderTemplate('data.corrected', await userLocale(tx, userId), {
        entity: `${entity.name}: ${object.name} / ${device.serial} / ${c.metric} @ ${c.ts.toISOString()} (${reading.value} → ${c.value})`,
        at,
        reason: c.reason,
      });
      await notify(tx, {
        userId,
        kind: 'water.reading.corrected',
        title: msg.title,
        body: msg.body,
        entityType: 'reading_correction',
        entityId: row.id,
        data: { deviceId: c.deviceId, metric: c.metric, ts: c.ts.toISOString(), original: reading.value, corrected: c.value },
      });
    }
    return row;
  });
}

/** The readings of a device and metric in [from, to) with their effective values (latest correction, else original). */
export async function readingsEffective(db: DbOrTx, deviceId: string, metric: string, from: Date, to: Date) {
  const rows = await db.execute<{ ts: string | Date; original: number; value: number; flags: number }>(sql`
    select x.ts, x.value as original, x.flags,
      coalesce((select c.corrected_value from reading_corrections c
        where c.device_id = x.device_id and c.metric = x.metric and c.ts = x.ts order by c.created_at desc, c.id desc limit 1), x.value) as value
    from readings x
    where x.device_id = ${deviceId}::uuid and x.metric = ${metric} and x.ts >= ${from.toISOString()}::timestamptz and x.ts < ${to.toISOString()}::timestamptz
    order by x.ts`);
  return rows.map((r) => ({ ts: new Date(r.ts), original: Number(r.original), value: Number(r.value), flags: Number(r.flags) }));
}
