/**
 * The portal's one clock. Every "now" in domain code comes from here so that tests (and the e2e
 * test mode) can set the time. Instants are plain `Date`s (UTC); calendars are computed in Astana time by
 * the functions in `lib/time`.
 */
type ClockSource = () => Date;

let source: ClockSource | null = null;

/** The current instant. */
export function now(): Date {
  return source ? new Date(source().getTime()) : new Date();
}

/**
 * Set the clock: a fixed instant, a function, or `null` to return to the system clock.
 * Only tests and the test-mode clock endpoint call this.
 */
export function setClock(at: Date | string | ClockSource | null): void {
  if (at === null) source = null;
  else if (typeof at === 'function') source = at;
  else {
    const fixed = new Date(at);
    if (Number.isNaN(fixed.getTime())) throw new Error(`setClock: not an instant: ${String(at)}`);
    source = () => fixed;
  }
}

/** Let the clock run from a given instant (time passes normally from there). */
export function setClockRunningFrom(at: Date | string): void {
  const start = new Date(at).getTime();
  const real = Date.now();
  source = () => new Date(start + (Date.now() - real));
}
