/** The registration domain's scheduled jobs (listed in lib/jobs/registry.ts). */
import { registerPeriodic } from '@/lib/jobs';
import { blockExpiredAccreditations } from './expert-orgs';

/** E-13: just after midnight Astana, block expert organisations whose accreditation expired without reconfirmation. */
registerPeriodic('registration.accreditation_expiry', { dailyAt: '00:10' }, async ({ db, now }) => ({ blocked: (await blockExpiredAccreditations(db, now)).length }));
