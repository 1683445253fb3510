import { DAY_MS, fromLocalMs, toLocalMs } from '@/lib/time/astana';

/**
 * When a periodic task runs, in Astana time: every n minutes (slots aligned to Astana midnight) or
 * once a day at a wall-clock time. Never the server's zone.
 */
export type Schedule = { everyMinutes: number } | { dailyAt: string };

/** One occurrence of a schedule: a stable label (part of the job key) and the instant it starts. */
export type Slot = { slot: string; at: Date };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Throws on a schedule that cannot be honoured (so a typo fails at registration, not at 3 a.m.). */
export function validateSchedule(schedule: Schedule): void {
  if ('everyMinutes' in schedule) {
    const n = schedule.everyMinutes;
    if (!Number.isInteger(n) || n < 1 || n > 1440) throw new Error(`everyMinutes must be an integer 1..1440, got ${n}`);
  } else if (!HHMM.test(schedule.dailyAt)) {
    throw new Error(`dailyAt must be 'HH:mm' (Astana time), got '${schedule.dailyAt}'`);
  }
}

/** Astana wall-clock label of a local-ms value: 'YYYY-MM-DDTHH:mm'. */
function localLabel(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 16);
}

/** The latest slot of `schedule` that started at or before `at`. */
export function currentSlot(schedule: Schedule, at: Date): Slot {
  validateSchedule(schedule);
  const local = toLocalMs(at.getTime());
  if ('everyMinutes' in schedule) {
    const step = schedule.everyMinutes * 60_000;
    const day = Math.floor(local / DAY_MS) * DAY_MS;
    // Aligned to Astana midnight so that e.g. every 360 minutes means 00:00, 06:00, 12:00, 18:00 Astana.
    const start = day + Math.floor((local - day) / step) * step;
    return { slot: localLabel(start), at: new Date(fromLocalMs(start)) };
  }
  const m = HHMM.exec(schedule.dailyAt)!;
  const offset = (Number(m[1]) * 60 + Number(m[2])) * 60_000;
  let start = Math.floor(local / DAY_MS) * DAY_MS + offset;
  if (start > local) start -= DAY_MS;
  return { slot: localLabel(start).slice(0, 10), at: new Date(fromLocalMs(start)) };
}
