import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { settings } from '@/db/schema/settings';

/** Operator settings of resumable uploads (table `settings`); the server enforces them, the client uses them. */
export const UPLOAD_SETTING_KEYS = { chunkSizeBytes: 'uploads.chunkSizeBytes', maxFileBytes: 'uploads.maxFileBytes' } as const;
export const DEFAULT_CHUNK_SIZE = 5 * 1024 * 1024;
export const DEFAULT_MAX_FILE = 2 * 1024 * 1024 * 1024;

export type UploadSettings = { chunkSizeBytes: number; maxFileBytes: number };

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
