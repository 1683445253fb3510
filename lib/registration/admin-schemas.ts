/**
 * The operator's forms for expert organisations (E-13, E-14), tariffs and charges (E-15) and form versions (E-7):
 * one zod schema per form, used by the browser (react-hook-form) and by the signed server actions. Client-safe:
 * no database imports (the option lists are the schema's own, from db/schema/registration-values.ts).
 */
import { z } from 'zod';
import { BLOCK_GROUNDS, FORM_KINDS } from '@/db/schema/registration-values';

const isoDate = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);

/** E-13 / E-42: block an organisation on one of the grounds, with the basis (document, date). */
export const blockOrgInputSchema = z.object({ orgId: z.uuid(), ground: z.enum(BLOCK_GROUNDS), basis: text(2000) });
export type BlockOrgInput = z.input<typeof blockOrgInputSchema>;

/** E-13: reconfirmation before expiry — the new accreditation certificate. */
export const reconfirmInputSchema = z
  .object({ orgId: z.uuid(), certificateNumber: text(100), issuedOn: isoDate, validUntil: isoDate })
  .refine((a) => a.issuedOn <= a.validUntil, { message: 'valid_until_before_issued_on', path: ['validUntil'] });
export type ReconfirmInput = z.input<typeof reconfirmInputSchema>;

const money = z.string().trim().regex(/^\d{1,12}(\.\d{1,2})?$/, 'decimal_2');
const quantity = z.string().trim().regex(/^\d{1,11}(\.\d{1,3})?$/, 'decimal_3');

/** E-15: a tariff agreed with the Vedomstvo (validTo empty = open-ended). */
export const tariffInputSchema = z
  .object({
    service: text(200),
    rate: money,
    unit: text(50),
    validFrom: isoDate,
    validTo: z.union([isoDate, z.literal('')]),
    agreedWithVedomstvo: text(500),
  })
  .refine((t) => !t.validTo || t.validFrom <= t.validTo, { message: 'valid_to_before_valid_from', path: ['validTo'] });
export type TariffInput = z.input<typeof tariffInputSchema>;

/** E-15: a charge for one organisation, tariff and month. */
export const chargeInputSchema = z.object({
  orgId: z.uuid(),
  tariffId: z.uuid(),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period_yyyy_mm'),
  quantity,
});
export type ChargeInput = z.input<typeof chargeInputSchema>;

/** E-7: a new version of a form, in force from an Astana date (today = at once). */
export const publishFormInputSchema = z.object({
  kind: z.enum(FORM_KINDS),
  titleKk: text(300),
  titleRu: text(300),
  titleEn: z.string().trim().max(300),
  bodyKk: text(50_000),
  bodyRu: text(50_000),
  bodyEn: z.string().trim().max(50_000),
  effectiveOn: isoDate,
});
export type PublishFormInput = z.input<typeof publishFormInputSchema>;
