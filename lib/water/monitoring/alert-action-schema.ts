/**
 * X-4 / W-27: the input of the signed alert actions (acknowledge, clear) — shared by the form (client) and the
 * server action, so it imports nothing but zod.
 */
import { z } from 'zod';

export const ALERT_ACKNOWLEDGE_ACTION = 'water.alert.acknowledge';
export const ALERT_CLEAR_ACTION = 'water.alert.clear';

export const alertActionSchema = z
  .object({
    id: z.uuid(),
    note: z.string().trim().max(500),
  })
  .strict();
export type AlertActionInput = z.input<typeof alertActionSchema>;
