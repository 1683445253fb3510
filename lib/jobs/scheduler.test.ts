import { afterEach, describe, expect, it, vi } from 'vitest';
import { startScheduler, type SchedulerHandle } from './scheduler';

let handle: SchedulerHandle | null = null;
afterEach(() => {
  handle?.stop();
  handle = null;
  vi.useRealTimers();
});

const quiet = { info: () => {}, error: () => {} };

describe('the in-process scheduler', () => {
  it('never overlaps itself: a slow tick delays the next one', async () => {
    vi.useFakeTimers();
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    handle = startScheduler({
      intervalSeconds: 1,
      firstDelayMs: 0,
      log: quiet,
      run: async () => {
        calls++;
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 3500)); // longer than the interval
        active--;
        return { scheduled: 0, ran: 0, failed: 0 };
      },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(maxActive).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(3);
  });

  it('logs a failing tick and keeps going', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    handle = startScheduler({
      intervalSeconds: 1,
      firstDelayMs: 0,
      log: { info: () => {}, error: (...a: unknown[]) => void errors.push(a) },
      run: async () => {
        calls++;
        throw new Error('database down');
      },
    });
    await vi.advanceTimersByTimeAsync(3_100);
    expect(calls).toBe(4);
    expect(errors).toHaveLength(4);
  });

  it('interval 0 turns it off, and a second start in one process returns the running one', () => {
    expect(startScheduler({ intervalSeconds: 0, log: quiet })).toBeNull();
    handle = startScheduler({ intervalSeconds: 60, log: quiet, run: async () => ({ scheduled: 0, ran: 0, failed: 0 }) });
    expect(startScheduler({ intervalSeconds: 60, log: quiet })).toBe(handle);
  });
});
