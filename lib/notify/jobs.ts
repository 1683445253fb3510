import { registerPeriodic } from '@/lib/jobs';
import { sendDueMail } from './outbox';

/**
 * Every minute (one job per slot, so several app instances run it once; the outbox's own row claims keep even
 * overlapping runs from sending a message twice): deliver the due e-mails of the outbox.
 */
registerPeriodic('notify.outbox', { everyMinutes: 1 }, ({ db }) => sendDueMail({ db }));
