/**
 * Support contacts shown in the footer. SUPPORT_PHONE / SUPPORT_EMAIL in the environment override the
 * defaults (the operator's call-centre line is set per deployment).
 */
export function supportContacts(): { phone: string; email: string } {
  return {
    phone: process.env.SUPPORT_PHONE || '+7 7172 00 00 00',
    email: process.env.SUPPORT_EMAIL || 'support@birtereze.kz',
  };
}
/** Systems whose support hours the footer shows (X-2: 003 §59, 004 §19). */
export const SUPPORT_SYSTEMS = ['expertise', 'procurement'] as const;
