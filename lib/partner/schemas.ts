/**
 * The partner area's input schemas, browser-safe (zod only): the same schema validates the form in the browser
 * (react-hook-form) and the signed action on the server.
 */
import { z } from 'zod';

export const PARTNER_KINDS = ['expert_is', 'cadastre'] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const createApiKeySchema = z.object({
  orgId: z.uuid(),
  kind: z.enum(PARTNER_KINDS),
  name: z.string().trim().min(1).max(200),
  /** I-INT-1: the last day (Astana) the integration is valid; empty = until revoked. */
  validUntil: z
    .string()
    .trim()
    .refine((s) => s === '' || (ISO_DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))), 'invalid_date')
    .optional(),
});

export const revokeApiKeySchema = z.object({ keyId: z.uuid(), reason: z.string().trim().min(1).max(1000) });

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const envFileRef = z.object({ uploadId: z.uuid(), fileName: z.string().trim().min(1).max(255), size: z.number().int().min(0), sha256: hex64 });

export const sendToAuthoritySchema = z.object({
  applicationId: z.uuid(),
  authorityOrgId: z.uuid(),
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().max(20_000).optional(),
  file: envFileRef.optional(),
});

export const answerSchema = z.object({
  replyToId: z.uuid(),
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().max(20_000).optional(),
  file: envFileRef.optional(),
});
