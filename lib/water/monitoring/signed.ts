/**
 * X-4 / W-27 / X-9: the signed alert actions' definitions (what app/water/alerts/actions.ts wraps with
 * signedAction, and what tests run with runSignedAction and a real test-PKI signature).
 *
 * Acknowledging an alert is the utility's (or the authority's) formal statement that it has taken the deviation
 * in hand: it stops the escalation and is cited later (urgent reports, the audit journal). Like every change of
 * data (X-4) it is confirmed with the user's SIGN key; so is clearing an alert by hand.
 */
import type { SignedActionDef } from '@/lib/auth/signed-action';
import { ALERT_ACKNOWLEDGE_ACTION, ALERT_CLEAR_ACTION, alertActionSchema } from './alert-action-schema';
import { acknowledgeAlert, clearAlert } from './store';

type Result = { id: string; status: 'open' | 'acknowledged' | 'cleared' };

export const acknowledgeAlertDef: SignedActionDef<typeof alertActionSchema, Result> = {
  schema: alertActionSchema,
  action: 'water.alerts.manage',
  name: ALERT_ACKNOWLEDGE_ACTION,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const row = await acknowledgeAlert(tx, principal, input.id, { note: input.note, signatureId, requestId });
    return { id: row.id, status: row.status };
  },
};

export const clearAlertDef: SignedActionDef<typeof alertActionSchema, Result> = {
  schema: alertActionSchema,
  action: 'water.alerts.manage',
  name: ALERT_CLEAR_ACTION,
  fn: async ({ tx, principal, input, signatureId, requestId }) => {
    const row = await clearAlert(tx, principal, input.id, { note: input.note, signatureId, requestId });
    return { id: row.id, status: row.status };
  },
};
