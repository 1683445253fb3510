import { afterEach, describe, expect, it, vi } from 'vitest';
import { bootNode } from './boot-node';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

describe('server start-up checks (instrumentation)', () => {
  it('wrong settings print a clear message and exit the process', async () => {
    process.env.SCHEDULER_INTERVAL_SECONDS = '-5';
    process.env.CRON_SECRET = 'short';
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(bootNode()).rejects.toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    const printed = String(err.mock.calls[0][0]);
    expect(printed).toContain('cannot start');
    expect(printed).toContain('SCHEDULER_INTERVAL_SECONDS');
    expect(printed).toContain('CRON_SECRET');
  });

  it('SCHEDULER_INTERVAL_SECONDS=0 turns the in-process scheduler off', async () => {
    process.env.SCHEDULER_INTERVAL_SECONDS = '0';
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const exit = vi.spyOn(process, 'exit');
    await bootNode();
    expect(exit).not.toHaveBeenCalled();
    expect(String(info.mock.calls[0][0])).toContain('off');
  });
});
