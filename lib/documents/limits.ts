import { z } from 'zod';

/** E-16: the operator's upload settings as the admin form edits them (pure: imported by client components). */
export type UploadSettings = { chunkSizeBytes: number; maxFileBytes: number };

const MIB = 1024 * 1024;
/** Bounds of the operator's upload settings: parts from 256 KiB to 512 MiB, files up to 50 GiB. */
export const UPLOAD_LIMITS = { minChunk: 256 * 1024, maxChunk: 512 * MIB, maxFile: 50 * 1024 * MIB } as const;

/** E-16: the operator's upload settings in MiB (the admin form and its signed action use this schema). */
export const uploadSettingsSchema = z
  .object({
    chunkSizeMiB: z
      .number()
      .min(UPLOAD_LIMITS.minChunk / MIB, 'at least 0.25 MiB')
      .max(UPLOAD_LIMITS.maxChunk / MIB, 'at most 512 MiB'),
    maxFileMiB: z
      .number()
      .min(1, 'at least 1 MiB')
      .max(UPLOAD_LIMITS.maxFile / MIB, 'at most 51200 MiB (50 GiB)'),
  })
  .refine((v) => v.maxFileMiB >= v.chunkSizeMiB, { message: 'The largest file must not be smaller than one part.', path: ['maxFileMiB'] });
export type UploadSettingsInput = z.input<typeof uploadSettingsSchema>;

export function toUploadSettings(v: z.output<typeof uploadSettingsSchema>): UploadSettings {
  return { chunkSizeBytes: Math.round(v.chunkSizeMiB * MIB), maxFileBytes: Math.round(v.maxFileMiB * MIB) };
}

