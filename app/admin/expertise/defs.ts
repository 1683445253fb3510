/**
 * E-16 / E-18 / E-44 / X-4 / X-9: the operator's expertise settings as signed-action definitions (kept out of the
 * 'use server' module, which may export only async functions, so that tests run them through runSignedAction).
 * Each runs the domain's write, whose audit row carries the signature, in the signed action's transaction.
 */
import type { SignedActionDef } from '@/lib/auth/signed-action';
import { setUploadSettings } from '@/lib/documents/settings';
import { uploadSettingsSchema } from '@/lib/documents/limits';
import { deadlineConfigSchema, orgSettingsFormSchema } from '@/lib/expertise/admin-schemas';
import { previewNextNumber, setDeadlineConfig, setExpertOrgSettings } from '@/lib/expertise/settings';

export const EXPERTISE_ADMIN_ACTIONS = {
  org: 'expertise.admin.org_settings',
  deadlines: 'expertise.admin.deadline_config',
  uploads: 'expertise.admin.upload_settings',
} as const;

export const orgSettingsDef: SignedActionDef<typeof orgSettingsFormSchema, { orgId: string; nextNumber: string }> = {
  schema: orgSettingsFormSchema,
  action: 'expertise.configure',
  name: EXPERTISE_ADMIN_ACTIONS.org,
  fn: async ({ tx, principal, input, signatureId }) => {
    const row = await setExpertOrgSettings(tx, principal, input, { signatureId });
    return { orgId: row.orgId, nextNumber: await previewNextNumber(tx, row) };
  },
};

export const deadlineConfigDef: SignedActionDef<typeof deadlineConfigSchema, { category: string }> = {
  schema: deadlineConfigSchema,
  action: 'expertise.configure',
  name: EXPERTISE_ADMIN_ACTIONS.deadlines,
  fn: async ({ tx, principal, input, signatureId }) => ({ category: (await setDeadlineConfig(tx, principal, input, { signatureId })).category }),
};

export const uploadSettingsDef: SignedActionDef<typeof uploadSettingsSchema, { chunkSizeBytes: number; maxFileBytes: number }> = {
  schema: uploadSettingsSchema,
  action: 'expertise.configure',
  name: EXPERTISE_ADMIN_ACTIONS.uploads,
  fn: async ({ tx, principal, input, signatureId }) => setUploadSettings(tx, principal, input, { signatureId }),
};
