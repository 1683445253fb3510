'use server';

import { signedActionOf } from '@/lib/auth/signed-action';
import {
  closeDef,
  confirmDef,
  extendDef,
  fixDef,
  lawEnforcementDef,
  recordDef,
  refuteDef,
  registerDef,
  requestInfoDef,
} from '@/lib/incidents/actions';

/** the operator's incident steps, each signed with the operator's EDS (definitions in lib/incidents/actions.ts). */
export const recordIncidentAction = signedActionOf(recordDef);
export const registerIncidentAction = signedActionOf(registerDef);
export const requestInfoAction = signedActionOf(requestInfoDef);
export const refuteIncidentAction = signedActionOf(refuteDef);
export const confirmIncidentAction = signedActionOf(confirmDef);
export const fixIncidentAction = signedActionOf(fixDef);
export const closeIncidentAction = signedActionOf(closeDef);
export const applyExtensionsAction = signedActionOf(extendDef);
export const lawEnforcementAction = signedActionOf(lawEnforcementDef);
