import { z } from 'zod';

/**
 * The zod schemas of the /admin/expertise forms and their signed actions (pure: client components import them).
 * The domain (settings.ts) applies the same schemas and, for number templates, the full template rules of
 * lib/numbers, whose problems come back as field errors.
 */

export const orgCodeSchema = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}]{1,12}$/u, 'letters and digits, up to 12');

export const orgSettingsFormSchema = z.object({
  orgId: z.uuid(),
  orgCode: orgCodeSchema,
  numberTemplate: z.string().trim().min(1).max(100),
  accredited: z.boolean(),
  blocked: z.boolean(),
});
export type OrgSettingsFormInput = z.input<typeof orgSettingsFormSchema>;

const days = z.number().int().min(1).max(365);

export const deadlineConfigSchema = z.object({
  category: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,60}$/, 'a category key: a-z, 0-9, _'),
  label: z.string().trim().min(1).max(200),
  completenessDays: days,
  remarksDays: days,
  remedyDays: days,
  conclusionDays: days,
  unit: z.enum(['working', 'calendar']),
});
export type DeadlineConfigInput = z.input<typeof deadlineConfigSchema>;

export const previewNumberSchema = z.object({ orgId: z.uuid(), orgCode: z.string().max(40), numberTemplate: z.string().max(200) });
