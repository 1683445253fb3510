import { tick, type TickSummary } from './runner';

/**
 * The in-process scheduler: calls tick() directly (not over HTTP) every `intervalSeconds`. The next tick is
 * armed only after the previous one finished, so ticks never overlap in one process; across processes the
 * queue itself (row locks, slot keys) keeps work from running twice.
 */
export type SchedulerHandle = { stop: () => void; running: () => boolean };

type State = { handle: SchedulerHandle | null };
// One scheduler per process even if this module is evaluated twice (dev reloads, separate bundles).
const g = globalThis as unknown as { __btScheduler?: State };

export function startScheduler(opts: {
  intervalSeconds: number;
  /** Delay before the first tick (default: min(interval, 5 s), so the server is up first). */
  firstDelayMs?: number;
  run?: () => Promise<TickSummary>;
  log?: Pick<Console, 'info' | 'error'>;
}): SchedulerHandle | null {
  g.__btScheduler ??= { handle: null };
  const state = g.__btScheduler;
  if (state.handle) return state.handle;
  if (!(opts.intervalSeconds > 0)) return null;
  const run = opts.run ?? (() => tick());
  const log = opts.log ?? console;
  const intervalMs = opts.intervalSeconds * 1000;
  let stopped = false;
  let busy = false;
  let timer: NodeJS.Timeout | null = null;

  const arm = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(fire, ms);
    timer.unref?.(); // never keeps the process alive on its own
  };
  const fire = async () => {
    busy = true;
    const started = Date.now();
    try {
      const s = await run();
      if (s.scheduled || s.ran || s.failed) log.info(`[scheduler] scheduled ${s.scheduled}, ran ${s.ran}, failed ${s.failed}`);
    } catch (e) {
      log.error('[scheduler] tick failed:', e);
    } finally {
      busy = false;
      arm(Math.max(0, intervalMs - (Date.now() - started)));
    }
  };

  const handle: SchedulerHandle = {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (state.handle === handle) state.handle = null;
    },
    running: () => busy,
  };
  state.handle = handle;
  arm(opts.firstDelayMs ?? Math.min(intervalMs, 5000));
  return handle;
}
