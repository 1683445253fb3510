/** What domain modules use: registration and enqueueing. The runner (tick) is in ./runner. */
export {
  enqueue,
  registerJob,
  registerPeriodic,
  type EnqueueOptions,
  type JobContext,
  type JobHandler,
  type JobPayload,
  type PeriodicContext,
  type PeriodicHandler,
} from './queue';
export type { Schedule } from './schedule';
