import { z } from 'zod';

/** Browser-safe parts of the profile change (the form validates with the same schema as the server). */

/** The signed action name of the contact e-mail change (X-4; policy action 'cabinet.access'). */
export const PROFILE_UPDATE_ACTION = 'cabinet.profile.update';

/** An empty string clears the contact e-mail. */
export const profileEmailSchema = z.object({
  email: z.union([z.literal(''), z.email().max(254)]),
});
export type ProfileEmailInput = z.input<typeof profileEmailSchema>;
