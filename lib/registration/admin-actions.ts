/**
 * X-4: the operator's signed changes to expert organisations (E-13, E-14, E-42), tariffs and charges (E-15) and
 * form versions (E-7), as signed-action definitions. Kept out of the 'use server' module so that tests run them
 * through runSignedAction; app/admin/*\/actions.ts wraps each with signedAction().
 */
import type { SignedActionDef } from '@/lib/auth/signed-action';
import { AppError } from '@/lib/errors';
import { astanaDateOf, astanaMidnight } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import {
  blockOrgInputSchema,
  chargeInputSchema,
  publishFormInputSchema,
  reconfirmInputSchema,
  tariffInputSchema,
} from './admin-schemas';
import { blockExpertOrganisation, createCharge, createTariff, reconfirmAccreditation } from './expert-orgs';
import { publishForm } from './forms';

/** The names the operator's signatures cover (and the nonces are bound to). */
export const ADMIN_ACTION_NAMES = {
  block: 'expert_orgs.block',
  reconfirm: 'expert_orgs.reconfirm',
  tariff: 'tariffs.create',
  charge: 'tariffs.charge',
  publishForm: 'forms.publish',
} as const;

export type OrgChange = { orgId: string; blocked: boolean };

/** E-13 / E-42: block (leaves the public list, expert IS access ends); registrations.review = the operator. */
export const blockOrgDef: SignedActionDef<typeof blockOrgInputSchema, OrgChange> = {
  schema: blockOrgInputSchema,
  action: 'registrations.review',
  name: ADMIN_ACTION_NAMES.block,
  fn: async ({ tx, principal, input, signatureId }) => {
    const row = await blockExpertOrganisation(tx, principal, input.orgId, { ground: input.ground, basis: input.basis }, { signatureId });
    return { orgId: row.orgId, blocked: row.blocked };
  },
};

/** E-13: reconfirmation before expiry (a blocked organisation is refused: E-14 repeats E-12). */
export const reconfirmDef: SignedActionDef<typeof reconfirmInputSchema, OrgChange> = {
  schema: reconfirmInputSchema,
  action: 'registrations.review',
  name: ADMIN_ACTION_NAMES.reconfirm,
  fn: async ({ tx, principal, input, signatureId }) => {
    const { orgId, ...accreditation } = input;
    const row = await reconfirmAccreditation(tx, principal, orgId, accreditation, { signatureId });
    return { orgId: row.orgId, blocked: row.blocked };
  },
};

export const tariffDef: SignedActionDef<typeof tariffInputSchema, { id: string }> = {
  schema: tariffInputSchema,
  action: 'tariffs.manage',
  name: ADMIN_ACTION_NAMES.tariff,
  fn: async ({ tx, principal, input, signatureId }) => {
    const row = await createTariff(tx, principal, { ...input, validTo: input.validTo || null }, { signatureId });
    return { id: row.id };
  },
};

export const chargeDef: SignedActionDef<typeof chargeInputSchema, { id: string; amount: string }> = {
  schema: chargeInputSchema,
  action: 'tariffs.manage',
  name: ADMIN_ACTION_NAMES.charge,
  fn: async ({ tx, principal, input, signatureId }) => {
    const row = await createCharge(tx, principal, input, { signatureId });
    return { id: row.id, amount: row.amount };
  },
};

/** E-7: a new version in force from the start of an Astana date; today means now (never backdated). */
export const publishFormDef: SignedActionDef<typeof publishFormInputSchema, { id: string; kind: string; version: number }> = {
  schema: publishFormInputSchema,
  action: 'forms.manage',
  name: ADMIN_ACTION_NAMES.publishForm,
  fn: async ({ tx, principal, input, signatureId }) => {
    const at = now();
    const today = astanaDateOf(at);
    if (input.effectiveOn < today) throw new AppError('validation_failed', 'A form version cannot come into force in the past.', { effectiveOn: 'in_the_past' });
    const inForceFrom = input.effectiveOn === today ? at : astanaMidnight(input.effectiveOn);
    const row = await publishForm(
      tx,
      principal,
      {
        kind: input.kind,
        title: { kk: input.titleKk, ru: input.titleRu, ...(input.titleEn ? { en: input.titleEn } : {}) },
        body: { kk: input.bodyKk, ru: input.bodyRu, ...(input.bodyEn ? { en: input.bodyEn } : {}) },
        inForceFrom,
      },
      { signatureId },
    );
    return { id: row.id, kind: row.kind, version: row.version };
  },
};
