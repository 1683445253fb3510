/** Scheduled jobs of the file store and uploads (listed in lib/jobs/registry.ts). */
import { registerPeriodic } from '@/lib/jobs';
import { removeStaleUploads } from './cleanup';
import { uploadsDirectory } from './tus';

/** E-16: hourly, remove unfinished resumable uploads untouched for more than a day. */
registerPeriodic('documents.stale-uploads', { everyMinutes: 60 }, ({ now }) => removeStaleUploads(uploadsDirectory(), { at: now }));
