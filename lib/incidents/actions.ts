/**
 * the operator's signed changes of incidents and maintenance, as signed-action definitions (tested through
 * runSignedAction); app/admin/{incidents,maintenance}/actions.ts wrap each with signedActionOf().
 */
import type { z } from 'zod';
import type { SignedActionDef } from '@/lib/auth/signed-action';
import { addWindow, cancelWindow, publishPlan } from './maintenance';
import {
  cancelWindowSchema,
  closeSchema,
  confirmSchema,
  extensionsSchema,
  fixSchema,
  lawEnforcementSchema,
  planSchema,
  recordSchema,
  refuteSchema,
  registerSchema,
  requestInfoSchema,
  windowSchema,
} from './schemas';
import { applyExtensions, closeIncident, confirmIncident, fixIncident, recordIncident, refuteIncident, registerIncident, requestInfo, transferToLawEnforcement } from './service';

export const INCIDENT_ACTION_NAMES = {
  record: 'incidents.record',
  register: 'incidents.register',
  requestInfo: 'incidents.request_info',
  refute: 'incidents.refute',
  confirm: 'incidents.confirm',
  fix: 'incidents.fix',
  close: 'incidents.close',
  extend: 'incidents.extend',
  lawEnforcement: 'incidents.law_enforcement',
  publishPlan: 'maintenance.publish_plan',
  addWindow: 'maintenance.add_window',
  cancelWindow: 'maintenance.cancel_window',
} as const;

type Res = { id: string; status: string };
type Def<S extends z.ZodType, T = Res> = SignedActionDef<S, T>;

export const recordDef: Def<typeof recordSchema, { id: string; duplicate: boolean }> = {
  schema: recordSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.record,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await recordIncident(tx, principal, input, { signatureId, requestId });
    return { id: r.incident.id, duplicate: r.duplicate };
  },
};

export const registerDef: Def<typeof registerSchema> = {
  schema: registerSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.register,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await registerIncident(tx, principal, input.id, { signatureId, requestId });
    return { id: r.id, status: r.status };
  },
};

export const requestInfoDef: Def<typeof requestInfoSchema> = {
  schema: requestInfoSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.requestInfo,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await requestInfo(tx, principal, input, { signatureId, requestId });
    return { id: r.id, status: r.status };
  },
};

export const refuteDef: Def<typeof refuteSchema> = {
  schema: refuteSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.refute,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await refuteIncident(tx, principal, input, { signatureId, requestId });
    return { id: r.id, status: r.status };
  },
};

export const confirmDef: Def<typeof confirmSchema> = {
  schema: confirmSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.confirm,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await confirmIncident(tx, principal, input, { signatureId, requestId });
    return { id: r.id, status: r.status };
  },
};

export const fixDef: Def<typeof fixSchema> = {
  schema: fixSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.fix,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await fixIncident(tx, principal, input, { signatureId, requestId });
    return { id: r.id, status: r.status };
  },
};

export const closeDef: Def<typeof closeSchema> = {
  schema: closeSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.close,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await closeIncident(tx, principal, input.id, { signatureId, requestId });
    return { id: r.id, status: r.status };
  },
};

export const extendDef: Def<typeof extensionsSchema, { applications: number }> = {
  schema: extensionsSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.extend,
  fn: async ({ tx, principal, input, signatureId, requestId }) => ({ applications: (await applyExtensions(tx, principal, input.id, { signatureId, requestId })).length }),
};

export const lawEnforcementDef: Def<typeof lawEnforcementSchema> = {
  schema: lawEnforcementSchema,
  action: 'incidents.manage',
  name: INCIDENT_ACTION_NAMES.lawEnforcement,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await transferToLawEnforcement(tx, principal, input, { signatureId, requestId });
    return { id: r.id, status: r.status };
  },
};

export const publishPlanDef: Def<typeof planSchema, { year: number; onTime: boolean }> = {
  schema: planSchema,
  action: 'maintenance.manage',
  name: INCIDENT_ACTION_NAMES.publishPlan,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await publishPlan(tx, principal, input, { signatureId, requestId });
    return { year: r.year, onTime: r.check.onTime };
  },
};

export const addWindowDef: Def<typeof windowSchema, { id: string; withinDefault: boolean }> = {
  schema: windowSchema,
  action: 'maintenance.manage',
  name: INCIDENT_ACTION_NAMES.addWindow,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const r = await addWindow(tx, principal, input, { signatureId, requestId });
    return { id: r.id, withinDefault: r.check.withinDefault };
  },
};

export const cancelWindowDef: Def<typeof cancelWindowSchema, { id: string }> = {
  schema: cancelWindowSchema,
  action: 'maintenance.manage',
  name: INCIDENT_ACTION_NAMES.cancelWindow,
  fn: async ({ tx, principal, input, signatureId, requestId }) => ({ id: (await cancelWindow(tx, principal, input, { signatureId, requestId })).id }),
};
