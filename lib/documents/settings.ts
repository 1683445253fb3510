import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { settings } from '@/db/schema/settings';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { assertCan, toAuditActor } from '@/lib/auth/policy';
import { toAppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';
import { toUploadSettings, uploadSettingsSchema, type UploadSettings, type UploadSettingsInput } from './limits';

/** Operator settings of resumable uploads (table `settings`); the server enforces them, the client uses them. */
export const UPLOAD_SETTING_KEYS = { chunkSizeBytes: 'uploads.chunkSizeBytes', maxFileBytes: 'uploads.maxFileBytes' } as const;
export const DEFAULT_CHUNK_SIZE = 5 * 1024 * 1024;
export const DEFAULT_MAX_FILE = 2 * 1024 * 1024 * 1024;

export type { UploadSettings };
function positiveInt(v: unknown, fallback: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

export async function getUploadSettings(db: DbOrTx): Promise<UploadSettings> {
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(inArray(settings.key, Object.values(UPLOAD_SETTING_KEYS)));
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  return {
    chunkSizeBytes: positiveInt(byKey.get(UPLOAD_SETTING_KEYS.chunkSizeBytes), DEFAULT_CHUNK_SIZE),
    maxFileBytes: positiveInt(byKey.get(UPLOAD_SETTING_KEYS.maxFileBytes), DEFAULT_MAX_FILE),
  };
}

export { UPLOAD_LIMITS, uploadSettingsSchema, toUploadSettings, type UploadSettingsInput } from './limits';

/**
 * E-16: the operator sets the part size and the largest file (both keys in one transaction, audited with
 * before/after). Uploads started before keep their parts; the new largest size applies to new uploads.
 */
export async function setUploadSettings(db: DbOrTx, operator: Principal, input: UploadSettingsInput, opts: { signatureId?: string | null } = {}): Promise<UploadSettings> {
  assertCan(operator, 'expertise.configure');
  const parsed = uploadSettingsSchema.safeParse(input);
  if (!parsed.success) throw toAppError(parsed.error);
  const next = toUploadSettings(parsed.data);
  return db.transaction(async (tx) => {
    const before = await getUploadSettings(tx);
    const at = now();
    for (const [key, value] of [
      [UPLOAD_SETTING_KEYS.chunkSizeBytes, next.chunkSizeBytes],
      [UPLOAD_SETTING_KEYS.maxFileBytes, next.maxFileBytes],
    ] as const) {
      await tx
        .insert(settings)
        .values({ key, value, updatedAt: at, updatedBy: operator.userId })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at, updatedBy: operator.userId } });
    }
    await appendAudit(tx, {
      actor: toAuditActor(operator),
      action: 'documents.upload_settings.set',
      entityType: 'settings',
      entityId: 'uploads',
      signatureId: opts.signatureId ?? null,
      before,
      after: next,
    });
    return next;
  });
}
