/** The incidents domain's scheduled jobs (listed in lib/jobs/registry.ts). */
import { registerPeriodic } from '@/lib/jobs';
import { notifyMaintenance } from './maintenance';
import { registerDueReports, watchTimers } from './service';

/** I-4 / I-5: every minute, register the received reports whose support time has come (and e-mail their IDs). */
registerPeriodic('incidents.register', { everyMinutes: 1 }, async ({ db, now }) => ({ registered: await registerDueReports(db, now) }));

/** I-5..I-11: every minute, mark overdue SLA timers and tell the operators; I-7 close unanswered reports. */
registerPeriodic('incidents.sla', { everyMinutes: 1 }, ({ db, now }) => watchTimers(db, now));

/** I-18: every 10 minutes, notify the integrated systems' owners of maintenance starting within 3 days. */
registerPeriodic('incidents.maintenance', { everyMinutes: 10 }, ({ db, now }) => notifyMaintenance(db, now));
